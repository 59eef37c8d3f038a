import { describe, expect, it } from 'vitest';
import { boundsGaps, expectTablesMatchHelp, tableGaps } from './readme-checks.js';

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

describe('boundsGaps', () => {
  const help = [
    HELP,
    '  --max-rows N                    Most rows one result returns [env DEMO_MAX_ROWS]',
    '  --timeout SECONDS               Stop a call after this long [env DEMO_TIMEOUT]',
    '  --api-url URL                   API root [env DEMO_API_URL]',
  ].join('\n');
  const gapsIn = (readme: string): string[] =>
    boundsGaps({ help, readme, commonReadme: COMMON, prefix: 'DEMO' });

  it('names every count, size and time flag but those of the common table when there is no bounds section', () => {
    expect(gapsIn('# demo\n\nIt bounds `--max-rows` and `--timeout` somewhere else.')).toEqual([
      'max-rows',
      'timeout',
    ]);
  });

  it('is empty when the bounds section names each limit flag', () => {
    const readme = [
      '## Safety',
      '',
      '**Bounded work.** Each call has bounds:',
      '',
      '| what | bound | flag |',
      '| ---- | ----- | ---- |',
      '| rows | 1,000 | `--max-rows` |',
      '',
      '**Next.** A call stops after `--timeout` seconds.',
      '',
      '## Host configuration',
    ].join('\n');
    expect(gapsIn(readme)).toEqual([]);
  });

  it('reads the section only up to the next heading, and whole flag names only', () => {
    const readme = [
      '**Bounded work.** Rows: `--max-rows-per-page`.',
      '',
      '## Later',
      '',
      '`--max-rows` and `--timeout` are described here, outside the section.',
    ].join('\n');
    expect(gapsIn(readme)).toEqual(['max-rows', 'timeout']);
  });
});
