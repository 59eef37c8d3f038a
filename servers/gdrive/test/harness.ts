/**
 * @module
 * The in-process test bench: the Drive fake, the real server (real `@googleapis/drive`, real
 * `google-auth-library`, real credential files in a temp directory) and the official SDK client
 * over a linked in-memory pair. Calls return the SDK's parsed result, which the client has
 * already checked against each tool's output schema.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { nullLogger, type Logger, type Tool } from '@plugboard/protocol';
import {
  connectInProcess,
  serverHarness,
  tmpDir,
  type ServerHarness,
  type TmpDir,
} from '@plugboard/testing';
import type { GdriveConfig } from '../src/config.js';
import { scopesFor } from '../src/scopes.js';
import type { GdriveDeps } from '../src/context.js';
import { resolveCredentials } from '../src/credential-source.js';
import { writeGrant } from '../src/credentials.js';
import { exposeTools } from '@plugboard/kit/tools';
import { createGdriveDeps, createGdriveServer, gdriveToolConfiguration } from '../src/server.js';
import { createGoogleClient, type GoogleClient } from '../src/google.js';
import { operatorSessions } from '@plugboard/kit/sessions';
import { tools as allTools } from '../src/tools/index.js';
import {
  fakeDrive,
  FULL_SCOPE,
  READ_SCOPE,
  type FakeDrive,
  type FakeDriveOptions,
} from './fake-drive.js';

export const CLIENT_ID = '123456789012-abcdefghijklmnop.apps.googleusercontent.com';
export const CLIENT_SECRET = 'GOCSPX-TestClientSecretNeverLeaks';

export interface CallResult {
  isError?: boolean;
  content: {
    type: string;
    text?: string;
    data?: string;
    mimeType?: string;
    resource?: { uri: string; blob?: string; text?: string; mimeType?: string };
  }[];
  structuredContent?: Record<string, unknown>;
}

export { textOf } from '@plugboard/testing';

/** Writes Google's "Desktop app" client keys file pointing at the fake. */
export async function writeClientKeys(
  path: string,
  fake: FakeDrive,
  extra: Record<string, unknown> = {},
): Promise<void> {
  await writeFile(
    path,
    JSON.stringify({
      installed: {
        client_id: CLIENT_ID,
        project_id: 'plugboard-test',
        auth_uri: fake.authUrl,
        token_uri: fake.tokenUrl,
        auth_provider_x509_cert_url: 'https://www.googleapis.com/oauth2/v1/certs',
        client_secret: CLIENT_SECRET,
        redirect_uris: ['http://localhost'],
        ...extra,
      },
    }),
  );
}

export interface HarnessOptions {
  readonly config?: Partial<GdriveConfig>;
  readonly fake?: FakeDriveOptions;
  /** The saved sign-in's scope (default: what the configuration needs). */
  readonly scope?: string;
  readonly logger?: Logger;
  /** Every tool regardless of flags (to test the tools' own guards). */
  readonly allTools?: boolean;
}

export interface Harness extends ServerHarness<CallResult> {
  readonly fake: FakeDrive;
  readonly dir: TmpDir;
  readonly config: GdriveConfig;
  readonly refreshToken: string;
  readonly deps: GdriveDeps;
  /** The operator's Google client the server acts through. */
  readonly google: GoogleClient;
}

export function testConfig(
  fake: FakeDrive,
  dir: string,
  overrides: Partial<GdriveConfig> = {},
): GdriveConfig {
  const allowWrite = overrides.allowWrite ?? false;
  const allowSharing = overrides.allowSharing ?? false;
  return {
    accounts: undefined,
    oauthPath: join(dir, 'gcp-oauth.keys.json'),
    credentialsPath: join(dir, 'credentials.json'),
    applicationCredentials: undefined,
    tokenUrl: fake.tokenUrl,
    scopes: scopesFor({ allowWrite, allowSharing, readOnly: false }),
    apiUrl: fake.apiUrl,
    allowWrite,
    allowSharing,
    allowPublicSharing: false,
    impersonate: undefined,
    timeoutMs: 15_000,
    outputBudget: 65_536,
    maxFileBytes: 25 * 1024 * 1024,
    maxBlobBytes: 1024 * 1024,
    localDir: undefined,
    maxTransferBytes: 1024 * 1024 * 1024,
    chunkBytes: 8 * 1024 * 1024,
    ...overrides,
  };
}

/** Connects the official SDK client to `server` over an in-memory pair. */
export function connect(server: ReturnType<typeof createGdriveServer>): Promise<Client> {
  return connectInProcess(server, { clientInfo: { name: 'gdrive-tests', version: '0.0.0' } });
}

export interface Served extends ServerHarness<CallResult> {
  readonly deps: GdriveDeps;
  /** The operator's Google client the server acts through. */
  readonly google: GoogleClient;
}

/**
 * The server for `config` as `main.ts` builds it (credentials resolved from the files
 * `config` names), connected to the SDK client.
 */
export async function serve(config: GdriveConfig, logger: Logger = nullLogger): Promise<Served> {
  const source = await resolveCredentials(config, { impersonate: config.impersonate });
  const google = createGoogleClient(source, { apiUrl: config.apiUrl, logger });
  const deps = createGdriveDeps(config, operatorSessions({ google }));
  const server = createGdriveServer(deps, {
    tools: exposeTools(allTools, gdriveToolConfiguration(config)).tools,
    logger,
  });
  const client = await connect(server);
  return {
    ...serverHarness<CallResult>(client, async () => {
      await client.close();
      await server.close();
      await google.flush();
    }),
    deps,
    google,
  };
}

/** Fake, credentials, server and client, wired together. */
export async function harness(options: HarnessOptions = {}): Promise<Harness> {
  const fake = await fakeDrive(options.fake);
  const dir = await tmpDir('gdrive-');
  fake.addClient(CLIENT_ID, CLIENT_SECRET);
  const config = testConfig(fake, dir.path, options.config);
  const scope =
    options.scope ?? (config.allowWrite || config.allowSharing ? FULL_SCOPE : READ_SCOPE);
  const refreshToken = fake.grant(CLIENT_ID, scope);
  await writeClientKeys(config.oauthPath, fake);
  await writeGrant(config.credentialsPath, {
    refreshToken,
    accessToken: undefined,
    expiryDate: undefined,
    scope,
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
  });
  const logger = options.logger ?? nullLogger;
  const source = await resolveCredentials(config);
  const google = createGoogleClient(source, { apiUrl: config.apiUrl, logger });
  const deps = createGdriveDeps(config, operatorSessions({ google }));
  const tools: Tool<GdriveDeps>[] =
    options.allTools === true
      ? [...allTools]
      : exposeTools(allTools, gdriveToolConfiguration(config)).tools;
  const server = createGdriveServer(deps, { tools, logger });
  const client = await connect(server);
  const close = async (): Promise<void> => {
    await client.close();
    await server.close();
    // Renewed tokens are saved in the background; let them land before the directory goes.
    await google.flush();
    await fake.close();
    await dir.cleanup();
  };
  return {
    ...serverHarness<CallResult>(client, close),
    fake,
    dir,
    config,
    refreshToken,
    deps,
    google,
  };
}
