/**
 * @module
 * {@link withApproval}: the operator's `--approve` applied to a server's selected tools. Each
 * entry names a tool (every call of it waits for approval) or an action class the tools declare
 * (`approval: { class: 'force-push', when, summary }`: the calls `when` picks wait). The tools it
 * catches run their effect only after {@link Approver.approve} resolves; every other tool is
 * left exactly as it was. Loaded only when `--approve` is given.
 */
import type { Tool, ToolImplementation } from '@plugboard/protocol';
import { isLoopbackHost } from '@plugboard/protocol/http';
import { UsageError, type CommonOptions } from '../cli/args.js';
import type { ServerScope } from '../cli/define-server.js';
import { closestName } from '../tools/closest.js';
import type { ExposedTools } from '../tools/select.js';
import { Approver } from './approver.js';
import { ApprovalPage } from './page.js';
import { argumentSummary } from './summary.js';

/** How long a person has to answer, from the question: five minutes. */
export const APPROVAL_TTL_MS = 5 * 60 * 1000;

export interface ApprovalSettings extends Pick<CommonOptions, 'approve' | 'approveVia' | 'host'> {
  /** The server's env prefix (`GIT`), for messages naming `GIT_APPROVE`. */
  readonly prefix: string;
  readonly ttlMs?: number;
  /** The clock tokens and pages read; `Date.now` unless a test says otherwise. */
  readonly now?: () => number;
}

/** Refuses `--approve` entries that name neither a tool nor an action class, with the closest. */
function checkEntries(
  all: readonly Pick<Tool, 'name' | 'actionClass'>[],
  approve: readonly string[],
) {
  const known = [
    ...new Set([
      ...all.map((tool) => tool.name),
      ...all.flatMap((tool) => (tool.actionClass === undefined ? [] : [tool.actionClass])),
    ]),
  ];
  for (const entry of approve) {
    if (known.includes(entry)) continue;
    const closest = closestName(entry, known);
    throw new UsageError(
      `--approve names ${entry}, which is neither a tool nor an action class of this server${closest === undefined ? '' : `; did you mean ${closest}?`}`,
    );
  }
}

/**
 * `selected` with every tool `settings.approve` catches made to wait for approval. `all` is every
 * tool of the server, against which the entries are checked (a tool hidden by `--read-only` may
 * still be named). The loopback page, when used, closes with the server.
 */
export function withApproval<D>(
  all: readonly Tool<D>[],
  selected: ExposedTools<Tool<D>>,
  settings: ApprovalSettings,
  scope: Pick<ServerScope, 'onClose'>,
): ExposedTools<Tool<D>> {
  checkEntries(all, settings.approve);
  if (settings.approveVia === 'url' && !isLoopbackHost(settings.host))
    throw new UsageError(
      '--approve-via url serves its page on 127.0.0.1, for a person on this machine; use form mode with a server on another host',
    );
  const now = settings.now ?? Date.now;
  let page: ApprovalPage | undefined;
  const approver = new Approver({
    via: settings.approveVia,
    flag: `--approve (${settings.prefix}_APPROVE)`,
    ttlMs: settings.ttlMs ?? APPROVAL_TTL_MS,
    now,
    page: () => {
      if (page === undefined) {
        const opened = new ApprovalPage(now);
        scope.onClose(() => opened.close());
        page = opened;
      }
      return page;
    },
  });
  const approve = new Set(settings.approve);
  const guard = (tool: Tool<D>): Tool<D> => {
    const byName = approve.has(tool.name);
    if (!byName && (tool.actionClass === undefined || !approve.has(tool.actionClass))) return tool;
    let guarded: Promise<ToolImplementation<D>> | undefined;
    const implementation = async (): Promise<ToolImplementation<D>> => {
      const inner = await tool.implementation();
      const { approval } = inner;
      return {
        ...inner,
        run: async (args, ctx) => {
          if (byName || approval?.when === undefined || approval.when(args, ctx)) {
            const summary =
              (await approval?.summary?.(args, ctx)) ?? argumentSummary(tool.name, args);
            const entry = byName ? tool.name : tool.actionClass!;
            await approver.approve({ tool: tool.name, entry, args, summary }, ctx);
          }
          return inner.run(args, ctx);
        },
      };
    };
    return { ...tool, implementation: () => (guarded ??= implementation()) };
  };
  return { ...selected, tools: selected.tools.map(guard) };
}
