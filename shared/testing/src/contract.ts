/**
 * @module
 * The Vitest-side helpers (they import Vitest, so test files reach them through
 * `@plugboard/testing/contract`): the tool contract suite and the README checks.
 */
export { contractSuite, sentencesAfterPeriods } from './contract-suite.js';
export type { ContractExpectations, ContractTool } from './contract-suite.js';
export {
  expectFlagsDocumented,
  expectJsonBlocksParse,
  expectMentions,
  jsonBlocks,
} from './readme-checks.js';
