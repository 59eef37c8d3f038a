/**
 * @module
 * Sending a local file to Drive. Files up to one chunk go in one multipart request through the
 * Drive client. Larger ones use Drive's resumable protocol: a POST with the metadata opens an
 * upload session (its URI in `Location`), then the bytes follow in `PUT`s of one chunk each with
 * `Content-Range: bytes a-b/total`; Drive answers 308 with the `Range` it holds until the last
 * chunk, which answers with the file. After a failed chunk (a dropped connection, a 5xx) the
 * server asks where Drive stands (an empty `PUT` whose `Content-Range` names only the total, see
 * {@link status}) and resumes from there. A
 * cancelled upload ends its session with a DELETE, so Drive keeps nothing of it.
 */
import { Readable } from 'node:stream';
import type { FileHandle } from 'node:fs/promises';
import type { drive_v3 } from '@googleapis/drive';
import { ToolError } from '@plugboard/protocol';
import {
  call,
  header,
  idleDeadline,
  transferRequest,
  type GdriveContext,
  type IdleDeadline,
  type Subject,
} from './context.js';
import { DownloadFailure } from './errors.js';

/** Consecutive failed chunks without progress before the upload gives up. */
const MAX_ATTEMPTS = 4;

export interface UploadInput {
  readonly handle: FileHandle;
  readonly size: number;
  readonly metadata: { name: string; mimeType: string; parents?: string[] };
  readonly fields: string;
  /** Bytes per resumable chunk; files up to this size go in one request. */
  readonly chunkBytes: number;
  readonly onProgress: (sent: number) => void;
}

/**
 * A chunk as a request body. The fetch underneath destroys the body stream with an error when
 * the call is cancelled mid-chunk; the listener keeps that from becoming an uncaught exception
 * that would end the server.
 */
function chunkStream(chunk: Buffer): Readable {
  const stream = Readable.from([chunk]);
  stream.on('error', () => undefined);
  return stream;
}

async function readRange(handle: FileHandle, start: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  let read = 0;
  while (read < length) {
    const { bytesRead } = await handle.read(buffer, read, length - read, start + read);
    if (bytesRead === 0)
      throw new ToolError('The local file got shorter while it was uploaded; try again.');
    read += bytesRead;
  }
  return buffer;
}

export async function uploadFile(
  ctx: GdriveContext,
  input: UploadInput,
): Promise<drive_v3.Schema$File> {
  if (input.size <= input.chunkBytes) {
    const bytes = await readRange(input.handle, 0, input.size);
    const file = await call(ctx, { subject: 'the upload', write: true }, (drive, options) =>
      drive.files.create(
        {
          requestBody: input.metadata,
          media: { mimeType: input.metadata.mimeType, body: chunkStream(bytes) },
          fields: input.fields,
          supportsAllDrives: true,
        },
        options,
      ),
    );
    input.onProgress(input.size);
    return file;
  }
  const idle = idleDeadline(ctx.config.timeoutMs);
  try {
    return await resumable(ctx, input, idle);
  } finally {
    idle.dispose();
  }
}

interface Answer {
  /** 0 when no answer came (the connection failed). */
  readonly status: number;
  readonly headers: unknown;
  readonly data: string;
}

const ABOUT: Subject = { subject: 'the upload', write: true };

/** One request to the session (or to open it), answered whatever its status. */
function send(
  ctx: GdriveContext,
  idle: IdleDeadline,
  request: {
    url: string;
    method: 'POST' | 'PUT';
    headers: Record<string, string>;
    data?: string | Readable;
  },
): Promise<Answer> {
  return transferRequest(ctx, ABOUT, idle.signal, async (auth, options) => {
    try {
      const response = await auth.request<string>({
        ...request,
        signal: options.signal,
        responseType: 'text',
        validateStatus: () => true,
      });
      idle.touch();
      return { status: response.status, headers: response.headers, data: response.data };
    } catch (error) {
      // A dropped connection mid-chunk is resumed; a cancel or a deadline is not.
      if (options.signal.aborted || (error as { response?: unknown }).response !== undefined)
        throw error;
      return { status: 0, headers: undefined, data: '' };
    }
  });
}

/** The offset after Drive's `Range: bytes=0-N` (0 when it holds nothing yet). */
function received(answer: Answer): number {
  const range = /^bytes=0-(\d+)$/.exec(header(answer.headers, 'range') ?? '');
  return range === null ? 0 : Number(range[1]) + 1;
}

function parseFile(answer: Answer): drive_v3.Schema$File {
  try {
    return JSON.parse(answer.data) as drive_v3.Schema$File;
  } catch {
    throw new ToolError('Google Drive finished the upload but its answer was not JSON.');
  }
}

function fail(answer: Answer, url: string): never {
  if (answer.status === 404 || answer.status === 410)
    throw new ToolError(
      'Google Drive ended the upload session (it expired or was cancelled); upload the file again.',
    );
  throw new DownloadFailure(answer.status, answer.data, url);
}

async function resumable(
  ctx: GdriveContext,
  input: UploadInput,
  idle: IdleDeadline,
): Promise<drive_v3.Schema$File> {
  const start = new URL('upload/drive/v3/files', ctx.config.apiUrl);
  start.search = new URLSearchParams({
    uploadType: 'resumable',
    supportsAllDrives: 'true',
    fields: input.fields,
  }).toString();
  const opened = await send(ctx, idle, {
    url: start.href,
    method: 'POST',
    headers: {
      'Content-Type': 'application/json; charset=UTF-8',
      'X-Upload-Content-Type': input.metadata.mimeType,
      'X-Upload-Content-Length': String(input.size),
    },
    data: JSON.stringify(input.metadata),
  });
  if (opened.status !== 200) fail(opened, start.href);
  const session = header(opened.headers, 'location');
  // The token goes wherever the session is: only to the Drive host the operator configured.
  if (session === undefined || new URL(session, start).origin !== start.origin)
    throw new ToolError('Google Drive did not open an upload session on its own host; refused.');
  const total = input.size;
  try {
    let offset = 0;
    let failures = 0;
    for (;;) {
      const end = Math.min(offset + input.chunkBytes, total);
      const answer =
        offset < total
          ? await send(ctx, idle, {
              url: session,
              method: 'PUT',
              headers: {
                'Content-Range': `bytes ${offset}-${end - 1}/${total}`,
                'Content-Length': String(end - offset),
              },
              data: chunkStream(await readRange(input.handle, offset, end - offset)),
            })
          : await status(ctx, idle, session, total);
      if (answer.status === 200 || answer.status === 201) {
        input.onProgress(total);
        return parseFile(answer);
      }
      if (answer.status === 308) {
        const next = received(answer);
        if (next > offset) failures = 0;
        offset = next;
        input.onProgress(offset);
        continue;
      }
      if (answer.status !== 0 && answer.status < 500) fail(answer, session);
      if (++failures >= MAX_ATTEMPTS)
        throw new ToolError(
          `Google Drive failed ${MAX_ATTEMPTS} times in a row at byte ${offset} of the upload; try again later.`,
        );
      // Where does Drive stand? It may hold part of the failed chunk.
      const now = await status(ctx, idle, session, total);
      if (now.status === 200 || now.status === 201) {
        input.onProgress(total);
        return parseFile(now);
      }
      if (now.status === 308) {
        offset = received(now);
        input.onProgress(offset);
      } else if (now.status !== 0 && now.status < 500) fail(now, session);
    }
  } catch (error) {
    if (ctx.signal.aborted) await cancelSession(session);
    throw error;
  }
}

function status(
  ctx: GdriveContext,
  idle: IdleDeadline,
  session: string,
  total: number,
): Promise<Answer> {
  return send(ctx, idle, {
    url: session,
    method: 'PUT',
    headers: { 'Content-Range': `bytes */${total}`, 'Content-Length': '0' },
  });
}

/** Drive discards a session on DELETE (it answers 499); the session URI is its own credential. */
async function cancelSession(session: string): Promise<void> {
  await fetch(session, { method: 'DELETE', signal: AbortSignal.timeout(5000) }).catch(
    () => undefined,
  );
}
