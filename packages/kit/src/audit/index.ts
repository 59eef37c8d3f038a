/**
 * @module
 * `@plugboard/kit/audit`: the audit trail of tool calls (see the README). `defineServer` applies
 * it from the common flags; servers built in-process call {@link auditTools} themselves.
 */
export { auditTools } from './audit-tools.js';
export { argumentsHash, canonicalJson } from './canonical-json.js';
export type { AuditApproval, AuditOutcome, AuditRecord } from './record.js';
