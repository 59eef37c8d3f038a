/**
 * @module
 * A server's README as one Vitest suite: the host configurations parse (they are meant to be
 * pasted), every tool and flag is documented, the flag and variable tables say what `--help`
 * says, the bounds section names every limit, and the default `tools/list` stays within the size
 * the README records. A server calls {@link readmeSuite} once and adds only what is its own.
 * Imports Vitest, so test files reach it through `@plugboard/testing/contract`.
 */
import { readFileSync } from 'node:fs';
import { describe, it } from 'vitest';
import {
  expectFlagsDocumented,
  expectJsonBlocksParse,
  expectMentions,
  expectServerBoundsDocumented,
  expectServerTablesMatchHelp,
} from './readme-checks.js';
import { expectToolListWithinBudget, type BudgetedTool } from './tool-list-size.js';

/** What {@link readmeSuite} checks a server's README against. */
export interface ReadmeExpectations {
  /** The server's package directory, `new URL('..', import.meta.url)`; its README.md is read. */
  readonly packageDir: URL;
  /** The prefix of the server's variables (`GIT`), which `<SERVER>` stands for in the common table. */
  readonly prefix: string;
  readonly tools: readonly BudgetedTool[];
  /** The server's own flags (its spec's `flags`). */
  readonly flags: readonly { readonly name: string; readonly env?: string | undefined }[];
  /** How many ```json blocks (host configurations) the README has at least. */
  readonly jsonBlocks: number;
  /** Whether each flag's variable must be named too (default true). */
  readonly flagsWithEnv?: boolean;
  /** How the README names a tool (default: as the first cell of a table row, `| \`name\``). */
  readonly toolMention?: (name: string) => string;
  /** What else the README must show verbatim: host configuration keys, commands, variables. */
  readonly mentions?: readonly string[];
}

/** The README suite, in a `describe('the README')` block. */
export function readmeSuite(expected: ReadmeExpectations): void {
  const { packageDir, prefix, tools, flags, flagsWithEnv = true } = expected;
  const mention = expected.toolMention ?? ((name: string) => `| \`${name}\``);
  const readmeUrl = new URL('README.md', packageDir);
  const readme = (): string => readFileSync(readmeUrl, 'utf8');

  describe('the README', () => {
    it('has only JSON blocks that parse', () => {
      expectJsonBlocksParse(readme(), expected.jsonBlocks);
    });

    it('documents every tool and every flag', () => {
      const text = readme();
      expectMentions(
        text,
        tools.map((tool) => mention(tool.name)),
      );
      expectFlagsDocumented(text, flags, { withEnv: flagsWithEnv });
    });

    if (expected.mentions !== undefined && expected.mentions.length > 0) {
      const mentions = expected.mentions;
      it('shows the host configurations and names users copy', () => {
        expectMentions(readme(), mentions);
      });
    }

    it('has flag and variable tables that say exactly what --help says, with the common table of the top README', () => {
      expectServerTablesMatchHelp(packageDir, prefix);
    });

    it('names the flag of every limit --help offers in the bounds section', () => {
      expectServerBoundsDocumented(packageDir, prefix);
    });

    it('records a size the default tools/list stays within', () => {
      expectToolListWithinBudget(readmeUrl, tools);
    });
  });
}
