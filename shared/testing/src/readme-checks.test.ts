import { describe, expect, it } from 'vitest';
import { expectTablesMatchHelp, tableGaps } from './readme-checks.js';

const HELP = [
  'Options:',
  '  --port N                        HTTP port [env MCP_PORT]',
  '  --allow-write                   Offer the write tools [env DEMO_ALLOW_WRITE]',
  '  --help                            Print this help and exit',
].join('\n');

const COMMON = [
  '| flag       | environment | meaning   |',
  '| ---------- | ----------- | --------- |',
  '| `--port N` | `MCP_PORT`  | HTTP port |',
].join('\n');

const table = (...rows: string[]): string =>
  ['| flag | environment | meaning |', '| ---- | ----------- | ------- |', ...rows].join('\n');

/** Only the non-empty gaps, for short expectations. */
function gaps(readme: string, commonReadme = COMMON): Record<string, string[]> {
  return Object.fromEntries(
    Object.entries(tableGaps({ help: HELP, readme, commonReadme, prefix: 'DEMO' })).filter(
      ([, names]) => names.length > 0,
    ),
  );
}

describe('tableGaps and expectTablesMatchHelp', () => {
  it('pass when the README and the common table together cover --help exactly', () => {
    const readme = table('| `--allow-write` | `DEMO_ALLOW_WRITE=1` | writes |');
    expect(gaps(readme)).toEqual({});
    expect(() =>
      expectTablesMatchHelp({ help: HELP, readme, commonReadme: COMMON, prefix: 'DEMO' }),
    ).not.toThrow();
  });

  it('report a flag and variable of --help that no table documents', () => {
    expect(gaps(table())).toEqual({
      'flags of --help missing from the tables': ['allow-write'],
      'variables of --help missing from the tables': ['DEMO_ALLOW_WRITE'],
    });
    expect(() =>
      expectTablesMatchHelp({ help: HELP, readme: table(), commonReadme: COMMON, prefix: 'DEMO' }),
    ).toThrow();
  });

  it('report a table row for a flag or variable --help does not have', () => {
    const readme = table(
      '| `--allow-write` | `DEMO_ALLOW_WRITE` | writes |',
      '| `--allow-delete` | `DEMO_ALLOW_DELETE` | gone |',
    );
    expect(gaps(readme)).toEqual({
      'flags in the README that --help lacks': ['allow-delete'],
      'variables in the README that --help lacks': ['DEMO_ALLOW_DELETE'],
    });
  });

  it('report a common-table row this server lacks', () => {
    const common = `${COMMON}\n| \`--public-url URL\` | \`MCP_PUBLIC_URL\` | behind a proxy |`;
    const readme = table('| `--allow-write` | `DEMO_ALLOW_WRITE` | writes |');
    expect(gaps(readme, common)).toEqual({
      'flags in the common table that --help lacks': ['public-url'],
      'variables in the common table that --help lacks': ['MCP_PUBLIC_URL'],
    });
  });
});
