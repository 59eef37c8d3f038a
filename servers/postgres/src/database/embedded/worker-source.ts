/**
 * @module
 * The code of the worker thread that hosts PGlite. PGlite runs PostgreSQL synchronously inside
 * WebAssembly: while a statement runs, its thread runs nothing else, and PostgreSQL's own timers
 * never fire. In a worker, the main thread stays free to answer the client, and a statement that
 * overruns its timeout or is cancelled ends with the worker (`terminate()` stops WebAssembly
 * mid-loop). The worker only carries wire-protocol bytes; everything else stays in TypeScript on
 * the main thread. It is plain JavaScript evaluated by `new Worker(source, { eval: true })`, so it
 * runs the same from the sources and from the build, and it imports PGlite from the absolute URL
 * the main thread resolved, wherever the server is installed.
 */

/** Messages to the worker: `{ id, bytes }` runs bytes through the protocol; `{ id, close: true }` shuts down. */
export const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const describe = (error) => (error && error.message) || String(error);
(async () => {
  let db;
  try {
    const module = await import(workerData.moduleUrl);
    const PGlite = module.PGlite || (module.default && module.default.PGlite);
    db = await PGlite.create({ dataDir: workerData.dataDir });
    const version = await db.query('SHOW server_version');
    parentPort.postMessage({ ready: true, serverVersion: String(version.rows[0].server_version) });
  } catch (error) {
    parentPort.postMessage({ ready: false, error: describe(error) });
    return;
  }
  let chain = Promise.resolve();
  parentPort.on('message', (request) => {
    chain = chain.then(async () => {
      try {
        if (request.close) {
          await db.close();
          parentPort.postMessage({ id: request.id, bytes: new Uint8Array(0) });
          return;
        }
        // A copy: the result may be a view into PGlite's own memory, which must not move.
        const bytes = (await db.execProtocolRaw(request.bytes)).slice();
        parentPort.postMessage({ id: request.id, bytes }, [bytes.buffer]);
      } catch (error) {
        parentPort.postMessage({ id: request.id, error: describe(error) });
      }
    });
  });
})();
`;
