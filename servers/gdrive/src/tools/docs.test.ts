import { describe, expect, it } from 'vitest';
import { DOC, READ_SCOPE, SHEET } from '../../test/fake-drive.js';
import { revisionOf } from '../../test/fake-docs.js';
import { harness, textOf, type Harness } from '../../test/harness.js';

function minutes(bench: Harness, docText = 'Minutes\nAgreed: ship on Friday\n') {
  return bench.fake.add({ name: 'Minutes', mimeType: DOC, version: 12, docText });
}

const docsRequests = (bench: Harness) =>
  bench.fake.apiRequests().filter((request) => request.path.startsWith('/v1/'));

describe('append_to_document', () => {
  it('is offered only with --allow-write, and refused by the tool itself without it', async () => {
    await using bench = await harness();
    expect((await bench.client.listTools()).tools.map((tool) => tool.name)).not.toContain(
      'append_to_document',
    );
    await using all = await harness({ allTools: true });
    const doc = minutes(all);
    const refused = await all.call('append_to_document', { documentId: doc.id, text: 'x' });
    expect(textOf(refused)).toContain('--allow-write');
    expect(all.fake.apiRequests()).toEqual([]);
  });

  it('reads the end index and revision, then inserts there as a new paragraph, under that revision', async () => {
    await using bench = await harness({ config: { allowWrite: true } });
    const doc = minutes(bench);
    const revision = revisionOf(doc);
    const result = await bench.call('append_to_document', {
      documentId: doc.id,
      text: 'Action: Ada books the room',
    });
    expect(result.isError).toBeFalsy();
    expect(doc.docText).toBe('Minutes\nAgreed: ship on Friday\nAction: Ada books the room\n');
    // The body: a section break (index 0-1), "Minutes\n" (1-9), "Agreed: ship on Friday\n" (9-32).
    const [get, update, ...rest] = docsRequests(bench);
    expect(rest).toEqual([]);
    expect(get!.method).toBe('GET');
    expect(get!.path).toBe(`/v1/documents/${doc.id}`);
    expect(get!.query).toEqual({
      fields: 'documentId,revisionId,body(content(startIndex,endIndex))',
    });
    expect(update!.method).toBe('POST');
    expect(update!.path).toBe(`/v1/documents/${doc.id}:batchUpdate`);
    expect(update!.body).toEqual({
      requests: [{ insertText: { location: { index: 31 }, text: '\nAction: Ada books the room' } }],
      writeControl: { requiredRevisionId: revision },
    });
    expect(result.structuredContent).toEqual({
      documentId: doc.id,
      revisionId: revisionOf(doc),
      index: 31,
      characters: 27,
    });
    expect(textOf(result)).toBe('Appended 27 characters to "Minutes" at index 31.');
  });

  it('fills an empty document without a leading blank line', async () => {
    await using bench = await harness({ config: { allowWrite: true } });
    const doc = minutes(bench, '\n');
    await bench.call('append_to_document', { documentId: doc.id, text: 'First line' });
    expect(doc.docText).toBe('First line\n');
    expect(docsRequests(bench)[1]!.body).toMatchObject({
      requests: [{ insertText: { location: { index: 1 }, text: 'First line' } }],
    });
  });

  it('refuses with the current version when the document moved on, and sends Docs nothing', async () => {
    await using bench = await harness({ config: { allowWrite: true } });
    const doc = minutes(bench);
    const result = await bench.call('append_to_document', {
      documentId: doc.id,
      text: 'late',
      expectedVersion: '11',
    });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toBe(
      '"Minutes" changed since version 11 (it is now at version 12); read it again before writing to it.',
    );
    expect(docsRequests(bench)).toEqual([]);
    const ok = await bench.call('append_to_document', {
      documentId: doc.id,
      text: 'on time',
      expectedVersion: '12',
    });
    expect(ok.isError).toBeFalsy();
    expect(doc.version).toBe(13);
  });

  it('is refused by Docs, losing nothing, when someone edits between the read and the write', async () => {
    await using bench = await harness({ config: { allowWrite: true } });
    const doc = minutes(bench);
    bench.fake.afterDocumentRead = (file) => {
      file.docText = 'Minutes\nAgreed: ship on Monday\n';
      file.version++;
    };
    const result = await bench.call('append_to_document', { documentId: doc.id, text: 'x' });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toBe(
      `document ${doc.id} changed while this call was writing to it, so Google refused the write (FAILED_PRECONDITION); read it again and retry.`,
    );
    expect(doc.docText).toBe('Minutes\nAgreed: ship on Monday\n');
  });

  it('refuses files that are not Google Docs', async () => {
    await using bench = await harness({ config: { allowWrite: true } });
    const sheet = bench.fake.add({ name: 'Budget', mimeType: SHEET, sheets: [] });
    const result = await bench.call('append_to_document', { documentId: sheet.id, text: 'x' });
    expect(textOf(result)).toContain('not a Google Doc');
    expect(docsRequests(bench)).toEqual([]);
  });

  it('names the missing scope when the sign-in may only read', async () => {
    await using bench = await harness({ config: { allowWrite: true }, scope: READ_SCOPE });
    const doc = minutes(bench);
    const result = await bench.call('append_to_document', { documentId: doc.id, text: 'x' });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toContain(
      'lacks the scope this needs (https://www.googleapis.com/auth/documents, or https://www.googleapis.com/auth/drive which includes it; it has https://www.googleapis.com/auth/drive.readonly)',
    );
    // Reading was allowed; the write was refused (once more after a token renewal), changing nothing.
    const [get, ...writes] = docsRequests(bench);
    expect(get!.method).toBe('GET');
    expect(writes.length).toBeGreaterThan(0);
    for (const write of writes) expect(write.path).toBe(`/v1/documents/${doc.id}:batchUpdate`);
    expect(doc.docText).toBe('Minutes\nAgreed: ship on Friday\n');
  });
});
