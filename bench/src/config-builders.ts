/**
 * @module
 * The small builders `config.ts` writes its suites with: calls, subjects (ours and the official
 * peer), the node baseline and the pass/fail targets. They only fill in the fields every suite
 * spells the same way; what a suite measures stays in `config.ts`.
 */
import type {
  Baseline,
  CallSpec,
  HeavySpec,
  Medians,
  ServerSubject,
  Source,
  Suite,
  Target,
} from './suite.js';

export const ping: CallSpec = { name: 'ping', request: { method: 'ping' } };

export function toolCall(
  name: string,
  args: Record<string, unknown>,
): { method: string; params: unknown } {
  return { method: 'tools/call', params: { name, arguments: args } };
}

/** A cheap call named after its tool. */
export function callTool(
  tool: string,
  args: Record<string, unknown>,
  counts: Pick<CallSpec, 'sequential' | 'pipelined'> = {},
): CallSpec {
  return { name: tool, request: toolCall(tool, args), ...counts };
}

/** An expensive call, `reps` times per full round (default: the run's heavy repetitions). */
export function heavyCall(
  name: string,
  tool: string,
  args: Record<string, unknown>,
  reps?: number,
): HeavySpec {
  const request = toolCall(tool, args);
  return reps === undefined ? { name, request } : { name, request, reps };
}

/**
 * A heavy call during which the server is pinged, to record its event-loop delay; `options` for a
 * hostile input that may be refused or may hang the server.
 */
export function heavyCallWithPings(
  name: string,
  tool: string,
  args: Record<string, unknown>,
  reps?: number,
  options: Pick<HeavySpec, 'mayRefuse' | 'deadlineMs'> = {},
): HeavySpec {
  return { ...heavyCall(name, tool, args, reps), pingDuring: true, ...options };
}

export const nodeBaseline: Baseline = {
  id: 'node',
  label: "node -e ''",
  kind: 'cold',
  command: (env) => ({ argv: [env.node, '-e', ''] }),
};

/** One of our servers, as the workspace builds it. */
export function workspace(name: string): Source {
  return {
    from: 'workspace',
    package: `@plugboard/server-${name}`,
    dir: `servers/${name}`,
    entry: 'dist/main.js',
  };
}

/** What a subject runs besides its identity; by default no arguments and only `ping`. */
export type SubjectParts = Partial<Pick<ServerSubject, 'args' | 'envVars' | 'calls' | 'heavy'>>;

export function subject(
  role: ServerSubject['role'],
  id: string,
  label: string,
  sources: readonly Source[],
  parts: SubjectParts = {},
): ServerSubject {
  return { id, label, role, sources, args: () => [], calls: () => [ping], ...parts };
}

/** Our server `name` from the workspace, labelled `<name> (ours)`. */
export function ours(name: string, parts: SubjectParts = {}): ServerSubject {
  return subject('ours', name, `${name} (ours)`, [workspace(name)], parts);
}

export function peer(
  id: string,
  label: string,
  source: Source,
  parts: SubjectParts = {},
): ServerSubject {
  return subject('peer', id, label, [source], parts);
}

/** Our server `name` and the official `<name>-official`, run the same way. */
export function oursAndPeer(
  name: string,
  peerLabel: string,
  peerSource: Source,
  parts: SubjectParts = {},
): ServerSubject[] {
  return [ours(name, parts), peer(`${name}-official`, peerLabel, peerSource, parts)];
}

/** The id of the floor subject every suite measures. */
export const FLOOR = 'floor';

/**
 * The floor: the smallest Node stdio MCP server (`src/floor/mcp-server.ts`), run beside our
 * servers so that idle RSS and per-call CPU have a limit measured in the same run.
 */
export function floor(calls: ServerSubject['calls'] = () => [ping]): ServerSubject {
  return subject(
    'peer',
    FLOOR,
    'floor (minimal Node server)',
    [{ from: 'harness', script: 'src/floor/mcp-server.js' }],
    { calls },
  );
}

/**
 * A suite whose cold starts are compared with `node -e ''` and whose idle RSS with the floor:
 * that baseline comes first, the suite's own ones after it, and the floor subject is added
 * (with only `ping`) unless the suite lists its own.
 */
export function suite(
  fields: Omit<Suite, 'coldBaseline' | 'baselines'> & { baselines?: readonly Baseline[] },
): Suite {
  const { baselines = [], subjects, ...rest } = fields;
  return {
    ...rest,
    subjects: subjects.some((s) => s.id === FLOOR) ? subjects : [...subjects, floor()],
    coldBaseline: nodeBaseline.id,
    baselines: [nodeBaseline, ...baselines],
  };
}

type Figure = (m: Medians) => number | undefined;

/** A server metric (`toolsListMs`, `heavy.<name>.ms`, `call.<name>.pipeCpuUs`...) of one subject. */
export function serverFigure(subjectId: string, metric: string): Figure {
  return (m) => m.server(subjectId, metric);
}

/** A baseline metric (`wallMs`, `inProcessMs`, `stdoutBytes`). */
export function baselineFigure(id: string, metric: string): Figure {
  return (m) => m.baseline(id, metric);
}

/** A server's figure against the floor's same figure, at most `factor` times it. */
export function floorTarget(
  id: string,
  what: string,
  metric: string,
  factor: number,
  unit: string,
): Target {
  return atMostRatio(
    `${id} ${what} <= ${String(factor)}x the floor`,
    serverFigure(id, metric),
    serverFigure(FLOOR, metric),
    factor,
    unit,
  );
}

/** Idle RSS after tools/list against the floor's (issue 23: at most 1.08x, every server). */
export function idleRssTarget(id: string): Target {
  return floorTarget(id, 'idle RSS', 'idleRssMb', 1.08, 'MB');
}

/** A heavy call whose response must be whole for its figure to mean anything. */
export type Whole = readonly [subject: string, heavy: string];

function notWhole(m: Medians, whole: Whole | undefined): { note: string } | undefined {
  if (whole === undefined || m.truncated(whole[0], whole[1]) !== true) return undefined;
  return { note: `not comparable: ${whole[0]} ${whole[1]} returned a truncated result` };
}

/** `value <= factor * reference`, both read from the medians. */
export function atMostRatio(
  label: string,
  value: Figure,
  reference: Figure,
  factor: number,
  unit: string,
  whole?: Whole,
): Target {
  return {
    label,
    check: (m) => {
      const v = value(m);
      const r = reference(m);
      if (v === undefined || r === undefined) return undefined;
      return (
        notWhole(m, whole) ?? {
          value: v,
          limit: factor * r,
          unit,
          ratio: { value: v / r, limit: factor },
        }
      );
    },
  };
}

export function atMost(label: string, value: Figure, limit: number, unit: string): Target {
  return {
    label,
    check: (m) => {
      const v = value(m);
      return v === undefined ? undefined : { value: v, limit, unit };
    },
  };
}

/** Cold start to the first tools/list of `id`, against `node -e ''` (issue 23: at most 1.2x). */
export function coldStartTarget(id: string, factor = 1.2): Target {
  return atMostRatio(
    `${id} cold start to tools/list <= ${String(factor)}x node -e ''`,
    serverFigure(id, 'toolsListMs'),
    baselineFigure(nodeBaseline.id, 'wallMs'),
    factor,
    'ms',
  );
}
