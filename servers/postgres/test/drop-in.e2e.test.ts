import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { connectStdio, type StdioConnection } from '@plugboard/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  createScratchDatabase,
  describeWithDatabase,
  type ScratchDatabase,
} from './support/database.js';

const OURS = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const OFFICIAL = createRequire(import.meta.url).resolve(
  '@modelcontextprotocol/server-postgres/dist/index.js',
);

interface JsonSchema {
  properties?: Record<string, { type?: string }>;
  required?: string[];
}

/**
 * A user switching from @modelcontextprotocol/server-postgres changes only the package name: the
 * same positional URL, the `query` tool with its `sql` argument, and the same per-table schema
 * resources with the same content. Both servers run against the same database here.
 */
describeWithDatabase('drop-in for @modelcontextprotocol/server-postgres', () => {
  let db: ScratchDatabase;
  let official: StdioConnection;
  let ours: StdioConnection;

  beforeAll(async () => {
    if (!existsSync(OURS)) throw new Error(`${OURS} is missing: run pnpm build first`);
    db = await createScratchDatabase('dropin');
    await db.owner(`CREATE TABLE users (id serial PRIMARY KEY, email text NOT NULL, joined date);
      CREATE TABLE orders (id bigint, user_id int, total numeric);
      INSERT INTO users (email, joined) VALUES ('a@x.io', '2024-01-01'), ('b@x.io', NULL);`);
    // The same command line for both: the URL as the only argument.
    official = await connectStdio({ command: process.execPath, args: [OFFICIAL, db.ownerUrl] });
    ours = await connectStdio({ command: process.execPath, args: [OURS, db.ownerUrl] });
  });

  afterAll(async () => {
    await official?.close();
    await ours?.close();
    await db?.drop();
  });

  const both = async <T>(
    read: (client: StdioConnection['client']) => Promise<T>,
  ): Promise<[T, T]> => [await read(official.client), await read(ours.client)];

  it('offers every official tool with the official argument names', async () => {
    const [theirs, mine] = await both(async (client) => (await client.listTools()).tools);
    for (const tool of theirs) {
      const match = mine.find((candidate) => candidate.name === tool.name);
      expect(match, `tool ${tool.name}`).toBeDefined();
      const ourSchema = match!.inputSchema as JsonSchema;
      for (const [name, property] of Object.entries(
        (tool.inputSchema as JsonSchema).properties ?? {},
      )) {
        expect(ourSchema.properties?.[name]?.type, `${tool.name}.${name}`).toBe(property.type);
      }
    }
    expect(theirs.map((tool) => tool.name)).toEqual(['query']);
  });

  it('returns the same rows from query', async () => {
    const sql = 'SELECT id, email, joined::text FROM users ORDER BY id';
    const [theirs, mine] = await both(
      async (client) =>
        (await client.callTool({ name: 'query', arguments: { sql } })) as CallToolResult,
    );
    const officialRows = JSON.parse((theirs.content[0] as { text: string }).text) as Record<
      string,
      unknown
    >[];
    const data = mine.structuredContent as { columns: { name: string }[]; rows: unknown[][] };
    const ourRows = data.rows.map((row) =>
      Object.fromEntries(data.columns.map((column, index) => [column.name, row[index]])),
    );
    expect(ourRows).toEqual(officialRows);
  });

  it('lists the same schema resources for the public tables', async () => {
    const [theirs, mine] = await both(async (client) => (await client.listResources()).resources);
    const sort = (list: { uri: string }[]): { uri: string }[] =>
      [...list].sort((a, b) => a.uri.localeCompare(b.uri));
    expect(sort(mine)).toEqual(sort(theirs));
    expect(mine).toHaveLength(2);
  });

  it('reads the same content from each schema resource (ours in column order)', async () => {
    const url = new URL(db.ownerUrl);
    type Column = { column_name: string; data_type: string };
    const byName = (a: Column, b: Column): number => a.column_name.localeCompare(b.column_name);
    for (const table of ['users', 'orders']) {
      const uri = `postgres://${url.username}@${url.host}/${table}/schema`;
      const [fromOfficial, fromOurs] = await both((client) => client.readResource({ uri }));
      const [theirs, mine] = [fromOfficial.contents[0], fromOurs.contents[0]] as {
        uri: string;
        mimeType: string;
        text: string;
      }[];
      expect({ uri: mine!.uri, mimeType: mine!.mimeType }).toEqual({
        uri: theirs!.uri,
        mimeType: theirs!.mimeType,
      });
      const theirColumns = JSON.parse(theirs!.text) as Column[];
      const myColumns = JSON.parse(mine!.text) as Column[];
      expect([...myColumns].sort(byName)).toEqual([...theirColumns].sort(byName));
      expect(mine!.text).toBe(JSON.stringify(myColumns, null, 2));
    }
    const mine = await ours.client.readResource({
      uri: `postgres://${url.username}@${url.host}/users/schema`,
    });
    expect(JSON.parse((mine.contents[0] as { text: string }).text)).toEqual([
      { column_name: 'id', data_type: 'integer' },
      { column_name: 'email', data_type: 'text' },
      { column_name: 'joined', data_type: 'date' },
    ]);
  });
});
