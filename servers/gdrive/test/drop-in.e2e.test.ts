/**
 * Drop-in compatibility with `@modelcontextprotocol/server-gdrive`: the official launch (no
 * arguments; GDRIVE_CREDENTIALS_PATH holding the file the official `auth` wrote, GDRIVE_OAUTH_PATH
 * the client keys), the official `search` tool with its one argument, and `gdrive:///<fileId>`
 * resources listed and read with the official MIME types. Ours also renews the token the
 * official server let die.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { connectStdio, tmpDir } from '@plugboard/testing';
import { describe, expect, it } from 'vitest';
import { DOC, DRAWING, fakeDrive, SHEET, SLIDES } from './fake-drive.js';
import { PNG, xlsx } from './fixtures.js';
import { CLIENT_ID, CLIENT_SECRET, textOf, writeClientKeys, type CallResult } from './harness.js';

const SERVER = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

describe('drop-in replacement for @modelcontextprotocol/server-gdrive', () => {
  it('starts from the official configuration and answers the official tool and resources', async () => {
    await using fake = await fakeDrive();
    await using dir = await tmpDir('gdrive-dropin-');
    fake.addClient(CLIENT_ID, CLIENT_SECRET);
    const credentials = join(dir.path, '.gdrive-server-credentials.json');
    const keys = join(dir.path, 'gcp-oauth.keys.json');
    await writeClientKeys(keys, fake);
    // The official `auth` saved google-auth-library's credentials object; its access token expired long ago.
    await writeFile(
      credentials,
      JSON.stringify({
        access_token: 'ya29.official-expired',
        refresh_token: fake.grant(CLIENT_ID),
        scope: 'https://www.googleapis.com/auth/drive.readonly',
        token_type: 'Bearer',
        expiry_date: Date.now() - 24 * 3_600_000,
      }),
      { mode: 0o600 },
    );
    const doc = fake.add({
      name: 'Meeting notes',
      mimeType: DOC,
      exports: { 'text/markdown': '# Notes\n' },
      modifiedTime: '2026-06-05T00:00:00.000Z',
    });
    const sheet = fake.add({
      name: 'Budget',
      mimeType: SHEET,
      exports: { [XLSX]: xlsx([{ name: 'Sheet1', rows: [['a', 1]] }]) },
      modifiedTime: '2026-06-04T00:00:00.000Z',
    });
    const slides = fake.add({
      name: 'Deck',
      mimeType: SLIDES,
      exports: { 'text/plain': 'slide' },
      modifiedTime: '2026-06-03T00:00:00.000Z',
    });
    const drawing = fake.add({
      name: 'Diagram',
      mimeType: DRAWING,
      exports: { 'image/png': PNG },
      modifiedTime: '2026-06-02T00:00:00.000Z',
    });
    const text = fake.add({
      name: 'readme.txt',
      content: 'plain text',
      modifiedTime: '2026-06-01T00:00:00.000Z',
    });

    await using connection = await connectStdio({
      command: process.execPath,
      args: [SERVER],
      env: {
        HOME: dir.path,
        GDRIVE_CREDENTIALS_PATH: credentials,
        GDRIVE_OAUTH_PATH: keys,
        GDRIVE_API_URL: fake.url,
        GDRIVE_TOKEN_URL: fake.tokenUrl,
      },
    });

    const { tools } = await connection.client.listTools();
    const search = tools.find((tool) => tool.name === 'search');
    const schema = search?.inputSchema as {
      properties: Record<string, { type?: string }>;
      required?: string[];
    };
    expect(schema.properties.query?.type).toBe('string');
    expect(schema.required).toEqual(['query']);

    const found = (await connection.client.callTool({
      name: 'search',
      arguments: { query: 'notes' },
    })) as CallResult;
    expect(found.isError).toBeFalsy();
    expect(textOf(found)).toContain('Meeting notes (Google Doc)');
    // The official result had no ids; ours carries them, so the model can open what it found.
    expect(textOf(found)).toContain(doc.id);

    const { resources } = await connection.client.listResources();
    expect(resources.slice(0, 5)).toEqual([
      { uri: `gdrive:///${doc.id}`, name: 'Meeting notes', mimeType: DOC },
      { uri: `gdrive:///${sheet.id}`, name: 'Budget', mimeType: SHEET },
      { uri: `gdrive:///${slides.id}`, name: 'Deck', mimeType: SLIDES },
      { uri: `gdrive:///${drawing.id}`, name: 'Diagram', mimeType: DRAWING },
      { uri: `gdrive:///${text.id}`, name: 'readme.txt', mimeType: 'text/plain', size: 10 },
    ]);
    const read = async (id: string) =>
      (await connection.client.readResource({ uri: `gdrive:///${id}` })).contents[0];
    expect(await read(doc.id)).toMatchObject({ mimeType: 'text/markdown', text: '# Notes\n' });
    expect(await read(sheet.id)).toMatchObject({ mimeType: 'text/csv', text: 'a,1\n' });
    expect(await read(slides.id)).toMatchObject({ mimeType: 'text/plain', text: 'slide' });
    expect(await read(drawing.id)).toMatchObject({
      mimeType: 'image/png',
      blob: PNG.toString('base64'),
    });
    expect(await read(text.id)).toMatchObject({ mimeType: 'text/plain', text: 'plain text' });

    // The official server sent its expired token forever; ours renewed it with the keys file.
    expect(fake.tokenRequests()[0]!.body).toMatchObject({
      grant_type: 'refresh_token',
      client_id: CLIENT_ID,
    });
    expect(
      fake
        .apiRequests()
        .some((request) => request.headers.authorization === 'Bearer ya29.official-expired'),
    ).toBe(false);
  });
});
