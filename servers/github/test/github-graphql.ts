/**
 * @module
 * GitHub's published GraphQL schema (`@octokit/graphql-schema`), for holding both sides of the
 * fake's GraphQL to it: every document the server sends must validate, with its variables, and
 * every answer the fake gives must be what GitHub could return for that document, which is
 * checked by executing the document against the schema over the fake's data and comparing.
 * The fake imports it on the first GraphQL request, so tests without GraphQL never load it.
 */
import { schema as published } from '@octokit/graphql-schema';
import {
  buildClientSchema,
  execute,
  GraphQLError,
  Kind,
  parse,
  validate,
  type DocumentNode,
  type GraphQLFieldResolver,
  type GraphQLObjectType,
  type GraphQLSchema,
  type GraphQLTypeResolver,
  type IntrospectionQuery,
} from 'graphql';

/** GitHub's schema, built from its introspection result when this module is first imported. */
export const GITHUB_SCHEMA: GraphQLSchema = buildClientSchema(
  published.json as unknown as IntrospectionQuery,
);

function parsed(query: string): DocumentNode | GraphQLError {
  try {
    return parse(query);
  } catch (error) {
    if (error instanceof GraphQLError) return error;
    throw error;
  }
}

/** What GitHub would refuse in `query`: syntax, unknown fields and types, wrong arguments. */
export function documentErrors(query: string): string[] {
  const document = parsed(query);
  if (document instanceof GraphQLError) return [document.message];
  return validate(GITHUB_SCHEMA, document).map((error) => error.message);
}

// The fake's data is keyed by response name (the alias when there is one), as GitHub answers.
const byResponseKey: GraphQLFieldResolver<unknown, unknown> = (source, _args, _context, info) =>
  source !== null && typeof source === 'object'
    ? (source as Record<string, unknown>)[info.path.key as string]
    : undefined;

/** Whether an inline fragment on `condition` applies to `type`. */
function applies(type: GraphQLObjectType, condition: string): boolean {
  return type.name === condition || type.getInterfaces().some((face) => face.name === condition);
}

/**
 * The concrete type of an interface or union value: its `__typename` when the fake gives one,
 * else a possible type that has every field the value has, preferring one the query's inline
 * fragments select when the value has fields, and one they do not when it is empty (`{}` is
 * how GitHub answers a member no fragment names). GitHub always answers with a concrete type; a
 * fake need not spell out which when its fields tell.
 */
const byFields: GraphQLTypeResolver<unknown, unknown> = (value, _context, info, abstractType) => {
  if (value === null || typeof value !== 'object') return undefined;
  const fields = value as Record<string, unknown>;
  if (typeof fields.__typename === 'string') return fields.__typename;
  const keys = Object.keys(fields);
  const conditions = info.fieldNodes.flatMap((node) =>
    (node.selectionSet?.selections ?? []).flatMap((selection) =>
      selection.kind === Kind.INLINE_FRAGMENT && selection.typeCondition !== undefined
        ? [selection.typeCondition.name.value]
        : [],
    ),
  );
  const candidates = info.schema
    .getPossibleTypes(abstractType)
    .filter((type) => keys.every((key) => key in type.getFields()));
  const selected = (type: GraphQLObjectType) =>
    conditions.some((condition) => applies(type, condition));
  const preferred = candidates.find((type) => selected(type) === keys.length > 0);
  return (preferred ?? candidates[0])?.name;
};

function differences(expected: unknown, actual: unknown, path: string, out: string[]): void {
  if (Array.isArray(expected) && Array.isArray(actual)) {
    if (expected.length !== actual.length) out.push(`${path}: list lengths differ`);
    expected.forEach((item, index) => differences(item, actual[index], `${path}[${index}]`, out));
    return;
  }
  if (
    expected !== null &&
    actual !== null &&
    typeof expected === 'object' &&
    typeof actual === 'object'
  ) {
    const answered = expected as Record<string, unknown>;
    const selected = actual as Record<string, unknown>;
    for (const key of Object.keys(answered))
      if (!(key in selected)) {
        // A type name the fake gives so an interface or union resolves, without selecting it.
        if (key !== '__typename') out.push(`${path}.${key}: not selected by the query`);
      } else differences(answered[key], selected[key], `${path}.${key}`, out);
    for (const key of Object.keys(selected))
      if (!(key in answered)) out.push(`${path}.${key}: selected, but missing from the answer`);
    return;
  }
  if (expected !== actual)
    out.push(
      `${path}: answered ${JSON.stringify(expected)}, GitHub's type gives ${JSON.stringify(actual)}`,
    );
}

/**
 * Where `data`, answered to `query` with `variables`, is not what GitHub could send: a field
 * the query did not select or the schema lacks, a value of the wrong type or enum, a null where
 * the schema says non-null, a selected field left out.
 */
export function answerErrors(
  query: string,
  variables: Readonly<Record<string, unknown>>,
  data: unknown,
): string[] {
  const document = parsed(query);
  if (document instanceof GraphQLError) return [document.message];
  const result = execute({
    schema: GITHUB_SCHEMA,
    document,
    rootValue: data,
    variableValues: variables,
    fieldResolver: byResponseKey,
    typeResolver: byFields,
  });
  if ('then' in result) return ['the fake answered asynchronously'];
  const errors = (result.errors ?? []).map(
    (error) => `${error.path?.join('.') ?? 'data'}: ${error.message}`,
  );
  differences(data, result.data, 'data', errors);
  return errors;
}
