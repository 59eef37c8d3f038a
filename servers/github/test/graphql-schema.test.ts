/**
 * Every GraphQL document in the server's source is one GitHub's published schema accepts. The
 * documents are read from `src/` as the TypeScript compiler sees them: a template literal that
 * starts with `query` or `mutation`, with its `${...}` parts worked out from the constants and
 * `connectionFields(...)` calls they name. The fake holds every exchange to the same schema at
 * run time (`fake-github.ts`); these tests also show that the checks catch what they should.
 */
import { readdir, readFile } from 'node:fs/promises';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { connectionFields } from '../src/graphql.js';
import { answerErrors, documentErrors } from './github-graphql.js';

const SRC = new URL('../src/', import.meta.url);

interface Document {
  readonly where: string;
  readonly query: string;
}

function constants(file: ts.SourceFile): Map<string, ts.Expression> {
  const found = new Map<string, ts.Expression>();
  const visit = (node: ts.Node): void => {
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer)
      found.set(node.name.text, node.initializer);
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

/** The text of `node`, or an error naming what cannot be worked out statically. */
function evaluate(node: ts.Expression, names: Map<string, ts.Expression>): string {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  if (ts.isTemplateExpression(node))
    return (
      node.head.text +
      node.templateSpans
        .map((span) => evaluate(span.expression, names) + span.literal.text)
        .join('')
    );
  if (ts.isIdentifier(node) && names.has(node.text)) return evaluate(names.get(node.text)!, names);
  if (
    ts.isCallExpression(node) &&
    ts.isIdentifier(node.expression) &&
    node.expression.text === 'connectionFields' &&
    node.arguments.length === 1
  )
    return connectionFields(evaluate(node.arguments[0]!, names));
  throw new Error(
    `cannot work out \`${node.getText()}\` in a GraphQL document; keep documents static`,
  );
}

async function sourceFiles(dir: URL): Promise<URL[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const files = await Promise.all(
    entries.map(async (entry) => {
      if (entry.isDirectory()) return sourceFiles(new URL(`${entry.name}/`, dir));
      return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')
        ? [new URL(entry.name, dir)]
        : [];
    }),
  );
  return files.flat();
}

async function serverDocuments(): Promise<Document[]> {
  const documents: Document[] = [];
  for (const url of await sourceFiles(SRC)) {
    const file = ts.createSourceFile(
      url.pathname,
      await readFile(url, 'utf8'),
      ts.ScriptTarget.Latest,
      true,
    );
    const names = constants(file);
    const visit = (node: ts.Node): void => {
      if (
        (ts.isTemplateExpression(node) || ts.isNoSubstitutionTemplateLiteral(node)) &&
        /^\s*(query|mutation)\b/.test(ts.isTemplateExpression(node) ? node.head.text : node.text)
      ) {
        const { line } = file.getLineAndCharacterOfPosition(node.getStart());
        documents.push({
          where: `${url.pathname.slice(SRC.pathname.length)}:${line + 1}`,
          query: evaluate(node, names),
        });
        return;
      }
      ts.forEachChild(node, visit);
    };
    visit(file);
  }
  return documents;
}

describe("the server's GraphQL documents", () => {
  it('are all found in the source', async () => {
    const documents = await serverDocuments();
    // Discussions, projects, review threads and pending reviews, blame, teams, drafts.
    expect(documents.length).toBeGreaterThanOrEqual(20);
    expect(documents.map((document) => document.where)).toContain('tools/blame.ts:24');
  });

  it("validate against GitHub's published schema", async () => {
    for (const document of await serverDocuments())
      expect(documentErrors(document.query), document.where).toEqual([]);
  });
});

describe('the schema checks', () => {
  it('refuse a field GitHub does not have, and a wrong argument', () => {
    expect(
      documentErrors(
        'query { repository(owner: "o", name: "r") { issueTypes(first: 1) { totalCount } } }',
      ),
    ).toEqual([expect.stringContaining('Cannot query field "issueTypes" on type "Repository"')]);
    expect(documentErrors('query { viewer { repositories(frist: 1) { totalCount } } }')).toEqual([
      expect.stringContaining('Unknown argument "frist"'),
    ]);
  });

  it('refuse variables of the wrong type', () => {
    const query = 'query Q($n: Int!) { viewer { repositories(first: $n) { totalCount } } }';
    expect(
      answerErrors(query, { n: 'ten' }, { viewer: { repositories: { totalCount: 1 } } }),
    ).not.toEqual([]);
  });

  it('refuse an answer with a field not selected, a bad enum, a missing or null non-null field', () => {
    const query =
      'query { repository(owner: "o", name: "r") { issue(number: 1) { title state } } }';
    const good = { repository: { issue: { title: 'T', state: 'OPEN' } } };
    expect(answerErrors(query, {}, good)).toEqual([]);
    expect(
      answerErrors(query, {}, { repository: { issue: { title: 'T', state: 'OPEN', body: 'b' } } }),
    ).toEqual(['data.repository.issue.body: not selected by the query']);
    expect(
      answerErrors(query, {}, { repository: { issue: { title: 'T', state: 'SHUT' } } }),
    ).not.toEqual([]);
    expect(
      answerErrors(query, {}, { repository: { issue: { title: null, state: 'OPEN' } } }),
    ).not.toEqual([]);
    expect(answerErrors(query, {}, { repository: { issue: { state: 'OPEN' } } })).not.toEqual([]);
  });

  it('resolve an interface or union member from its fields, and an empty one to an unselected member', () => {
    const query =
      'query { node(id: "x") { ... on Issue { title } ... on PullRequest { isDraft } } }';
    expect(answerErrors(query, {}, { node: { isDraft: true } })).toEqual([]);
    expect(answerErrors(query, {}, { node: {} })).toEqual([]);
    expect(answerErrors(query, {}, { node: { noSuchField: 1 } })).not.toEqual([]);
  });
});
