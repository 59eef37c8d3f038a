/**
 * @module
 * Reading a document in a worker thread of its own, under a heap limit and a deadline. The
 * bounds in the parsers refuse the hostile files we know of before they build anything; this is
 * what holds for the ones we do not: a file that needs more memory or time than its budget ends
 * its worker with a clear refusal, while the server's own thread keeps answering (`ping`,
 * cancellation, other calls). Cancelling the call ends the worker at once.
 */
import { Worker } from 'node:worker_threads';
import { DocumentError } from './errors.js';
import type { Extracted } from './extract.js';
import type { DocumentKind } from './kinds.js';
import { DEFAULT_LIMITS, type DocumentLimits } from './limits.js';

/** What the worker is given (as `workerData`). */
export interface WorkerRequest {
  readonly bytes: Uint8Array;
  readonly kind: DocumentKind;
  readonly limits: DocumentLimits;
}

/** What the worker posts back: page progress, then the result or the refusal. */
export type WorkerReply =
  | { readonly type: 'page'; readonly page: number; readonly pages: number }
  | { readonly type: 'done'; readonly result: Extracted }
  | { readonly type: 'refused'; readonly message: string };

export interface ExtractOptions {
  /** Bounds to use instead of {@link DEFAULT_LIMITS}. */
  readonly limits?: Partial<DocumentLimits>;
  /** Ends the worker and rejects with the signal's reason. */
  readonly signal?: AbortSignal;
  /** Hears of each PDF page read (for progress notifications). */
  readonly onPage?: (page: number, pages: number) => void;
}

// Beside this module in the kit's own build, beside `main.js` in a server's bundle.
const WORKER_URL = new URL('./documents-worker.js', import.meta.url);

/** The text (or, for a workbook, the sheets) of `bytes`; rejects with {@link DocumentError}. */
export function extractDocument(
  bytes: Uint8Array,
  kind: DocumentKind,
  options: ExtractOptions = {},
): Promise<Extracted> {
  const limits: DocumentLimits = { ...DEFAULT_LIMITS, ...options.limits };
  const { signal, onPage } = options;
  signal?.throwIfAborted();
  return new Promise<Extracted>((resolve, reject) => {
    const request: WorkerRequest = { bytes, kind, limits };
    const worker = new Worker(WORKER_URL, {
      workerData: request,
      resourceLimits: {
        maxOldGenerationSizeMb: limits.memoryMb,
        maxYoungGenerationSizeMb: Math.max(4, Math.min(64, Math.floor(limits.memoryMb / 8))),
      },
      // The server's stdout carries protocol messages only: whatever the worker prints goes to stderr.
      stdout: true,
    });
    worker.stdout.pipe(process.stderr, { end: false });
    let settled = false;
    const settle = (outcome: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      signal?.removeEventListener('abort', onAbort);
      void worker.terminate();
      outcome();
    };
    const onAbort = (): void => {
      const reason: unknown = signal?.reason;
      settle(() => reject(reason instanceof Error ? reason : new Error('the read was cancelled')));
    };
    const deadline = setTimeout(() => {
      settle(() =>
        reject(
          new DocumentError(
            `reading the file took longer than the ${limits.timeoutMs / 1000} s allowed`,
          ),
        ),
      );
    }, limits.timeoutMs);
    signal?.addEventListener('abort', onAbort, { once: true });
    worker.on('message', (message: WorkerReply) => {
      if (message.type === 'page') onPage?.(message.page, message.pages);
      else if (message.type === 'done') settle(() => resolve(message.result));
      else settle(() => reject(new DocumentError(message.message)));
    });
    worker.on('error', (error: NodeJS.ErrnoException) => {
      settle(() =>
        reject(
          new DocumentError(
            error.code === 'ERR_WORKER_OUT_OF_MEMORY'
              ? `reading the file needs more than the ${limits.memoryMb} MiB of memory allowed`
              : 'the file could not be read',
          ),
        ),
      );
    });
    worker.on('exit', () => {
      settle(() => reject(new DocumentError('the file could not be read')));
    });
  });
}
