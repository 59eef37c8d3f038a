/**
 * @module
 * {@link auditTools}: the audit trail's one entry for `defineServer`. With no sink configured it
 * returns the selection as it is and loads nothing; otherwise it opens the sinks and wraps each
 * audited tool.
 */
import type { Tool } from '@plugboard/protocol';
import type { AuditOptions, CommandSpec } from '../cli/args.js';
import type { ServerScope } from '../cli/define-server.js';
import type { ExposedTools } from '../tools/select.js';

/** The selected tools, each audited one recording its calls to the sinks `options` names. */
export async function auditTools<D>(
  selected: ExposedTools<Tool<D>>,
  spec: Pick<CommandSpec, 'bin' | 'version'>,
  options: AuditOptions,
  scope: Pick<ServerScope, 'cwd' | 'logger' | 'onClose'>,
): Promise<ExposedTools<Tool<D>>> {
  if (options.log === undefined && !options.otel) return selected;
  const { openAuditor } = await import('./auditor.js');
  const audit = await openAuditor(spec, options, scope);
  return { ...selected, tools: selected.tools.map(audit) };
}
