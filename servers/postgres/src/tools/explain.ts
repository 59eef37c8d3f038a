/**
 * @module
 * Query plans: EXPLAIN of one statement, optionally with ANALYZE (which executes it, always inside
 * a transaction that is rolled back; statements that write need --allow-write even then), and
 * "what if" plans with hypothetical indexes when the hypopg extension is installed.
 */
import { structured, ToolError, truncateText } from '@plugboard/protocol';
import { z } from 'zod';
import { defineTool, READ_ONLY_ANNOTATIONS } from '../context.js';
import type { Transaction } from '../executor.js';
import { withHypopg } from '../hypopg.js';
import { quoteIdent } from '../render.js';

const INDEX_METHODS = ['btree', 'hash', 'gist', 'gin', 'brin', 'spgist'] as const;

const hypotheticalIndex = z.object({
  table: z.string().min(1).describe('Table name, exactly as stored'),
  schema: z.string().min(1).default('public').describe('Schema of the table'),
  columns: z
    .array(z.string().min(1))
    .min(1)
    .max(32)
    .describe('Indexed columns in order (column names, not expressions)'),
  using: z.enum(INDEX_METHODS).default('btree').describe('Index method'),
});

const explainOutput = z.object({
  plan: z.string().describe('The plan as EXPLAIN printed it (text, or JSON text)'),
  format: z.enum(['text', 'json']),
  analyzed: z.boolean().describe('True when the statement was executed (EXPLAIN ANALYZE)'),
  rolledBack: z.boolean().describe('Always true: nothing the statement did was kept'),
  totalCost: z.number().optional().describe("Planner's estimated total cost"),
  costWithoutHypotheticalIndexes: z.number().optional(),
  hypotheticalIndexes: z
    .array(z.object({ definition: z.string(), name: z.string(), used: z.boolean() }))
    .optional(),
  truncated: z.boolean(),
});

interface PlanJson {
  Plan?: { 'Total Cost'?: number };
}

async function explain(
  tx: Transaction,
  sql: string,
  options: string,
  maxBytes: number,
): Promise<string> {
  const result = await tx.fetch(`EXPLAIN (${options}) ${sql}`, {
    offset: 0,
    maxRows: 100_000,
    maxBytes: maxBytes * 4,
  });
  return result.rows
    .map(([line]) => (typeof line === 'string' ? line : JSON.stringify(line, null, 1)))
    .join('\n');
}

function totalCost(planJson: string): number | undefined {
  try {
    const parsed = JSON.parse(planJson) as PlanJson[];
    return parsed[0]?.Plan?.['Total Cost'];
  } catch {
    return undefined;
  }
}

function explainPrefix(options: string): number {
  return `EXPLAIN (${options}) `.length;
}

export const explainQuery = defineTool({
  name: 'explain_query',
  title: 'Explain a query plan',
  description:
    "Show PostgreSQL's plan for one statement. analyze: true also runs it and reports real times and rows (always rolled back; statements that write need the server's --allow-write); hypotheticalIndexes shows the plan as if those indexes existed, when the hypopg extension is installed.",
  input: z.object({
    sql: z.string().min(1).describe('The statement to explain, without EXPLAIN'),
    analyze: z
      .boolean()
      .default(false)
      .describe('Execute the statement to measure it (in a transaction that is rolled back)'),
    format: z.enum(['text', 'json']).default('text').describe('Plan format'),
    hypotheticalIndexes: z
      .array(hypotheticalIndex)
      .max(10)
      .optional()
      .describe('Indexes to pretend exist (needs the hypopg extension; not with analyze)'),
  }),
  output: explainOutput,
  taskSupport: 'optional',
  annotations: READ_ONLY_ANNOTATIONS,
  async run({ sql, analyze, format, hypotheticalIndexes }, { executor, config, signal }) {
    if (/^\s*explain\b/i.test(sql)) {
      throw new ToolError(
        'Pass the statement without EXPLAIN; use analyze and format to choose the options.',
      );
    }
    const hypothetical = hypotheticalIndexes ?? [];
    if (analyze && hypothetical.length > 0) {
      throw new ToolError(
        'Hypothetical indexes change plans, not execution: call with analyze: false to see their effect.',
      );
    }
    const options = [
      `FORMAT ${format.toUpperCase()}`,
      ...(analyze ? ['ANALYZE', 'BUFFERS'] : []),
    ].join(', ');
    const { maxBytes } = config.limits;
    const data = await executor.run(
      {
        // Writes in EXPLAIN ANALYZE are possible only when allowed, and are never committed.
        mode: analyze && config.allowWrite ? 'read-write' : 'read-only',
        end: 'rollback',
        signal,
        sql,
        positionOffset: explainPrefix(options),
      },
      async (tx) => {
        const planAndCost = async (): Promise<{ plan: string; cost: number | undefined }> => {
          const plan = await explain(tx, sql, options, maxBytes);
          const cost =
            format === 'json'
              ? totalCost(plan)
              : totalCost(await explain(tx, sql, 'FORMAT JSON', maxBytes));
          return { plan, cost };
        };
        if (hypothetical.length === 0) {
          return { ...(await planAndCost()), costWithout: undefined, created: [] };
        }
        return withHypopg(tx, async (hypopg) => {
          const costWithout = totalCost(await explain(tx, sql, 'FORMAT JSON', maxBytes));
          const created: { definition: string; name: string }[] = [];
          for (const index of hypothetical) {
            const definition = `CREATE INDEX ON ${quoteIdent(index.schema)}.${quoteIdent(index.table)} USING ${index.using} (${index.columns.map(quoteIdent).join(', ')})`;
            created.push({ definition, name: (await hypopg.create(definition)).name });
          }
          return { ...(await planAndCost()), costWithout, created };
        });
      },
    );
    const cut = truncateText(data.plan, maxBytes);
    const result: z.infer<typeof explainOutput> = {
      plan: cut.text,
      format,
      analyzed: analyze,
      rolledBack: true,
      truncated: cut.truncated,
    };
    if (data.cost !== undefined) result.totalCost = data.cost;
    if (data.created.length > 0) {
      result.hypotheticalIndexes = data.created.map((index) => ({
        ...index,
        used: index.name !== '' && data.plan.includes(index.name),
      }));
      if (data.costWithout !== undefined) result.costWithoutHypotheticalIndexes = data.costWithout;
    }
    const notes: string[] = [];
    if (result.hypotheticalIndexes !== undefined) {
      notes.push(
        `Estimated total cost ${result.costWithoutHypotheticalIndexes ?? '?'} without the hypothetical indexes, ${result.totalCost ?? '?'} with them.`,
      );
      for (const index of result.hypotheticalIndexes) {
        notes.push(`${index.used ? 'Used' : 'Not used'}: ${index.definition}`);
      }
    }
    if (cut.truncated) notes.push('(plan cut at the size limit)');
    if (analyze) notes.push('(executed with ANALYZE and rolled back)');
    return structured(result, [cut.text, ...notes].join('\n'));
  },
});
