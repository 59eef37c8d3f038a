/**
 * @module
 * {@link AuditSink}: where audit records go (a JSONL file, OpenTelemetry).
 */
import type { AuditRecord } from './record.js';

export interface AuditSink {
  /** Resolves once the record is kept (for a file: written and synced). */
  write(record: AuditRecord): Promise<void>;
  /** Waits for the writes under way, then releases what the sink holds. */
  close(): Promise<void>;
}
