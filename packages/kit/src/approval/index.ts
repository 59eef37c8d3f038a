/**
 * @module
 * Human approval for a server's most dangerous calls (`--approve`, `--approve-via`): a call the
 * operator names does not run until a person approves it through the client (form or URL
 * elicitation), in both protocol eras. Servers declare action classes on their tools
 * (`approval` in `defineTool`); `defineServer` applies the operator's choice.
 */
export { withApproval, APPROVAL_TTL_MS } from './with-approval.js';
export type { ApprovalSettings } from './with-approval.js';
export { approvalOf } from './outcome.js';
export type { ApprovalOutcome, ApprovalRefusal } from './outcome.js';
export { argumentSummary } from './summary.js';
