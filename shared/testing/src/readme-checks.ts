/**
 * @module
 * Checks a server's README keeps with the code: its ```json host configurations parse (they are
 * meant to be pasted), and the flags, variables, tools and snippets it must show are there.
 * Vitest expectations, exported from `@plugboard/testing/contract`.
 */
import { expect } from 'vitest';

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
