import { describe, expect, it } from 'vitest';
import { markdownTables, optionsInReadme } from './options-in-readme.js';

const README = [
  '| tool        | what it does            |',
  '| ----------- | ----------------------- |',
  '| `read_file` | reads, see `--max-size` |',
  '',
  '| flag                      | env twin               | meaning            |',
  '| ------------------------- | ---------------------- | ------------------ |',
  '| `--help`, `--version`     | –                      | print and exit     |',
  '| `--port N`, `--host H`    | `MCP_PORT`, `MCP_HOST` | address            |',
  '| `--transport stdio\\|http` | `MCP_TRANSPORT`        | default `stdio`    |',
  '| `--read-only`             | `<SERVER>_READ_ONLY=1` | hide every write   |',
  '| –                         | `DEMO_TOKEN`           | the token          |',
  '',
  '| variable          | meaning          |',
  '| ----------------- | ---------------- |',
  '| `PGHOST`, `PGPORT` | libpq, `NOT_ME` |',
].join('\n');

describe('markdownTables', () => {
  it('splits rows into cells and keeps an escaped pipe inside its cell', () => {
    const tables = markdownTables(README);
    expect(tables.map((table) => table.header[0])).toEqual(['tool', 'flag', 'variable']);
    expect(tables[1]?.rows[2]).toEqual([
      '`--transport stdio\\|http`',
      '`MCP_TRANSPORT`',
      'default `stdio`',
    ]);
  });
});

describe('optionsInReadme', () => {
  it('takes flags from the first column of flag tables only', () => {
    expect([...optionsInReadme(README, 'DEMO').flags].sort()).toEqual([
      'host',
      'port',
      'read-only',
      'transport',
    ]);
  });

  it('takes variables from the env column and the first column of variable tables, <SERVER> as the prefix', () => {
    expect([...optionsInReadme(README, 'DEMO').env].sort()).toEqual([
      'DEMO_READ_ONLY',
      'DEMO_TOKEN',
      'MCP_HOST',
      'MCP_PORT',
      'MCP_TRANSPORT',
      'PGHOST',
      'PGPORT',
    ]);
  });
});
