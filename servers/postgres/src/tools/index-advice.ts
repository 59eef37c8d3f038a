/**
 * @module
 * Index advice (the tool names of Postgres MCP Pro): `analyze_query_indexes` for queries the model
 * gives, `analyze_workload_indexes` for the costliest statements pg_stat_statements recorded in
 * this database. Both propose B-tree indexes tried as hypothetical indexes (hypopg) and show each
 * query's plan and estimated cost without and with them, within the output budget.
 */
import { structured, ToolError, truncateText, type ToolContext } from '@plugboard/protocol';
import { z } from 'zod';
import { defineTool, READ_ONLY_ANNOTATIONS, type PostgresDeps } from '../context.js';
import { adviseIndexes, MIN_GAIN, type Advice, type AdviceOptions } from '../index-advisor.js';
import { outsideEffect } from '../outside-effects.js';
import { formatBytes, quoteIdent } from '../render.js';
import { extensionSchema } from '../extensions.js';

const MAX_QUERIES = 10;

const adviceOutput = z.object({
  proposals: z
    .array(
      z.object({
        definition: z.string().describe('The CREATE INDEX statement to consider'),
        estimatedBytes: z.number().describe('Estimated size of the index'),
        helps: z.array(z.number().int()).describe('Numbers of the queries it makes cheaper'),
      }),
    )
    .describe('Indexes worth creating, best first; empty when none helps'),
  queries: z
    .array(
      z.object({
        sql: z.string().describe('The query'),
        costWithout: z.number().describe('Estimated total cost today'),
        costWith: z.number().describe('Estimated total cost with the proposed indexes'),
        planWithout: z.string().describe('Plan today'),
        planWith: z.string().describe('Plan with the proposed indexes'),
      }),
    )
    .describe('Each query with its plans and costs'),
  truncated: z.boolean().describe('True when plans were cut to fit the output budget'),
});

type AdviceData = z.infer<typeof adviceOutput>;

async function advise(
  queries: readonly string[],
  options: AdviceOptions,
  deps: ToolContext<PostgresDeps>,
): Promise<ReturnType<typeof structured<AdviceData>>> {
  for (const [index, sql] of queries.entries()) {
    const refused = outsideEffect(sql);
    if (refused !== undefined) throw new ToolError(`Query ${index + 1}: ${refused}`);
  }
  const advice: Advice = await deps.executor.run(
    { mode: 'read-only', end: 'rollback', signal: deps.signal },
    (tx) => adviseIndexes(tx, queries, options),
  );
  // The plans share the budget; the rest of the result is small.
  const share = Math.max(256, Math.floor(deps.config.limits.maxBytes / (2 * queries.length + 2)));
  let truncated = false;
  const cut = (plan: string): string => {
    const result = truncateText(plan, share);
    truncated ||= result.truncated;
    return result.text;
  };
  const data: AdviceData = {
    proposals: advice.proposals,
    queries: advice.queries.map((query) => ({
      ...query,
      sql: cut(query.sql),
      planWithout: cut(query.planWithout),
      planWith: cut(query.planWith),
    })),
    truncated,
  };
  const lines = [
    data.proposals.length === 0
      ? `No index lowers any query's estimated cost by ${MIN_GAIN * 100}% or more.`
      : 'Proposed indexes (hypothetical: nothing was created):',
    ...data.proposals.map(
      (proposal) =>
        `  ${proposal.definition}  -- about ${formatBytes(proposal.estimatedBytes)}, helps query ${proposal.helps.join(', ')}`,
    ),
    ...data.queries.flatMap((query, index) => [
      `Query ${index + 1}: cost ${query.costWithout} without, ${query.costWith} with the proposed indexes`,
      ...(query.planWith === query.planWithout
        ? [query.planWithout]
        : ['Plan without:', query.planWithout, 'Plan with:', query.planWith]),
    ]),
  ];
  if (truncated) lines.push('(plans cut at the size limit)');
  return structured(data, lines.join('\n'));
}

export const analyzeQueryIndexes = defineTool({
  name: 'analyze_query_indexes',
  title: 'Propose indexes for queries',
  description:
    "Propose indexes for up to 10 queries: the planner's sequential scans with filters suggest B-tree indexes, which are tried as hypothetical indexes (hypopg, nothing is created). Returns the indexes worth creating with their estimated size, and each query's plan and cost without and with them.",
  input: z.object({
    queries: z
      .array(z.string().min(1))
      .min(1)
      .max(MAX_QUERIES)
      .describe('Queries to tune, one SQL statement each (SELECT, UPDATE, DELETE...)'),
  }),
  output: adviceOutput,
  annotations: READ_ONLY_ANNOTATIONS,
  run: ({ queries }, deps) => advise(queries, { genericPlans: false }, deps),
});

export const analyzeWorkloadIndexes = defineTool({
  name: 'analyze_workload_indexes',
  title: 'Propose indexes for the workload',
  description:
    "Propose indexes for the costliest queries pg_stat_statements recorded in this database (by total time), tried as hypothetical indexes (hypopg). Returns the indexes worth creating and each query's plan and cost without and with them; queries with parameters need PostgreSQL 16 or later.",
  input: z.object({
    limit: z
      .number()
      .int()
      .min(1)
      .max(MAX_QUERIES)
      .default(5)
      .describe('How many of the costliest queries to analyse'),
  }),
  output: adviceOutput,
  annotations: READ_ONLY_ANNOTATIONS,
  async run({ limit }, deps) {
    const { rows, generic } = await deps.executor.run(
      { mode: 'read-only', end: 'rollback', signal: deps.signal },
      async (tx) => {
        const extension = await extensionSchema(tx, 'pg_stat_statements');
        if (extension === undefined) {
          throw new ToolError(
            'This needs the pg_stat_statements extension, which is not installed in this database (see list_top_queries for how to enable it). Meanwhile, pass the queries to analyze_query_indexes.',
          );
        }
        const [version] = await tx.query<{ number: number }>(
          "SELECT current_setting('server_version_num')::int AS number",
        );
        const genericPlans = (version?.number ?? 0) >= 160000;
        const schema = quoteIdent(extension);
        const found = await tx.query<{ query: string }>(
          `SELECT query FROM ${schema}.pg_stat_statements
             WHERE dbid = (SELECT oid FROM pg_catalog.pg_database WHERE datname = current_database())
               AND query ~* '^\\s*(select|with|update|delete)\\s' AND ($1 OR query !~ '\\$[0-9]')
               AND query !~* 'pg_catalog|pg_stat_statements|hypopg'
             ORDER BY total_exec_time DESC LIMIT $2`,
          [genericPlans, limit],
        );
        return { rows: found, generic: genericPlans };
      },
    );
    if (rows.length === 0) {
      throw new ToolError(
        `pg_stat_statements has no query to analyse in this database yet${generic ? '' : ' (before PostgreSQL 16, queries with parameters cannot be planned without their values)'}. Pass queries to analyze_query_indexes instead.`,
      );
    }
    return advise(
      rows.map((row) => row.query),
      { genericPlans: generic },
      deps,
    );
  },
});
