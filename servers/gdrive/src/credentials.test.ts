import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UsageError } from '@plugboard/kit/cli';
import { tmpDir } from '@plugboard/testing';
import { describe, expect, it } from 'vitest';
import type { CredentialConfig } from './config.js';
import { SCOPES } from './scopes.js';
import { resolveCredentials } from './credential-source.js';
import { CredentialFileError, readClientKeys, readGrant, writeGrant } from './credentials.js';

const GRANT = {
  refreshToken: '1//refresh',
  accessToken: 'ya29.access',
  expiryDate: 2_000_000_000_000,
  scope: SCOPES.readOnly,
  clientId: 'client.apps.googleusercontent.com',
  clientSecret: 'secret',
};

function config(dir: string, overrides: Partial<CredentialConfig> = {}): CredentialConfig {
  return {
    oauthPath: join(dir, 'keys.json'),
    credentialsPath: join(dir, 'nested', 'credentials.json'),
    applicationCredentials: undefined,
    tokenUrl: undefined,
    scopes: [SCOPES.readOnly],
    ...overrides,
  };
}

describe('the saved sign-in file', () => {
  it('is written with mode 0600 in a 0700 directory, whatever the umask', async () => {
    await using dir = await tmpDir();
    const path = join(dir.path, 'new-dir', 'credentials.json');
    const previous = process.umask(0);
    try {
      await writeGrant(path, GRANT);
    } finally {
      process.umask(previous);
    }
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect((await stat(join(dir.path, 'new-dir'))).mode & 0o777).toBe(0o700);
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual({
      type: 'authorized_user',
      client_id: GRANT.clientId,
      client_secret: GRANT.clientSecret,
      refresh_token: GRANT.refreshToken,
      access_token: GRANT.accessToken,
      expiry_date: GRANT.expiryDate,
      scope: GRANT.scope,
      token_type: 'Bearer',
    });
    expect(await readGrant(path)).toEqual(GRANT);
  });

  it('replaces a readable copy with a private one when saved again', async () => {
    await using dir = await tmpDir();
    const path = join(dir.path, 'credentials.json');
    await writeFile(path, '{}', { mode: 0o644 });
    await writeGrant(path, GRANT);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
  });

  it('is refused when other users can read it, with the command that fixes it', async () => {
    await using dir = await tmpDir();
    const path = join(dir.path, 'credentials.json');
    await writeGrant(path, GRANT);
    await chmod(path, 0o644);
    await expect(readGrant(path)).rejects.toThrow(
      `can be read by other users (mode 644); run chmod 600 ${path}`,
    );
    await expect(resolveCredentials(config(dir.path, { credentialsPath: path }))).rejects.toThrow(
      UsageError,
    );
  });

  it('is not overwritten by a renewal once a newer sign-in has replaced it', async () => {
    await using dir = await tmpDir();
    const path = join(dir.path, 'credentials.json');
    await writeGrant(path, { ...GRANT, refreshToken: '1//newer' });
    expect(
      await writeGrant(path, { ...GRANT, accessToken: 'ya29.renewed' }, GRANT.refreshToken),
    ).toBe(false);
    expect((await readGrant(path))?.refreshToken).toBe('1//newer');
    expect(
      await writeGrant(
        path,
        { ...GRANT, refreshToken: '1//newer', accessToken: 'ya29.renewed' },
        '1//newer',
      ),
    ).toBe(true);
    expect((await readGrant(path))?.accessToken).toBe('ya29.renewed');
  });
});

describe('OAuth client keys', () => {
  it('reads Desktop ("installed") and web client files', async () => {
    await using dir = await tmpDir();
    const path = join(dir.path, 'keys.json');
    await writeFile(
      path,
      JSON.stringify({
        web: {
          client_id: 'id',
          client_secret: 's',
          token_uri: 'https://t',
          redirect_uris: ['http://localhost:8080/cb'],
        },
      }),
    );
    expect(await readClientKeys(path)).toEqual({
      clientId: 'id',
      clientSecret: 's',
      authUri: undefined,
      tokenUri: 'https://t',
      redirectUris: ['http://localhost:8080/cb'],
    });
    await writeFile(path, JSON.stringify({ installed: { project_id: 'p' } }));
    await expect(readClientKeys(path)).rejects.toThrow(/no client_id.*Desktop app/);
    await writeFile(path, 'not json');
    await expect(readClientKeys(path)).rejects.toThrow(CredentialFileError);
  });
});

describe('choosing the identity at start-up', () => {
  it('fails fast, naming the command to run, when there is no sign-in at all', async () => {
    await using dir = await tmpDir();
    const attempt = resolveCredentials(config(dir.path));
    await expect(attempt).rejects.toThrow(UsageError);
    await expect(attempt).rejects.toThrow(
      /Not signed in to Google Drive.*run `npx -y @plugboard\/server-gdrive auth`.*GOOGLE_APPLICATION_CREDENTIALS/,
    );
  });

  it('refuses a sign-in that can never be renewed', async () => {
    await using dir = await tmpDir();
    const cfg = config(dir.path);
    await writeGrant(cfg.credentialsPath, {
      ...GRANT,
      refreshToken: undefined,
      expiryDate: Date.now() - 1,
    });
    await expect(resolveCredentials(cfg)).rejects.toThrow(/has no refresh token.*auth/);
  });

  it("needs the keys file for the official server's format, and says so", async () => {
    await using dir = await tmpDir();
    const cfg = config(dir.path);
    await mkdir(join(dir.path, 'nested'));
    await writeFile(
      cfg.credentialsPath,
      JSON.stringify({ refresh_token: '1//r', access_token: 'a', token_type: 'Bearer' }),
      { mode: 0o600 },
    );
    await expect(resolveCredentials(cfg)).rejects.toThrow(
      /set GDRIVE_OAUTH_PATH to that client's keys file/,
    );
    await writeFile(
      cfg.oauthPath,
      JSON.stringify({
        installed: { client_id: 'cid', client_secret: 'cs', token_uri: 'https://token.example/t' },
      }),
    );
    expect(await resolveCredentials(cfg)).toMatchObject({
      kind: 'user',
      clientId: 'cid',
      clientSecret: 'cs',
      tokenUrl: 'https://token.example/t',
      savePath: cfg.credentialsPath,
    });
  });

  it('prefers the saved sign-in, then GOOGLE_APPLICATION_CREDENTIALS', async () => {
    await using dir = await tmpDir();
    const key = join(dir.path, 'sa.json');
    await writeFile(
      key,
      JSON.stringify({
        type: 'service_account',
        client_email: 'sa@p.iam.gserviceaccount.com',
        private_key: 'PEM',
      }),
    );
    const cfg = config(dir.path, {
      applicationCredentials: key,
      tokenUrl: 'http://127.0.0.1:9/token',
    });
    expect(await resolveCredentials(cfg, { impersonate: 'ada@example.com' })).toMatchObject({
      kind: 'service_account',
      tokenUrl: 'http://127.0.0.1:9/token',
      subject: 'ada@example.com',
      scopes: [SCOPES.readOnly],
    });
    await writeGrant(cfg.credentialsPath, GRANT);
    expect(await resolveCredentials(cfg)).toMatchObject({ kind: 'user', clientId: GRANT.clientId });
    await writeFile(key, JSON.stringify({ type: 'external_account' }));
    await expect(
      resolveCredentials(
        config(dir.path, {
          applicationCredentials: key,
          credentialsPath: join(dir.path, 'none.json'),
        }),
      ),
    ).rejects.toThrow(/not a service account key/);
  });
});
