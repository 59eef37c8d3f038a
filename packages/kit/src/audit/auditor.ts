/**
 * @module
 * {@link openAuditor}: the sinks the operator configured, and the wrapper that records each call
 * of an audited tool. A tool that is not read-only is audited; a read-only one with
 * `--audit-reads`. The record is kept (the file synced) before the call's result is sent; a sink
 * that fails is logged and does not change the result.
 */
import { resolve } from 'node:path';
import {
  InputRequired,
  MissingCapabilityError,
  ProtocolError,
  ToolError,
  type Logger,
  type RequestContext,
  type Tool,
  type ToolImplementation,
  type ToolReturn,
} from '@plugboard/protocol';
import { UsageError, type AuditOptions, type CommandSpec } from '../cli/args.js';
import type { ServerScope } from '../cli/define-server.js';
import { AuditFile } from './audit-file.js';
import { argumentsHash } from './canonical-json.js';
import { approvalOf, callerOf, targetOf, type AuditOutcome, type AuditRecord } from './record.js';
import type { AuditSink } from './sink.js';

/** Wraps a server's tools so that each audited call is recorded. */
export type Auditor = <D>(tool: Tool<D>) => Tool<D>;

/**
 * Opens the configured sinks (a file that cannot be opened is a start-up error), registers their
 * closing with `scope.onClose`, and returns the wrapper.
 */
export async function openAuditor(
  spec: Pick<CommandSpec, 'bin' | 'version'>,
  options: AuditOptions,
  scope: Pick<ServerScope, 'cwd' | 'logger' | 'onClose'>,
): Promise<Auditor> {
  const sinks: AuditSink[] = [];
  if (options.log !== undefined) {
    const path = resolve(scope.cwd, options.log);
    try {
      sinks.push(await AuditFile.open(path, options.logMaxBytes));
    } catch (error) {
      throw new UsageError(
        `--audit-log ${path} cannot be opened for appending (${(error as NodeJS.ErrnoException).code ?? String(error)})`,
      );
    }
  }
  if (options.otel) sinks.push((await import('./otel.js')).openTelemetrySink(spec.version));
  scope.onClose(async () => {
    await Promise.allSettled(sinks.map((sink) => sink.close()));
  });
  const recorder: Recorder = { server: spec.bin, sinks, logger: scope.logger };
  return (tool) =>
    tool.annotations.readOnlyHint && !options.reads ? tool : auditedTool(tool, recorder);
}

interface Recorder {
  readonly server: string;
  readonly sinks: readonly AuditSink[];
  readonly logger: Logger;
}

function auditedTool<D>(tool: Tool<D>, recorder: Recorder): Tool<D> {
  let audited: ToolImplementation<D> | undefined;
  const wrap = (implementation: ToolImplementation<D>): ToolImplementation<D> =>
    (audited ??= {
      ...implementation,
      run: (args, ctx) => runAudited(tool, implementation, recorder, args, ctx),
    });
  return {
    ...tool,
    implementation() {
      const found = tool.implementation();
      return found instanceof Promise ? found.then(wrap) : wrap(found);
    },
  };
}

async function runAudited<D>(
  tool: Tool<D>,
  implementation: ToolImplementation<D>,
  recorder: Recorder,
  args: unknown,
  ctx: Parameters<ToolImplementation<D>['run']>[1],
): Promise<ToolReturn<unknown>> {
  const time = new Date();
  const started = performance.now();
  let result: ToolReturn<unknown> | undefined;
  let failure: { error: unknown } | undefined;
  try {
    result = await implementation.run(args, ctx);
  } catch (error) {
    // A 2026-07-28 input round: the call is not over; its retry runs the handler again.
    if (error instanceof InputRequired) throw error;
    failure = { error };
  }
  const record: AuditRecord = {
    time: time.toISOString(),
    server: recorder.server,
    tool: tool.name,
    readOnly: tool.annotations.readOnlyHint,
    user: callerOf(ctx),
    target: targetOf(args, implementation.auditTarget),
    argumentsSha256: argumentsHash(args),
    outcome: failure === undefined ? resultOutcome(result!) : failureOutcome(failure.error, ctx),
    durationMs: Math.round((performance.now() - started) * 1000) / 1000,
    approval: approvalOf(ctx),
  };
  await keep(recorder, record);
  if (failure !== undefined) throw failure.error;
  return result!;
}

function resultOutcome(result: ToolReturn<unknown>): AuditOutcome {
  return !Array.isArray(result) && result.isError === true ? 'tool-error' : 'ok';
}

/** What the protocol makes of a handler's throw (see its `toolFailure`), as an outcome. */
function failureOutcome(error: unknown, ctx: RequestContext): AuditOutcome {
  if (ctx.signal.aborted) return 'cancelled';
  if (error instanceof ToolError) return 'tool-error';
  if (error instanceof MissingCapabilityError)
    return ctx.client.era === 'handshake' ? 'tool-error' : 'protocol-error';
  if (error instanceof ProtocolError) return 'protocol-error';
  return 'tool-error';
}

async function keep(recorder: Recorder, record: AuditRecord): Promise<void> {
  const kept = await Promise.allSettled(recorder.sinks.map((sink) => sink.write(record)));
  for (const outcome of kept)
    if (outcome.status === 'rejected')
      recorder.logger.error('audit record not kept', {
        tool: record.tool,
        error: outcome.reason instanceof Error ? outcome.reason.message : String(outcome.reason),
      });
}
