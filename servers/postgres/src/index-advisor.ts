/**
 * @module
 * Index advice from the planner itself: each query's plan is read for sequential scans with a
 * filter, the filtered columns of each scanned table become a candidate B-tree index, and each
 * candidate is tried as a hypothetical index (hypopg) against every query. Candidates that lower
 * some query's estimated cost by at least {@link MIN_GAIN} are proposed, and the plans with all
 * of them are shown next to the plans without. Nothing is created: hypothetical indexes exist
 * only in the planner, and only until the end of the call.
 */
import type { Transaction } from './executor.js';
import { withHypopg } from './hypopg.js';
import { quoteIdent } from './render.js';

/** Share of a query's estimated cost an index must save to be proposed. */
export const MIN_GAIN = 0.1;
const MAX_CANDIDATES = 20;
const MAX_INDEX_COLUMNS = 3;

interface PlanNode {
  'Node Type'?: string;
  'Relation Name'?: string;
  Schema?: string;
  Filter?: string;
  'Total Cost'?: number;
  Plans?: PlanNode[];
}

export interface QueryAdvice {
  sql: string;
  costWithout: number;
  costWith: number;
  planWithout: string;
  planWith: string;
}

export interface IndexProposal {
  definition: string;
  estimatedBytes: number;
  /** 1-based numbers of the queries it makes cheaper. */
  helps: number[];
}

export interface Advice {
  queries: QueryAdvice[];
  proposals: IndexProposal[];
}

export interface AdviceOptions {
  /** Plan queries with `$n` parameters as generic plans (PostgreSQL 16 and later). */
  genericPlans: boolean;
}

function explainPrefix(format: 'JSON' | 'TEXT', options: AdviceOptions): string {
  return `EXPLAIN (FORMAT ${format}${options.genericPlans ? ', GENERIC_PLAN' : ''}) `;
}

function scans(node: PlanNode, out: PlanNode[] = []): PlanNode[] {
  if (node['Node Type'] === 'Seq Scan' && node.Filter !== undefined) out.push(node);
  for (const child of node.Plans ?? []) scans(child, out);
  return out;
}

/** Names a filter mentions, string literals and type casts left out, in order of first mention. */
function filterNames(filter: string): string[] {
  const withoutLiterals = filter.replace(/'(?:[^']|'')*'(::[\w\s."[\]]+)?/g, ' ');
  const names: string[] = [];
  for (const match of withoutLiterals.matchAll(/"((?:[^"]|"")+)"|([A-Za-z_][\w$]*)/g)) {
    const name = match[1]?.replace(/""/g, '"') ?? match[2]!;
    if (!names.includes(name)) names.push(name);
  }
  return names;
}

async function candidates(tx: Transaction, plans: readonly PlanNode[]): Promise<string[]> {
  const definitions: string[] = [];
  for (const scan of plans.flatMap((plan) => scans(plan))) {
    const schema = scan.Schema ?? 'public';
    const table = scan['Relation Name'];
    if (table === undefined) continue;
    const columns = await tx.query<{ name: string }>(
      `SELECT a.attname AS name FROM pg_catalog.pg_attribute a
         JOIN pg_catalog.pg_class c ON c.oid = a.attrelid JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname = $1 AND c.relname = $2 AND a.attnum > 0 AND NOT a.attisdropped`,
      [schema, table],
    );
    const known = new Set(columns.map((column) => column.name));
    const used = filterNames(scan.Filter ?? '')
      .filter((name) => known.has(name))
      .slice(0, MAX_INDEX_COLUMNS);
    if (used.length === 0) continue;
    // One index on all filtered columns, and one on each alone: the planner picks what pays.
    for (const set of [used, ...(used.length > 1 ? used.map((name) => [name]) : [])]) {
      const definition = `CREATE INDEX ON ${quoteIdent(schema)}.${quoteIdent(table)} (${set.map(quoteIdent).join(', ')})`;
      if (!definitions.includes(definition)) definitions.push(definition);
    }
  }
  return definitions.slice(0, MAX_CANDIDATES);
}

/** Advice for `queries` (each one statement); needs hypopg. */
export async function adviseIndexes(
  tx: Transaction,
  queries: readonly string[],
  options: AdviceOptions = { genericPlans: false },
): Promise<Advice> {
  const planJson = async (sql: string): Promise<PlanNode> => {
    const [row] = await tx.query<{ 'QUERY PLAN': { Plan: PlanNode }[] }>(
      `${explainPrefix('JSON', options)}${sql}`,
    );
    return row?.['QUERY PLAN'][0]?.Plan ?? {};
  };
  const planText = async (sql: string): Promise<string> => {
    const rows = await tx.query<{ 'QUERY PLAN': string }>(
      `${explainPrefix('TEXT', options)}${sql}`,
    );
    return rows.map((row) => row['QUERY PLAN']).join('\n');
  };
  return withHypopg(tx, async (hypopg) => {
    const before: PlanNode[] = [];
    const planWithout: string[] = [];
    for (const sql of queries) {
      before.push(await planJson(sql));
      planWithout.push(await planText(sql));
    }
    const costWithout = before.map((plan) => plan['Total Cost'] ?? 0);
    const proposals: IndexProposal[] = [];
    // Each candidate is measured against the costs with the proposals kept so far.
    const current = [...costWithout];
    for (const definition of await candidates(tx, before)) {
      const index = await hypopg.create(definition);
      const helps: number[] = [];
      const costs: number[] = [];
      for (const [number, sql] of queries.entries()) {
        const cost = (await planJson(sql))['Total Cost'] ?? 0;
        costs.push(cost);
        if (cost <= current[number]! * (1 - MIN_GAIN)) helps.push(number + 1);
      }
      if (helps.length > 0) {
        costs.forEach((cost, number) => (current[number] = cost));
        proposals.push({ definition, estimatedBytes: await hypopg.size(index.oid), helps });
      } else {
        await hypopg.drop(index.oid);
      }
    }
    const advice: QueryAdvice[] = [];
    for (const [number, sql] of queries.entries()) {
      advice.push({
        sql,
        costWithout: costWithout[number]!,
        costWith: (await planJson(sql))['Total Cost'] ?? 0,
        planWithout: planWithout[number]!,
        planWith: await planText(sql),
      });
    }
    return { queries: advice, proposals };
  });
}
