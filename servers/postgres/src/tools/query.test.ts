import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  createScratchDatabase,
  describeWithDatabase,
  type ScratchDatabase,
} from '../../test/support/database.js';
import { startHarness, type Harness } from '../../test/support/harness.js';

interface Result {
  columns: { name: string; type: string }[];
  rows: unknown[][];
  rowCount: number;
  truncated: boolean;
  nextOffset?: number;
  command?: string;
  affectedRows?: number;
  committed?: boolean;
}

describeWithDatabase('query', () => {
  let db: ScratchDatabase;
  let server: Harness;

  beforeAll(async () => {
    db = await createScratchDatabase('query');
    await db.owner(`CREATE TABLE items (id bigint PRIMARY KEY, label text, price numeric(10, 2), tags text[],
        meta jsonb, seen timestamptz, day date, ok boolean, ratio double precision, blob bytea, code varchar(8));
      INSERT INTO items VALUES
        (1, 'tab' || chr(9) || 'and' || chr(10) || 'newline', 9.99, '{a,b}', '{"k": [1, 2]}', '2024-05-01 12:00:00+00', '2024-05-01', true, 0.5, '\\x00ff', 'A1'),
        (9007199254740993, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 'NaN', NULL, NULL);`);
    server = await startHarness({ env: { DATABASE_URL: db.ownerUrl }, args: ['--max-rows', '50'] });
  });

  afterAll(async () => {
    await server?.close();
    await db?.drop();
  });

  it('returns rows with column names and PostgreSQL type names', async () => {
    const result = await server.call('query', { sql: 'SELECT * FROM items ORDER BY id' });
    const data = result.structuredContent as unknown as Result;
    expect(data.columns).toEqual([
      { name: 'id', type: 'bigint' },
      { name: 'label', type: 'text' },
      { name: 'price', type: 'numeric(10,2)' },
      { name: 'tags', type: 'text[]' },
      { name: 'meta', type: 'jsonb' },
      { name: 'seen', type: 'timestamp with time zone' },
      { name: 'day', type: 'date' },
      { name: 'ok', type: 'boolean' },
      { name: 'ratio', type: 'double precision' },
      { name: 'blob', type: 'bytea' },
      { name: 'code', type: 'character varying(8)' },
    ]);
    expect(data).toMatchObject({
      rowCount: 2,
      truncated: false,
      command: 'SELECT',
      affectedRows: 2,
    });
  });

  it('keeps exact values: safe integers as numbers, larger ones and numerics as text, dates as the server prints them', async () => {
    const data = (await server.call('query', { sql: 'SELECT * FROM items ORDER BY id' }))
      .structuredContent as unknown as Result;
    const [first, second] = data.rows;
    expect(first).toEqual([
      1,
      'tab\tand\nnewline',
      '9.99',
      '{a,b}',
      { k: [1, 2] },
      expect.stringMatching(/^2024-05-01 \d\d:00:00[+-]\d\d$/),
      '2024-05-01',
      true,
      0.5,
      '\\x00ff',
      'A1',
    ]);
    expect(second?.[0]).toBe('9007199254740993');
    expect(second?.[8]).toBe('NaN');
    expect(second?.slice(1, 8)).toEqual([null, null, null, null, null, null, null]);
  });

  it('renders text rows one per line with control characters escaped, so a value cannot fake a row', async () => {
    const result = await server.call('query', { sql: 'SELECT id, label FROM items ORDER BY id' });
    const lines = server.text(result).split('\n');
    expect(lines[0]).toBe('columns: id (bigint) | label (text)');
    expect(lines[1]).toBe('id\tlabel');
    expect(lines[2]).toBe('1\ttab\\tand\\nnewline');
    expect(lines[3]).toBe('9007199254740993\tNULL');
    expect(lines).toHaveLength(5);
  });

  it('pages through a long result with offset', async () => {
    const sql = 'SELECT g FROM generate_series(1, 120) g';
    const first = (await server.call('query', { sql })).structuredContent as unknown as Result;
    expect(first).toMatchObject({ rowCount: 50, truncated: true, nextOffset: 50 });
    const second = (await server.call('query', { sql, offset: 50 }))
      .structuredContent as unknown as Result;
    expect(second.rows[0]).toEqual([51]);
    const last = (await server.call('query', { sql, offset: 100 }))
      .structuredContent as unknown as Result;
    expect(last).toMatchObject({ rowCount: 20, truncated: false });
    expect(last.nextOffset).toBeUndefined();
    const capped = (await server.call('query', { sql, maxRows: 5000 }))
      .structuredContent as unknown as Result;
    expect(capped.rowCount).toBe(50);
    const fewer = (await server.call('query', { sql, maxRows: 3 }))
      .structuredContent as unknown as Result;
    expect(fewer).toMatchObject({ rowCount: 3, truncated: true, nextOffset: 3 });
  });

  it('says how to continue in the text of a truncated result', async () => {
    const result = await server.call('query', { sql: 'SELECT g FROM generate_series(1, 120) g' });
    expect(server.text(result)).toContain('call again with offset: 50');
  });

  it('handles statements without rows and empty statements', async () => {
    const show = (await server.call('query', { sql: 'SHOW server_version' }))
      .structuredContent as unknown as Result;
    expect(show.columns).toEqual([{ name: 'server_version', type: 'text' }]);
    const none = (await server.call('query', { sql: 'SELECT 1 WHERE false' }))
      .structuredContent as unknown as Result;
    expect(none).toMatchObject({ rowCount: 0, truncated: false, rows: [] });
    const empty = await server.call('query', { sql: '-- nothing' });
    expect(empty.isError).toBeFalsy();
    expect((empty.structuredContent as unknown as Result).rows).toEqual([]);
  });

  it('renders a 9,000-deep JSON value within the budget instead of losing the row', async () => {
    const result = await server.call('query', {
      sql: "SELECT 'kept' AS label, (repeat('[', 9000) || repeat(']', 9000))::jsonb AS deep, (repeat('[', 9000) || repeat(']', 9000))::json AS deep_json",
    });
    expect(result.isError, server.text(result)).toBeFalsy();
    const data = result.structuredContent as unknown as Result & { cutValues?: number };
    expect(data.rows).toHaveLength(1);
    const [label, deep, deepJson] = data.rows[0]!;
    expect(label).toBe('kept');
    for (const value of [deep, deepJson]) {
      expect(typeof value).toBe('string');
      expect(value as string).toMatch(/^\[\[\[/);
      expect((value as string).length).toBeLessThan(18_000);
    }
    expect(data.cutValues).toBe(2);
    await server.client.ping();
  });

  it('accepts a single statement with a trailing semicolon', async () => {
    const result = await server.call('query', { sql: 'SELECT 42 AS answer;' });
    expect((result.structuredContent as unknown as Result).rows).toEqual([[42]]);
  });

  it('maps errors to SQLSTATE, the marked position, the hint and what to do', async () => {
    const missing = server.text(await server.call('query', { sql: 'SELECT *\nFROM itemz' }));
    expect(missing).toContain(
      'PostgreSQL error 42P01 (undefined_table): relation "itemz" does not exist',
    );
    expect(missing).toContain('at line 2, column 6:\n  FROM itemz\n       ^');
    expect(missing).toContain('list_objects');
    const column = server.text(await server.call('query', { sql: 'SELECT idd FROM items' }));
    expect(column).toContain('42703');
    expect(column).toMatch(/Hint: Perhaps you meant to reference the column "items.id"/);
    expect(column).toContain('describe_object');
    const syntax = server.text(await server.call('query', { sql: 'SELEC 1' }));
    expect(syntax).toContain('42601 (syntax_error)');
    expect(syntax).toContain('column 1');
    const types = server.text(await server.call('query', { sql: "SELECT 'a' + 1" }));
    expect(types).toContain('22P02');
    const fn = server.text(await server.call('query', { sql: 'SELECT no_such_function(1)' }));
    expect(fn).toContain('42883');
    expect(fn).toContain('explicit casts');
  });
});

describeWithDatabase('execute_sql', () => {
  let db: ScratchDatabase;

  beforeAll(async () => {
    db = await createScratchDatabase('execute');
    await db.owner(`CREATE TABLE notes (id serial PRIMARY KEY, body text NOT NULL)`);
  });

  afterAll(async () => {
    await db?.drop();
  });

  it('does not exist unless the operator allows writes, and query stays read-only when they are allowed', async () => {
    const readOnly = await startHarness({ env: { DATABASE_URL: db.ownerUrl } });
    try {
      const { tools } = await readOnly.client.listTools();
      expect(tools.map((tool) => tool.name)).not.toContain('execute_sql');
    } finally {
      await readOnly.close();
    }
    const writable = await startHarness({
      env: { DATABASE_URL: db.ownerUrl },
      args: ['--allow-write'],
    });
    try {
      const result = await writable.call('query', { sql: "INSERT INTO notes (body) VALUES ('x')" });
      expect(writable.text(result)).toContain('25006');
      expect(writable.text(result)).toContain('execute_sql');
    } finally {
      await writable.close();
    }
  });

  it('hides execute_sql under --read-only even with --allow-write', async () => {
    const server = await startHarness({
      env: { DATABASE_URL: db.ownerUrl },
      args: ['--allow-write', '--read-only'],
    });
    try {
      const { tools } = await server.client.listTools();
      expect(tools.map((tool) => tool.name)).not.toContain('execute_sql');
    } finally {
      await server.close();
    }
  });

  describeWithDatabase('with --allow-write', () => {
    let server: Harness;

    beforeAll(async () => {
      server = await startHarness({ env: { DATABASE_URL: db.ownerUrl }, args: ['--allow-write'] });
    });

    afterAll(async () => {
      await server?.close();
    });

    it('commits data changes and returns RETURNING rows', async () => {
      const result = await server.call('execute_sql', {
        sql: "INSERT INTO notes (body) VALUES ('first'), ('second') RETURNING id, body",
      });
      const data = result.structuredContent as unknown as Result;
      expect(data).toMatchObject({ command: 'INSERT', affectedRows: 2, committed: true });
      expect(data.rows).toEqual([
        [1, 'first'],
        [2, 'second'],
      ]);
      expect(await db.scalar('SELECT count(*)::int FROM notes')).toBe(2);
      const update = await server.call('execute_sql', {
        sql: "UPDATE notes SET body = 'changed' WHERE id = 1",
      });
      expect(update.structuredContent).toMatchObject({
        command: 'UPDATE',
        affectedRows: 1,
        rows: [],
      });
      expect(server.text(update)).toContain('Committed.');
    });

    it('rolls a dry run back after reporting what it would change', async () => {
      const result = await server.call('execute_sql', { sql: 'DELETE FROM notes', dryRun: true });
      expect(result.structuredContent).toMatchObject({
        command: 'DELETE',
        affectedRows: 2,
        committed: false,
      });
      expect(server.text(result)).toContain('rolled back');
      expect(await db.scalar('SELECT count(*)::int FROM notes')).toBe(2);
    });

    it.each([
      'CREATE TABLE sneaky (x int)',
      'ALTER TABLE notes ADD COLUMN extra int',
      'DROP TABLE notes',
      'TRUNCATE notes',
      'GRANT SELECT ON notes TO PUBLIC',
      "COMMENT ON TABLE notes IS 'x'",
      'CREATE INDEX ON notes (body)',
      'DO $$ BEGIN EXECUTE $e$CREATE TABLE hidden (x int)$e$; END $$',
    ])('refuses and rolls back a schema change without --allow-ddl: %s', async (sql) => {
      const result = await server.call('execute_sql', { sql });
      expect(result.isError).toBe(true);
      expect(server.text(result)).toContain('--allow-ddl');
      expect(
        await db.scalar(
          "SELECT count(*)::int FROM pg_class WHERE relname IN ('sneaky', 'hidden') OR relname LIKE 'notes_body%'",
        ),
      ).toBe(0);
      expect(
        await db.scalar(
          "SELECT count(*)::int FROM information_schema.columns WHERE table_name = 'notes'",
        ),
      ).toBe(2);
      expect(await db.scalar('SELECT count(*)::int FROM notes')).toBe(2);
      expect(await db.scalar("SELECT obj_description('notes'::regclass)")).toBeNull();
    });

    it('still sends one statement per call', async () => {
      const result = await server.call('execute_sql', { sql: "DELETE FROM notes; SELECT 'x'" });
      expect(server.text(result)).toContain('42601');
      expect(await db.scalar('SELECT count(*)::int FROM notes')).toBe(2);
    });
  });

  it('applies schema changes with --allow-write --allow-ddl', async () => {
    const server = await startHarness({
      env: { DATABASE_URL: db.ownerUrl },
      args: ['--allow-write', '--allow-ddl'],
    });
    try {
      const result = await server.call('execute_sql', { sql: 'CREATE TABLE tags (name text)' });
      expect(result.isError).toBeFalsy();
      expect(await db.scalar("SELECT to_regclass('public.tags') IS NOT NULL")).toBe(true);
    } finally {
      await server.close();
    }
  });
});
