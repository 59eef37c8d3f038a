import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  createScratchDatabase,
  describeWithDatabase,
  type ScratchDatabase,
} from '../../test/support/database.js';
import { startHarness, type Harness } from '../../test/support/harness.js';

interface ObjectRow {
  schema: string;
  name: string;
  type: string;
  row_estimate: number | null;
  total_bytes: number | null;
  comment: string | null;
}

describeWithDatabase('schema tools', () => {
  let db: ScratchDatabase;
  let server: Harness;

  beforeAll(async () => {
    db = await createScratchDatabase('schema');
    await db.owner(`CREATE SCHEMA sales;
      COMMENT ON SCHEMA sales IS 'Orders and invoices';
      CREATE TABLE public.customers (id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY, email text NOT NULL UNIQUE,
        name text DEFAULT 'anonymous', upper_email text GENERATED ALWAYS AS (upper(email)) STORED);
      COMMENT ON TABLE public.customers IS 'People who buy';
      COMMENT ON COLUMN public.customers.email IS 'Login';
      CREATE TABLE sales.orders (id bigserial PRIMARY KEY, customer_id int NOT NULL REFERENCES public.customers (id) ON DELETE CASCADE,
        total numeric(12, 2) CHECK (total >= 0), placed date NOT NULL DEFAULT current_date);
      CREATE INDEX orders_placed ON sales.orders (placed);
      INSERT INTO public.customers (email) SELECT 'c' || g || '@x.io' FROM generate_series(1, 200) g;
      ANALYZE public.customers;
      CREATE VIEW sales.big_orders AS SELECT * FROM sales.orders WHERE total > 100;
      CREATE MATERIALIZED VIEW sales.order_days AS SELECT placed, count(*) FROM sales.orders GROUP BY placed;
      CREATE FUNCTION sales.order_total(o sales.orders) RETURNS numeric LANGUAGE sql STABLE AS 'SELECT o.total';
      CREATE FUNCTION sales.order_total(a int, b int) RETURNS int LANGUAGE sql IMMUTABLE AS 'SELECT a + b';
      CREATE TABLE sales.customers (id int);`);
    await db.admin('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
    server = await startHarness({ env: { DATABASE_URL: db.ownerUrl } });
  });

  afterAll(async () => {
    await server?.close();
    await db?.drop();
  });

  it('lists user schemas with owner, size and comment, and system schemas on request', async () => {
    const result = await server.call('list_schemas');
    const schemas = (
      result.structuredContent as {
        schemas: { name: string; owner: string; relations: number; comment: string | null }[];
      }
    ).schemas;
    expect(schemas.map((schema) => schema.name)).toEqual(['public', 'sales']);
    expect(schemas[1]).toEqual({
      name: 'sales',
      owner: db.role,
      relations: 4,
      comment: 'Orders and invoices',
    });
    const all = await server.call('list_schemas', { includeSystem: true });
    expect(JSON.stringify(all.structuredContent)).toContain('pg_catalog');
  });

  it('lists every kind of object across user schemas, without extension members', async () => {
    const result = await server.call('list_objects', {});
    const objects = (result.structuredContent as { objects: ObjectRow[] }).objects;
    const names = objects.map((object) => `${object.type} ${object.schema}.${object.name}`);
    expect(names).toEqual(
      expect.arrayContaining([
        'table public.customers',
        'sequence public.customers_id_seq',
        'table sales.orders',
        'view sales.big_orders',
        'materialized_view sales.order_days',
        'function sales.order_total(a integer, b integer)',
        'function sales.order_total(o sales.orders)',
        'extension public.pg_stat_statements',
      ]),
    );
    expect(names.some((name) => name.includes('pg_stat_statements_reset'))).toBe(false);
    const customers = objects.find(
      (object) => object.schema === 'public' && object.name === 'customers',
    );
    expect(customers).toMatchObject({ row_estimate: 200, comment: 'People who buy' });
    expect(customers?.total_bytes).toBeGreaterThan(0);
  });

  it('filters objects by schema, type and name pattern, and pages', async () => {
    const views = await server.call('list_objects', {
      schema: 'sales',
      types: ['view', 'materialized_view'],
    });
    expect(
      (views.structuredContent as { objects: ObjectRow[] }).objects.map((object) => object.name),
    ).toEqual(['order_days', 'big_orders']);
    const pattern = await server.call('list_objects', { namePattern: '%ORDER%', types: ['table'] });
    expect(
      (pattern.structuredContent as { objects: ObjectRow[] }).objects.map((object) => object.name),
    ).toEqual(['orders']);
    const page = await server.call('list_objects', { limit: 2 });
    expect(page.structuredContent).toMatchObject({ truncated: true, nextOffset: 2 });
    expect(server.text(page)).toContain('offset: 2');
  });

  it('describes a table: columns, identity and generated columns, constraints, indexes and both foreign key directions', async () => {
    const result = await server.call('describe_object', { schema: 'public', name: 'customers' });
    const data = result.structuredContent as Record<string, unknown> & {
      columns: Record<string, unknown>[];
      constraints: Record<string, unknown>[];
      indexes: Record<string, unknown>[];
    };
    expect(data).toMatchObject({
      schema: 'public',
      name: 'customers',
      type: 'table',
      comment: 'People who buy',
      rowEstimate: 200,
    });
    expect(data.columns).toEqual([
      {
        name: 'id',
        type: 'integer',
        nullable: false,
        default: null,
        identity: 'always',
        generated: null,
        comment: null,
      },
      {
        name: 'email',
        type: 'text',
        nullable: false,
        default: null,
        identity: null,
        generated: null,
        comment: 'Login',
      },
      {
        name: 'name',
        type: 'text',
        nullable: true,
        default: "'anonymous'::text",
        identity: null,
        generated: null,
        comment: null,
      },
      {
        name: 'upper_email',
        type: 'text',
        nullable: true,
        default: 'upper(email)',
        identity: null,
        generated: 'stored',
        comment: null,
      },
    ]);
    expect(data.constraints.map((constraint) => [constraint.type, constraint.columns])).toEqual([
      ['primary key', ['id']],
      ['unique', ['email']],
    ]);
    expect(data.indexes.map((index) => index.name)).toEqual([
      'customers_pkey',
      'customers_email_key',
    ]);
    expect(data.referencedBy).toEqual([
      { schema: 'sales', table: 'orders', constraint: 'orders_customer_id_fkey' },
    ]);
    const text = server.text(result);
    expect(text).toContain('table public.customers');
    expect(text).toContain('email text not null -- Login');
    expect(text).toContain('referenced by:\n  sales.orders (orders_customer_id_fkey)');
  });

  it('describes the outgoing foreign key of a table with its referenced columns', async () => {
    const result = await server.call('describe_object', { schema: 'sales', name: 'orders' });
    const constraints = (result.structuredContent as { constraints: Record<string, unknown>[] })
      .constraints;
    expect(constraints.find((constraint) => constraint.type === 'foreign key')).toMatchObject({
      columns: ['customer_id'],
      ref_schema: 'public',
      ref_table: 'customers',
      ref_columns: ['id'],
      definition: 'FOREIGN KEY (customer_id) REFERENCES customers(id) ON DELETE CASCADE',
    });
    expect(constraints.find((constraint) => constraint.type === 'check')?.definition).toBe(
      'CHECK (total >= 0::numeric)',
    );
  });

  it('describes views with their definition, sequences and overloaded functions', async () => {
    const view = await server.call('describe_object', { schema: 'sales', name: 'big_orders' });
    expect(view.structuredContent).toMatchObject({ type: 'view' });
    expect((view.structuredContent as { viewDefinition: string }).viewDefinition).toContain(
      'WHERE orders.total > 100',
    );
    const sequence = await server.call('describe_object', { name: 'customers_id_seq' });
    expect(sequence.structuredContent).toMatchObject({
      type: 'sequence',
      sequence: {
        data_type: 'integer',
        start: 1,
        increment: 1,
        cycle: false,
        owned_by: 'public.customers.id',
      },
    });
    const fn = await server.call('describe_object', { schema: 'sales', name: 'order_total' });
    const functions = (fn.structuredContent as { functions: Record<string, unknown>[] }).functions;
    expect(
      functions.map((each) => [each.signature, each.returns, each.volatility, each.source]),
    ).toEqual([
      ['order_total(a integer, b integer)', 'integer', 'immutable', 'SELECT a + b'],
      ['order_total(o sales.orders)', 'numeric', 'stable', 'SELECT o.total'],
    ]);
  });

  it('asks for the schema when a name exists in several, and finds it when it is unique', async () => {
    const ambiguous = await server.call('describe_object', { name: 'customers' });
    expect(ambiguous.isError).toBe(true);
    expect(server.text(ambiguous)).toContain('several schemas (public, sales)');
    const unique = await server.call('describe_object', { name: 'orders' });
    expect(unique.structuredContent).toMatchObject({ schema: 'sales', name: 'orders' });
    const missing = await server.call('describe_object', { name: 'Orders' });
    expect(server.text(missing)).toContain('case-sensitive');
  });
});
