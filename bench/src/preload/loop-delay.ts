/**
 * @module
 * Loaded with `node --import` into a server the heavy calls run against (ours and the official
 * ones alike): keeps a `monitorEventLoopDelay` histogram of the main thread and, on each SIGUSR2,
 * writes its median, 99th percentile and maximum (ms) with a sequence number to the file named by
 * `BENCH_LOOP_DELAY_FILE`, then starts it afresh. The harness (`../loop-delay.ts`) signals just
 * before a call and once it is answered. A server whose loop is blocked answers the signal late,
 * so the figure covers the whole block. The file is written once at load (sequence 0), which is how
 * the harness knows a process has the probe and may be signalled; the variable is then removed, so
 * processes the server starts do not write it too. Worker threads, which load preloads too, keep
 * no histogram.
 */
import { writeFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { isMainThread } from 'node:worker_threads';

const file = process.env.BENCH_LOOP_DELAY_FILE;
if (isMainThread && file !== undefined && file !== '') {
  delete process.env.BENCH_LOOP_DELAY_FILE;
  const histogram = monitorEventLoopDelay({ resolution: 5 });
  let seq = 0;
  const ms = (ns: number): number => ns / 1e6;
  const write = (): void => {
    const figures = {
      seq,
      p50Ms: ms(histogram.percentile(50)),
      p99Ms: ms(histogram.percentile(99)),
      maxMs: ms(histogram.max),
    };
    writeFileSync(file, JSON.stringify(figures));
  };
  process.on('SIGUSR2', () => {
    seq += 1;
    write();
    histogram.reset();
  });
  histogram.enable();
  write();
}
