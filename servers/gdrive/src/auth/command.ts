/**
 * @module
 * `mcp-server-gdrive auth`: signs in to Google in the browser and saves the grant where the
 * server reads it (GDRIVE_CREDENTIALS_PATH, mode 0600). The grant is read-only unless
 * --allow-write or --allow-sharing asks for the full Drive scope. Returns the exit code: 0 when
 * signed in, 1 when the sign-in failed, 2 for bad configuration.
 */
import { parseCommandLine, UsageError } from '@plugboard/kit/cli';
import {
  DEFAULT_AUTH_URL,
  DEFAULT_TOKEN_URL,
  parseCredentialConfig,
  parseEndpoint,
} from '../config.js';
import { CredentialFileError, readClientKeys, writeGrant } from '../credentials.js';
import { hostPaths } from '../paths.js';
import { SCOPES } from '../scopes.js';
import { authSpec } from '../spec.js';
import { openBrowser, UnsafeUrlError } from './browser.js';
import { AuthError, signIn } from './flow.js';

export interface AuthIo {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

const processIo: AuthIo = {
  env: process.env,
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

const DEFAULT_WAIT_SECONDS = 300;

export async function runAuth(argv: readonly string[], io: AuthIo = processIo): Promise<number> {
  const say = (line: string): void => io.stderr(`${line}\n`);
  try {
    const parsed = parseCommandLine(authSpec, argv, io.env);
    if (parsed.kind !== 'run') {
      io.stdout(parsed.text);
      return 0;
    }
    if (parsed.positionals.length > 0)
      throw new UsageError(`unexpected argument "${parsed.positionals[0]!.slice(0, 40)}"`);
    const { flags } = parsed;
    const config = parseCredentialConfig(flags, io.env, hostPaths(io.env));
    const keys = await readClientKeys(config.oauthPath);
    if (keys === undefined)
      throw new UsageError(
        `no OAuth client keys at ${config.oauthPath}: create an OAuth client of type "Desktop app" in Google Cloud (APIs & Services > Credentials), download its JSON, and point GDRIVE_OAUTH_PATH at it`,
      );
    const authUrlFlag = flags.get('auth-url');
    const authUrl =
      typeof authUrlFlag === 'string' && authUrlFlag !== ''
        ? parseEndpoint(authUrlFlag, '--auth-url (GDRIVE_AUTH_URL)').href
        : (keys.authUri ?? DEFAULT_AUTH_URL);
    const wait = flags.get('wait');
    const port = flags.get('callback-port');
    const grant = await signIn({
      keys,
      authUrl,
      tokenUrl: config.tokenUrl ?? keys.tokenUri ?? DEFAULT_TOKEN_URL,
      scopes: config.scopes,
      port: typeof port === 'number' ? port : 0,
      waitMs: (typeof wait === 'number' && wait > 0 ? wait : DEFAULT_WAIT_SECONDS) * 1000,
      print: say,
      open: flags.get('no-browser') === true ? undefined : (url) => openBrowser(url, io.env),
    });
    await writeGrant(config.credentialsPath, grant);
    const access = config.scopes.includes(SCOPES.full) ? 'read and write' : 'read-only';
    say(`Signed in (${access} access). Saved to ${config.credentialsPath} (readable only by you).`);
    say('The server renews access by itself from now on; run auth again only if you revoke it.');
    return 0;
  } catch (error) {
    if (error instanceof UsageError || error instanceof CredentialFileError) {
      say(`mcp-server-gdrive auth: ${error.message}`);
      return 2;
    }
    if (error instanceof AuthError || error instanceof UnsafeUrlError) {
      say(`mcp-server-gdrive auth: ${error.message}`);
      return 1;
    }
    throw error;
  }
}
