/**
 * @module
 * The entry point of the worker thread a document is read in (started by `isolate.ts`; a
 * server's build bundles it as `documents-worker.js` beside its `main.js`). It reads the one
 * document in its `workerData`, posts page progress and then the result or the error, and ends.
 * A hostile file that exhausts this thread's heap or overruns its time ends the thread, not the
 * server.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { DocumentError } from './errors.js';
import { extractInThread } from './extract.js';
import type { WorkerReply, WorkerRequest } from './isolate.js';

const port = parentPort;
const request = workerData as WorkerRequest;
const reply = (message: WorkerReply): void => port?.postMessage(message);

try {
  const result = await extractInThread(request.bytes, request.kind, request.limits, (page, pages) =>
    reply({ type: 'page', page, pages }),
  );
  reply({ type: 'done', result });
} catch (error) {
  reply({
    type: 'refused',
    message:
      error instanceof DocumentError
        ? error.message
        : 'the file is damaged or not what its type says',
  });
}
