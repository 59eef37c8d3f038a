/**
 * @module
 * The Vitest-side helpers (they import Vitest, so test files reach them through
 * `@plugboard/testing/contract`): the tool contract suite, the README checks and the tools/list size budget.
 */
export { contractSuite, sentencesAfterPeriods } from './contract-suite.js';
export type { ContractExpectations, ContractTool } from './contract-suite.js';
export {
  boundsGaps,
  expectFlagsDocumented,
  expectJsonBlocksParse,
  expectMentions,
  expectServerBoundsDocumented,
  expectServerTablesMatchHelp,
  expectTablesMatchHelp,
  jsonBlocks,
  tableGaps,
} from './readme-checks.js';
export type { TablesAndHelp } from './readme-checks.js';
export {
  BYTES_PER_TOKEN,
  defaultToolList,
  expectToolListWithinBudget,
  measureToolList,
  recordedToolListBytes,
} from './tool-list-size.js';
export type { BudgetedTool, ToolListSize } from './tool-list-size.js';
export { helpText } from './help-text.js';
export { optionsInHelp } from './options-in-help.js';
export type { Options } from './options-in-help.js';
export { markdownTables, optionsInReadme } from './options-in-readme.js';
