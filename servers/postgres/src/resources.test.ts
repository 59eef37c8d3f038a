import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  createScratchDatabase,
  describeWithDatabase,
  type ScratchDatabase,
} from '../test/support/database.js';
import { startHarness, type Harness } from '../test/support/harness.js';

describeWithDatabase('schema resources, completion and prompts', () => {
  let db: ScratchDatabase;
  let server: Harness;
  let base: string;

  beforeAll(async () => {
    db = await createScratchDatabase('resources');
    await db.owner(`CREATE TABLE public.accounts (id int, owner_name text, opened date);
      CREATE SCHEMA billing;
      CREATE TABLE billing.accounts (invoice_id bigint);
      CREATE TABLE billing.invoices (id bigint, amount numeric);
      CREATE VIEW billing.open_invoices AS SELECT * FROM billing.invoices;`);
    server = await startHarness({ env: { DATABASE_URL: db.ownerUrl } });
    const url = new URL(db.ownerUrl);
    base = `postgres://${url.username}@${url.host}/`;
  });

  afterAll(async () => {
    await server?.close();
    await db?.drop();
  });

  it("lists public tables at the official URIs and other schemas' tables one level deeper", async () => {
    const { resources } = await server.client.listResources();
    expect(resources).toEqual([
      {
        uri: `${base}accounts/schema`,
        name: '"accounts" database schema',
        mimeType: 'application/json',
      },
      {
        uri: `${base}billing/accounts/schema`,
        name: '"billing.accounts" database schema',
        mimeType: 'application/json',
      },
      {
        uri: `${base}billing/invoices/schema`,
        name: '"billing.invoices" database schema',
        mimeType: 'application/json',
      },
      {
        uri: `${base}billing/open_invoices/schema`,
        name: '"billing.open_invoices" database schema',
        mimeType: 'application/json',
      },
    ]);
  });

  it('reads the columns of the right table even when two schemas use the same name', async () => {
    const publicTable = await server.client.readResource({ uri: `${base}accounts/schema` });
    expect(publicTable.contents).toEqual([
      {
        uri: `${base}accounts/schema`,
        mimeType: 'application/json',
        text: JSON.stringify(
          [
            { column_name: 'id', data_type: 'integer' },
            { column_name: 'owner_name', data_type: 'text' },
            { column_name: 'opened', data_type: 'date' },
          ],
          null,
          2,
        ),
      },
    ]);
    const billing = await server.client.readResource({ uri: `${base}billing/accounts/schema` });
    expect(JSON.parse((billing.contents[0] as { text: string }).text)).toEqual([
      { column_name: 'invoice_id', data_type: 'bigint' },
    ]);
  });

  it('answers an unknown table with resource-not-found', async () => {
    await expect(server.client.readResource({ uri: `${base}nope/schema` })).rejects.toThrow(
      /-32002|not found/i,
    );
  });

  it('publishes both URI templates', async () => {
    const { resourceTemplates } = await server.client.listResourceTemplates();
    expect(resourceTemplates.map((template) => template.uriTemplate)).toEqual([
      `${base}{table}/schema`,
      `${base}{schema}/{table}/schema`,
    ]);
  });

  it('completes schema and table names in the resource templates', async () => {
    const schemas = await server.client.complete({
      ref: { type: 'ref/resource', uri: `${base}{schema}/{table}/schema` },
      argument: { name: 'schema', value: 'bil' },
    });
    expect(schemas.completion.values).toEqual(['billing']);
    const tables = await server.client.complete({
      ref: { type: 'ref/resource', uri: `${base}{schema}/{table}/schema` },
      argument: { name: 'table', value: 'in' },
      context: { arguments: { schema: 'billing' } },
    });
    expect(tables.completion.values).toEqual(['invoices']);
    const publicTables = await server.client.complete({
      ref: { type: 'ref/resource', uri: `${base}{table}/schema` },
      argument: { name: 'table', value: '' },
    });
    expect(publicTables.completion.values).toEqual(['accounts']);
  });

  it('treats LIKE wildcards in a completion prefix literally', async () => {
    const none = await server.client.complete({
      ref: { type: 'ref/resource', uri: `${base}{table}/schema` },
      argument: { name: 'table', value: '%' },
    });
    expect(none.completion.values).toEqual([]);
  });

  it('completes column names for the profile_column prompt and builds it with quoted names', async () => {
    const { prompts } = await server.client.listPrompts();
    expect(prompts.map((prompt) => prompt.name)).toEqual(['profile_column']);
    const columns = await server.client.complete({
      ref: { type: 'ref/prompt', name: 'profile_column' },
      argument: { name: 'column', value: 'o' },
      context: { arguments: { table: 'accounts' } },
    });
    expect(columns.completion.values).toEqual(['owner_name', 'opened']);
    const prompt = await server.client.getPrompt({
      name: 'profile_column',
      arguments: { schema: 'billing', table: 'invoices', column: 'amount' },
    });
    const text = (prompt.messages[0]?.content as { text: string }).text;
    expect(text).toContain('count(DISTINCT "amount")');
    expect(text).toContain('FROM billing.invoices');
    expect(text).toContain("tablename = 'invoices'");
  });
});
