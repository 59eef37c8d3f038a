/**
 * @module
 * The command line of `mcp-server-gdrive`: the shared flags plus this server's own, and the
 * `auth` subcommand's. Kept apart from the server so that `--help` loads nothing else.
 */
import type { CommandSpec, FlagSpec } from '@plugboard/kit/cli';

export const VERSION = PLUGBOARD_PACKAGE_VERSION;

export const BIN = 'mcp-server-gdrive';

/** How users run the sign-in, quoted in every error that asks for it. */
export const AUTH_COMMAND = 'npx -y @plugboard/server-gdrive auth';

export const DEFAULT_TIMEOUT_SECONDS = 60;
export const DEFAULT_MAX_FILE_BYTES = 25 * 1024 * 1024;
export const DEFAULT_MAX_BLOB_BYTES = 1024 * 1024;
export const DEFAULT_MAX_TRANSFER_BYTES = 1024 * 1024 * 1024;
export const DEFAULT_CHUNK_BYTES = 8 * 1024 * 1024;
/** Drive takes resumable chunks in multiples of 256 KiB (all but the last). */
export const CHUNK_UNIT = 256 * 1024;

/** Where credentials come from: the same for the server and for `auth`. */
const credentialFlags: FlagSpec[] = [
  {
    name: 'oauth-path',
    type: 'string',
    env: 'GDRIVE_OAUTH_PATH',
    placeholder: 'FILE',
    description: 'OAuth client keys downloaded from Google Cloud (a Desktop app client)',
  },
  {
    name: 'credentials-path',
    type: 'string',
    env: 'GDRIVE_CREDENTIALS_PATH',
    placeholder: 'FILE',
    description: 'Where `auth` saves the sign-in and the server reads it (mode 0600)',
  },
  {
    name: 'token-url',
    type: 'string',
    env: 'GDRIVE_TOKEN_URL',
    placeholder: 'URL',
    description: 'OAuth token endpoint (default https://oauth2.googleapis.com/token)',
  },
  {
    name: 'auth-url',
    type: 'string',
    env: 'GDRIVE_AUTH_URL',
    placeholder: 'URL',
    description:
      "Google's consent page (default: the client keys' auth_uri, else https://accounts.google.com/o/oauth2/v2/auth)",
  },
  {
    name: 'allow-write',
    type: 'boolean',
    env: 'GDRIVE_ALLOW_WRITE',
    description:
      'Create folders and files, update, move, rename and trash; write Sheets and Docs (asks for the full Drive scope)',
  },
  {
    name: 'allow-sharing',
    type: 'boolean',
    env: 'GDRIVE_ALLOW_SHARING',
    description: 'Share files with people and groups, and remove access',
  },
];

/** The flags only `auth` takes. */
const authOnlyFlags: FlagSpec[] = [
  {
    name: 'no-browser',
    type: 'boolean',
    description: 'Only print the sign-in address; do not open a browser',
  },
  {
    name: 'callback-port',
    type: 'integer',
    env: 'GDRIVE_AUTH_PORT',
    placeholder: 'N',
    description: 'Port of the 127.0.0.1 address Google redirects back to (default: any free one)',
  },
  {
    name: 'wait',
    type: 'integer',
    placeholder: 'SECONDS',
    description: 'How long to wait for the browser sign-in (default 300)',
  },
];

/** `--help` rows for flags the main parser does not take, in the layout of the option rows. */
function flagRows(flags: readonly FlagSpec[]): string[] {
  return flags.map((flag) => {
    const left = `  --${flag.name}${flag.type === 'boolean' ? '' : ` ${flag.placeholder ?? 'VALUE'}`}`;
    const env = flag.env === undefined ? '' : ` [env ${flag.env}]`;
    return `${left.padEnd(34)}${flag.description}${env}`;
  });
}

export const spec: CommandSpec = {
  bin: BIN,
  version: VERSION,
  prefix: 'GDRIVE',
  secretEnv: ['GDRIVE_OAUTH_CLIENT_SECRET'],
  summary:
    'Google Drive for MCP clients: search, read Docs, Sheets, Slides and files, Shared Drives',
  positionals: '[auth]',
  flags: [
    ...credentialFlags,
    {
      name: 'allow-public-sharing',
      type: 'boolean',
      env: 'GDRIVE_ALLOW_PUBLIC_SHARING',
      description: 'With --allow-sharing: also share with anyone with the link, or a whole domain',
    },
    {
      name: 'impersonate',
      type: 'string',
      env: 'GDRIVE_IMPERSONATE',
      placeholder: 'EMAIL',
      description: 'Service accounts: act as this Workspace user (domain-wide delegation)',
    },
    {
      name: 'api-url',
      type: 'string',
      env: 'GDRIVE_API_URL',
      placeholder: 'URL',
      description: 'Drive API root (default https://www.googleapis.com/)',
    },
    {
      name: 'timeout',
      type: 'integer',
      env: 'GDRIVE_TIMEOUT',
      placeholder: 'SECONDS',
      description: `Give up on one tool call's Drive requests after this long (default ${DEFAULT_TIMEOUT_SECONDS})`,
    },
    {
      name: 'max-file-bytes',
      type: 'integer',
      env: 'GDRIVE_MAX_FILE_BYTES',
      placeholder: 'BYTES',
      description: `Largest PDF or Office file downloaded to extract its text (default ${DEFAULT_MAX_FILE_BYTES})`,
    },
    {
      name: 'local-dir',
      type: 'string',
      env: 'GDRIVE_LOCAL_DIR',
      placeholder: 'DIR',
      description:
        'The one directory download_file writes to and upload_file (with --allow-write) reads from',
    },
    {
      name: 'max-transfer-bytes',
      type: 'integer',
      env: 'GDRIVE_MAX_TRANSFER_BYTES',
      placeholder: 'BYTES',
      description: `Largest file uploaded or downloaded with --local-dir (default ${DEFAULT_MAX_TRANSFER_BYTES})`,
    },
    {
      name: 'upload-chunk-bytes',
      type: 'integer',
      env: 'GDRIVE_UPLOAD_CHUNK_BYTES',
      placeholder: 'BYTES',
      description: `Larger uploads are resumable, in chunks of this size, a multiple of 262144 (default ${DEFAULT_CHUNK_BYTES})`,
    },
    {
      name: 'max-blob-bytes',
      type: 'integer',
      env: 'GDRIVE_MAX_BLOB_BYTES',
      placeholder: 'BYTES',
      description: `Largest image or other binary returned whole, base64 (default ${DEFAULT_MAX_BLOB_BYTES})`,
    },
  ],
  epilog: [
    `\`${BIN} auth\` takes the credential flags above (${credentialFlags.map((flag) => `--${flag.name}`).join(', ')})`,
    `and these (see \`${BIN} auth --help\`):`,
    ...flagRows(authOnlyFlags),
    '',
    'Sign in once with `mcp-server-gdrive auth` (GDRIVE_OAUTH_PATH names your OAuth client keys);',
    'or set GOOGLE_APPLICATION_CREDENTIALS to a service account key. Read-only unless --allow-write.',
    'Hosted (--transport http with sign-in), GDRIVE_OAUTH_CLIENT_ID and GDRIVE_OAUTH_CLIENT_SECRET (a',
    'web OAuth client) instead let each user connect their own Google account.',
    'Example: GDRIVE_OAUTH_PATH=~/gcp-oauth.keys.json mcp-server-gdrive auth && mcp-server-gdrive',
  ].join('\n'),
};

export const authSpec: CommandSpec = {
  bin: `${BIN} auth`,
  version: VERSION,
  prefix: 'GDRIVE',
  summary: 'Sign in to Google in the browser and save the grant for the server',
  flags: [...credentialFlags, ...authOnlyFlags],
  epilog: [
    "Opens Google's consent page (or prints it with --no-browser), listens on 127.0.0.1 for the",
    'redirect, and writes the grant to GDRIVE_CREDENTIALS_PATH with mode 0600. The grant is',
    'read-only unless --allow-write or --allow-sharing is given. BROWSER names the browser to start.',
  ].join('\n'),
};
