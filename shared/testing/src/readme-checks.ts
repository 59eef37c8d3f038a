/**
 * @module
 * Checks a server's README keeps with the code: its ```json host configurations parse (they are
 * meant to be pasted), its flag and environment tables say what `--help` says, and the tools and
 * snippets it must show are there.
 * Vitest expectations, exported from `@plugboard/testing/contract`.
 */
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { helpText } from './help-text.js';
import { optionsInHelp } from './options-in-help.js';
import { optionsInReadme } from './options-in-readme.js';

/** The bodies of the ```json blocks of a Markdown text, in order. */
export function jsonBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/```json\n([\s\S]*?)```/g)].map((match) => match[1] ?? '');
}

/** There are at least `atLeast` ```json blocks, and every one parses. */
export function expectJsonBlocksParse(markdown: string, atLeast: number): void {
  const blocks = jsonBlocks(markdown);
  expect(blocks.length).toBeGreaterThanOrEqual(atLeast);
  for (const block of blocks) expect(() => JSON.parse(block) as unknown, block).not.toThrow();
}

/** Every needle appears in the text verbatim. */
export function expectMentions(markdown: string, needles: Iterable<string>): void {
  for (const needle of needles) expect(markdown, needle).toContain(needle);
}

/** Every flag appears as `--name` and, unless `withEnv` is false, its variable by name. */
export function expectFlagsDocumented(
  markdown: string,
  flags: readonly { readonly name: string; readonly env?: string | undefined }[],
  { withEnv = true }: { withEnv?: boolean } = {},
): void {
  for (const flag of flags) {
    expect(markdown, flag.name).toContain(`--${flag.name}`);
    if (withEnv && flag.env !== undefined) expect(markdown, flag.env).toContain(flag.env);
  }
}

/** What {@link expectTablesMatchHelp} compares. */
export interface TablesAndHelp {
  /** The server's `--help` output (see `helpText`). */
  readonly help: string;
  /** The server's README. */
  readonly readme: string;
  /** The top README, whose common table documents the flags every server shares. */
  readonly commonReadme: string;
  /** The server's variable prefix, which `<SERVER>` stands for in the common table. */
  readonly prefix: string;
}

function missing(from: ReadonlySet<string>, ...among: ReadonlySet<string>[]): string[] {
  return [...from].filter((name) => !among.some((set) => set.has(name))).sort();
}

/** What the tables and `--help` disagree on, by direction; every list empty when they agree. */
export function tableGaps({
  help,
  readme,
  commonReadme,
  prefix,
}: TablesAndHelp): Record<string, string[]> {
  const offered = optionsInHelp(help);
  const own = optionsInReadme(readme, prefix);
  const common = optionsInReadme(commonReadme, prefix);
  return {
    'flags of --help missing from the tables': missing(offered.flags, own.flags, common.flags),
    'flags in the README that --help lacks': missing(own.flags, offered.flags),
    'flags in the common table that --help lacks': missing(common.flags, offered.flags),
    'variables of --help missing from the tables': missing(offered.env, own.env, common.env),
    'variables in the README that --help lacks': missing(own.env, offered.env),
    'variables in the common table that --help lacks': missing(common.env, offered.env),
  };
}

/**
 * The README's flag and environment tables, together with the top README's common table, name
 * exactly the flags and variables of `--help`, both ways: nothing `--help` offers is undocumented,
 * and no table row names a flag or variable the server does not have.
 */
export function expectTablesMatchHelp(input: TablesAndHelp): void {
  const gaps = tableGaps(input);
  expect(gaps).toEqual(Object.fromEntries(Object.keys(gaps).map((key) => [key, []])));
}

/**
 * {@link expectTablesMatchHelp} for the server package at `packageDir` (`new URL('..',
 * import.meta.url)` from its `test/`): its README.md, the `--help` of its built `dist/main.js`, and
 * the top README of the repository (`../../README.md`).
 */
export function expectServerTablesMatchHelp(packageDir: URL, prefix: string): void {
  const read = (path: string): string => readFileSync(new URL(path, packageDir), 'utf8');
  expectTablesMatchHelp({
    help: helpText(new URL('dist/main.js', packageDir)),
    readme: read('README.md'),
    commonReadme: read('../../README.md'),
    prefix,
  });
}

/** A placeholder that makes a flag a limit: a count, a size or a time. */
const LIMIT_PLACEHOLDER = /^(?:N|BYTES|SECONDS|MS)$/;
/** An option row of `--help` with a placeholder: `  --max-rows N   Most rows...`. */
const ROW_WITH_PLACEHOLDER = /^ {2,}--([a-z][a-z0-9-]*) (\S+) {2,}/;

/**
 * The limit flags of `--help` that the README's bounds section (from its `**Bounded work.**`
 * paragraph to the next heading) does not name as `--flag`; all of them when there is no such
 * section. A limit flag takes a count, size or time; those of the top README's common table
 * (`--max-line-bytes`...) are documented there instead.
 */
export function boundsGaps({ help, readme, commonReadme, prefix }: TablesAndHelp): string[] {
  const common = optionsInReadme(commonReadme, prefix).flags;
  const limits = help
    .split('\n')
    .map((line) => ROW_WITH_PLACEHOLDER.exec(line))
    .filter((row) => row !== null && LIMIT_PLACEHOLDER.test(row[2] ?? ''))
    .map((row) => row?.[1] ?? '')
    .filter((flag) => !common.has(flag));
  const section = /^\*\*Bounded work\.\*\*[\s\S]*?(?=^#|(?![\s\S]))/m.exec(readme)?.[0] ?? '';
  return limits.filter((flag) => !new RegExp(`--${flag}(?![a-z0-9-])`).test(section)).sort();
}

/**
 * {@link boundsGaps} is empty for the server package at `packageDir`: its README says what it
 * bounds, and names the flag of every limit its `--help` offers.
 */
export function expectServerBoundsDocumented(packageDir: URL, prefix: string): void {
  const read = (path: string): string => readFileSync(new URL(path, packageDir), 'utf8');
  const gaps = boundsGaps({
    help: helpText(new URL('dist/main.js', packageDir)),
    readme: read('README.md'),
    commonReadme: read('../../README.md'),
    prefix,
  });
  expect(gaps, 'limit flags missing from the README bounds section').toEqual([]);
}
