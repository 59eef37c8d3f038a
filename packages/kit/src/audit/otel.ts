/**
 * @module
 * {@link openTelemetrySink}: the audit trail through `@opentelemetry/api` and
 * `@opentelemetry/api-logs`: one span per call (named `tools/call <tool>`, from the call's start
 * to its end, status error unless it ended `ok`) and one log record, both carrying the record's
 * fields as attributes. They go to whatever SDK the operator registered (an OTLP exporter, for
 * instance); with none registered both APIs do nothing. Imported only with `--audit-otel`.
 */
import { SpanKind, SpanStatusCode, trace, type Attributes } from '@opentelemetry/api';
import { logs, SeverityNumber } from '@opentelemetry/api-logs';
import type { AuditRecord } from './record.js';
import type { AuditSink } from './sink.js';

/** The instrumentation scope both signals are reported under. */
export const AUDIT_SCOPE = '@plugboard/kit/audit';

/**
 * A record's attributes: the MCP and GenAI semantic conventions' names where they have one
 * (`mcp.method.name`, `gen_ai.tool.name`, `user.id`, `error.type`), `plugboard.audit.*` for the rest.
 */
export function auditAttributes(record: AuditRecord): Attributes {
  const attributes: Attributes = {
    'mcp.method.name': 'tools/call',
    'gen_ai.operation.name': 'execute_tool',
    'gen_ai.tool.name': record.tool,
    'plugboard.server': record.server,
    'plugboard.audit.read_only': record.readOnly,
    'plugboard.audit.arguments_sha256': record.argumentsSha256,
    'plugboard.audit.outcome': record.outcome,
    'plugboard.audit.duration_ms': record.durationMs,
  };
  if (record.outcome !== 'ok') attributes['error.type'] = record.outcome;
  if (record.user !== null) attributes['user.id'] = record.user;
  for (const [name, value] of Object.entries(record.target ?? {}))
    attributes[`plugboard.audit.target.${name}`] = typeof value === 'string' ? value : [...value];
  if (record.approval !== null) {
    attributes['plugboard.audit.approval'] = record.approval.approved;
    if (record.approval.by !== undefined)
      attributes['plugboard.audit.approved_by'] = record.approval.by;
  }
  return attributes;
}

export function openTelemetrySink(version: string): AuditSink {
  const tracer = trace.getTracer(AUDIT_SCOPE, version);
  const logger = logs.getLogger(AUDIT_SCOPE, version);
  return {
    write(record) {
      const start = Date.parse(record.time);
      const end = new Date(start + record.durationMs);
      const attributes = auditAttributes(record);
      const span = tracer.startSpan(`tools/call ${record.tool}`, {
        kind: SpanKind.INTERNAL,
        startTime: new Date(start),
        attributes,
      });
      span.setStatus(
        record.outcome === 'ok'
          ? { code: SpanStatusCode.OK }
          : { code: SpanStatusCode.ERROR, message: record.outcome },
      );
      span.end(end);
      logger.emit({
        eventName: 'plugboard.audit',
        timestamp: end,
        severityNumber: record.outcome === 'ok' ? SeverityNumber.INFO : SeverityNumber.WARN,
        severityText: record.outcome === 'ok' ? 'INFO' : 'WARN',
        body: `${record.tool} ${record.outcome}`,
        attributes,
      });
      return Promise.resolve();
    },
    close: () => Promise.resolve(),
  };
}
