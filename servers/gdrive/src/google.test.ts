/**
 * Sign-ins that keep working: access tokens renew by themselves (before they expire, and when
 * Drive rejects one early), renewals are saved back with mode 0600, a revoked grant gives an
 * error that names the command to run, and a new sign-in saved by `auth` is picked up without a
 * restart. Service accounts sign their assertions and honour GDRIVE_TOKEN_URL.
 */
import { generateKeyPairSync } from 'node:crypto';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeGrant } from './credentials.js';
import { MAX_TOKEN_BODY_BYTES } from './google.js';
import {
  DOC,
  fakeDrive,
  FULL_SCOPE,
  GOOGLE_TOKEN_AUDIENCE,
  READ_SCOPE,
  SHEET,
} from '../test/fake-drive.js';
import {
  CLIENT_ID,
  CLIENT_SECRET,
  harness,
  serve,
  testConfig,
  textOf,
  writeClientKeys,
} from '../test/harness.js';
import { tmpDir } from '@plugboard/testing';

async function savedGrant(path: string): Promise<Record<string, unknown>> {
  return JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
}

describe('user sign-in', () => {
  it('renews an expired access token before the request and saves it back, readable only by the user', async () => {
    await using bench = await harness();
    bench.fake.add({ name: 'a.txt', content: 'a' });
    const path = bench.config.credentialsPath;
    await writeGrant(path, {
      refreshToken: bench.refreshToken,
      accessToken: 'ya29.expired-long-ago',
      expiryDate: Date.now() - 3_600_000,
      scope: READ_SCOPE,
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
    });
    await using served = await startServed(bench.config);
    const result = await served.call('search', { query: '' });
    expect(result.isError).toBeFalsy();
    expect(bench.fake.tokenRequests()).toHaveLength(1);
    expect(bench.fake.tokenRequests()[0]!.body).toMatchObject({
      grant_type: 'refresh_token',
      refresh_token: bench.refreshToken,
      client_id: CLIENT_ID,
    });
    const api = bench.fake.apiRequests();
    expect(
      api.every((request) => request.headers.authorization !== 'Bearer ya29.expired-long-ago'),
    ).toBe(true);
    await expect
      .poll(async () => (await savedGrant(path)).access_token)
      .not.toBe('ya29.expired-long-ago');
    const saved = await savedGrant(path);
    expect(saved).toMatchObject({
      refresh_token: bench.refreshToken,
      client_id: CLIENT_ID,
      scope: READ_SCOPE,
    });
    expect(saved.expiry_date).toBeGreaterThan(Date.now());
    expect((await stat(path)).mode & 0o777).toBe(0o600);
  });

  it('renews and retries once when Drive rejects a token that should still be valid (the hour the official server died at)', async () => {
    await using bench = await harness();
    bench.fake.add({ name: 'a.txt', content: 'a' });
    expect((await bench.call('search', { query: '' })).isError).toBeFalsy();
    bench.fake.expireAccessTokens();
    const again = await bench.call('search', { query: '' });
    expect(again.isError).toBeFalsy();
    expect(bench.fake.tokenRequests()).toHaveLength(2);
    const statuses = bench.fake.apiRequests().map((request) => request.headers.authorization);
    expect(new Set(statuses).size).toBe(2);
  });

  it('says which command to run when the grant was revoked, and keeps serving', async () => {
    await using bench = await harness();
    bench.fake.revoke(bench.refreshToken);
    const result = await bench.call('search', { query: 'x' });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toContain('Google no longer accepts the saved sign-in (invalid_grant');
    expect(textOf(result)).toContain('Run `npx -y @plugboard/server-gdrive auth`');
    expect(textOf(result)).not.toContain(bench.refreshToken);
    const again = await bench.call('get_file_metadata', {
      fileId: '1NoSuchFileAAAAAAAAAAAAAAAAAAAAAA',
    });
    expect(textOf(again)).toContain('invalid_grant');
  });

  it('picks up a new sign-in saved by auth while running, without a restart', async () => {
    await using bench = await harness();
    bench.fake.add({ name: 'a.txt', content: 'a' });
    expect((await bench.call('search', { query: '' })).isError).toBeFalsy();
    await expect
      .poll(async () => (await savedGrant(bench.config.credentialsPath)).access_token)
      .toEqual(expect.any(String));
    bench.fake.revoke(bench.refreshToken);
    const fresh = bench.fake.grant(CLIENT_ID, READ_SCOPE);
    await writeGrant(bench.config.credentialsPath, {
      refreshToken: fresh,
      accessToken: undefined,
      expiryDate: undefined,
      scope: READ_SCOPE,
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
    });
    const result = await bench.call('search', { query: '' });
    expect(result.isError, textOf(result)).toBeFalsy();
    expect(bench.fake.tokenRequests().at(-1)!.body).toMatchObject({ refresh_token: fresh });
    // The renewal of the new grant is saved; the old one never overwrites it.
    await expect
      .poll(async () => (await savedGrant(bench.config.credentialsPath)).access_token)
      .toEqual(expect.any(String));
    expect((await savedGrant(bench.config.credentialsPath)).refresh_token).toBe(fresh);
  });

  it("uses the official server's saved file with the OAuth keys it was made with, and renews it", async () => {
    await using fake = await fakeDrive();
    await using dir = await tmpDir('gdrive-');
    fake.addClient(CLIENT_ID, CLIENT_SECRET);
    fake.add({ name: 'a.txt', content: 'a' });
    const config = testConfig(fake, dir.path, { tokenUrl: undefined });
    await writeClientKeys(config.oauthPath, fake);
    // What @modelcontextprotocol/server-gdrive wrote: the credentials object, no client id.
    const refresh = fake.grant(CLIENT_ID, READ_SCOPE);
    await writeFile(
      config.credentialsPath,
      JSON.stringify({
        access_token: 'ya29.old',
        refresh_token: refresh,
        scope: READ_SCOPE,
        token_type: 'Bearer',
        expiry_date: Date.now() - 1000,
      }),
      { mode: 0o600 },
    );
    await using served = await startServed(config);
    expect((await served.call('search', { query: '' })).isError).toBeFalsy();
    expect(fake.tokenRequests()[0]!.body).toMatchObject({
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
      refresh_token: refresh,
    });
  });

  it('learns the granted scopes from the token answer when the saved sign-in does not list them, and names the one missing', async () => {
    await using fake = await fakeDrive();
    await using dir = await tmpDir('gdrive-');
    fake.addClient(CLIENT_ID, CLIENT_SECRET);
    const sheet = fake.add({
      name: 'Plan',
      mimeType: SHEET,
      sheets: [{ title: 'Sheet1', rows: [] }],
    });
    const config = testConfig(fake, dir.path, { allowWrite: true });
    await writeClientKeys(config.oauthPath, fake);
    const refresh = fake.grant(CLIENT_ID, READ_SCOPE);
    await writeGrant(config.credentialsPath, {
      refreshToken: refresh,
      accessToken: undefined,
      expiryDate: undefined,
      scope: undefined,
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
    });
    await using served = await startServed(config);
    expect(served.google.grantedScopes()).toBeUndefined();
    const refused = await served.call('update_sheet_values', {
      spreadsheetId: sheet.id,
      range: 'A1',
      values: [['x']],
    });
    expect(refused.isError).toBe(true);
    expect(textOf(refused)).toContain(
      `lacks the scope this needs (https://www.googleapis.com/auth/spreadsheets, or ${FULL_SCOPE} which includes it; it has ${READ_SCOPE})`,
    );
    expect(served.google.grantedScopes()).toEqual([READ_SCOPE]);
  });

  it("uses gcloud's user credentials through GOOGLE_APPLICATION_CREDENTIALS without writing to them", async () => {
    await using fake = await fakeDrive();
    await using dir = await tmpDir('gdrive-');
    fake.addClient(CLIENT_ID, CLIENT_SECRET);
    const adc = join(dir.path, 'application_default_credentials.json');
    const original = JSON.stringify({
      type: 'authorized_user',
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
      refresh_token: fake.grant(CLIENT_ID, READ_SCOPE),
    });
    await writeFile(adc, original, { mode: 0o600 });
    await using served = await startServed(
      testConfig(fake, dir.path, { applicationCredentials: adc }),
    );
    expect((await served.call('search', { query: '' })).isError).toBeFalsy();
    expect(await readFile(adc, 'utf8')).toBe(original);
  });
});

describe('service accounts', () => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const EMAIL = 'drive-reader@plugboard-test.iam.gserviceaccount.com';

  async function withServiceAccount(overrides: Parameters<typeof testConfig>[2] = {}) {
    const fake = await fakeDrive();
    const dir = await tmpDir('gdrive-');
    fake.addServiceAccount({
      email: EMAIL,
      publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      delegates: ['ada@example.com'],
    });
    const keyPath = join(dir.path, 'service-account.json');
    await writeFile(
      keyPath,
      JSON.stringify({
        type: 'service_account',
        project_id: 'plugboard-test',
        private_key_id: 'abc123',
        private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
        client_email: EMAIL,
        client_id: '1234567890',
        token_uri: GOOGLE_TOKEN_AUDIENCE,
      }),
      { mode: 0o600 },
    );
    const config = testConfig(fake, dir.path, { applicationCredentials: keyPath, ...overrides });
    return {
      fake,
      config,
      [Symbol.asyncDispose]: async () => {
        await fake.close();
        await dir.cleanup();
      },
    };
  }

  it('signs an assertion for the read-only scope and sends it to GDRIVE_TOKEN_URL', async () => {
    await using account = await withServiceAccount();
    account.fake.add({ name: 'shared with the robot', content: 'x' });
    await using served = await startServed(account.config);
    const result = await served.call('search', { query: '' });
    expect(result.isError).toBeFalsy();
    const [token] = account.fake.tokenRequests();
    expect(token!.body).toMatchObject({
      grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
    });
    const claims = JSON.parse(
      Buffer.from(
        String((token!.body as { assertion: string }).assertion.split('.')[1]),
        'base64url',
      ).toString(),
    ) as Record<string, unknown>;
    expect(claims).toMatchObject({ iss: EMAIL, aud: GOOGLE_TOKEN_AUDIENCE, scope: READ_SCOPE });
    expect(claims.sub).toBeUndefined();
  });

  it('asks for the full scope only when writing is on, and acts as a delegated user', async () => {
    await using account = await withServiceAccount({
      allowWrite: true,
      scopes: [FULL_SCOPE],
      impersonate: 'ada@example.com',
    });
    await using served = await startServed(account.config);
    expect((await served.call('create_folder', { name: 'Robot' })).isError).toBeFalsy();
    const claims = JSON.parse(
      Buffer.from(
        String(
          (account.fake.tokenRequests()[0]!.body as { assertion: string }).assertion.split('.')[1],
        ),
        'base64url',
      ).toString(),
    ) as Record<string, unknown>;
    expect(claims).toMatchObject({ scope: FULL_SCOPE, sub: 'ada@example.com' });
  });

  it("names the scope a call lacks from Google's refusal alone, the token's scopes being unknown", async () => {
    await using account = await withServiceAccount({ allowWrite: true, scopes: [READ_SCOPE] });
    const doc = account.fake.add({ name: 'Notes', mimeType: DOC, docText: '\n' });
    await using served = await startServed(account.config);
    const refused = await served.call('append_to_document', { documentId: doc.id, text: 'x' });
    expect(refused.isError).toBe(true);
    expect(textOf(refused)).toContain(
      `The service account's token lacks the scope this needs (https://www.googleapis.com/auth/documents, or ${FULL_SCOPE} which includes it)`,
    );
    expect(doc.docText).toBe('\n');
  });

  it('reads the token exchange answer under the same cap', async () => {
    await using account = await withServiceAccount();
    account.fake.tokenPadding = 10 * MAX_TOKEN_BODY_BYTES;
    await using served = await startServed(account.config);
    const refused = await served.call('search', { query: '' });
    expect(refused.isError).toBe(true);
    expect(textOf(refused)).toContain(
      "Google token endpoint's answer was larger than the 64 KiB cap",
    );
    expect(account.fake.apiRequests()).toEqual([]);
    account.fake.tokenPadding = 0;
    expect((await served.call('search', { query: '' })).isError).toBeFalsy();
  });
  it('explains a refused delegation', async () => {
    await using account = await withServiceAccount({ impersonate: 'eve@example.com' });
    await using served = await startServed(account.config);
    const result = await served.call('search', { query: '' });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toContain('domain-wide delegation');
  });
});

describe('token answers', () => {
  it('reads a renewal answer under a cap, refuses one past it, and renews normally afterwards', async () => {
    await using bench = await harness();
    bench.fake.add({ name: 'a.txt', content: 'a' });
    bench.fake.expireAccessTokens();
    bench.fake.tokenPadding = MAX_TOKEN_BODY_BYTES;
    const refused = await bench.call('search', { query: '' });
    expect(refused.isError).toBe(true);
    expect(textOf(refused)).toContain(
      "Google token endpoint's answer was larger than the 64 KiB cap",
    );
    expect(textOf(refused)).toContain('check that --token-url (GDRIVE_TOKEN_URL)');
    expect(textOf(refused)).not.toContain('smaller page');
    bench.fake.tokenPadding = MAX_TOKEN_BODY_BYTES - 2048;
    const padded = await bench.call('search', { query: '' });
    expect(padded.isError, textOf(padded)).toBeFalsy();
    expect(padded.structuredContent).toMatchObject({ files: [{ name: 'a.txt' }] });
  });
});

async function startServed(config: Parameters<typeof serve>[0]) {
  const served = await serve(config);
  return { ...served, [Symbol.asyncDispose]: () => served.close() };
}
