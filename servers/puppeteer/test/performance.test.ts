/**
 * The performance toolset against a real headless Chromium: off by default; a trace of a local
 * page whose script keeps the main thread busy for 200 ms shows that long task, its blocking time
 * and the function that ran, along with the page's paint metrics.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness.js';
import { startSite, type Site } from './site.js';

let site: Site;
let browser: Harness;

beforeAll(async () => {
  site = await startSite();
  browser = await startHarness({ flags: { toolsets: ['performance'], timeout: 20_000 } });
});

afterAll(async () => {
  await browser?.close();
  await site?.close();
});

type Trace = {
  fcpMs?: number;
  lcpMs?: number;
  cls: number;
  tbtMs: number;
  longTasks: { durationMs: number; blockingMs: number; attribution: string }[];
};

describe('performance traces', () => {
  it('are off by default: not listed, and a call names the toolset', async () => {
    const plain = await startHarness();
    try {
      const { tools } = await plain.client.listTools();
      expect(tools.map((tool) => tool.name)).not.toContain('puppeteer_performance_start_trace');
      await expect(
        plain.client.callTool({ name: 'puppeteer_performance_start_trace', arguments: {} }),
      ).rejects.toThrow('turns it on with --toolsets performance');
    } finally {
      await plain.close();
    }
  });

  it('show a 200 ms long task with the function that ran it, and the paint metrics', async () => {
    await browser.ok('puppeteer_navigate', { url: `${site.url}/long-task` });
    const trace = await browser.ok<Trace>('puppeteer_performance_start_trace');
    const busy = trace.longTasks.find((task) => task.attribution.includes('busyWork'));
    expect(busy, JSON.stringify(trace.longTasks)).toBeDefined();
    expect(busy!.durationMs).toBeGreaterThanOrEqual(200);
    expect(busy!.blockingMs).toBeCloseTo(busy!.durationMs - 50, 0);
    expect(busy!.attribution).toContain(`${site.url}/long-task.js:`);
    expect(trace.fcpMs).toBeGreaterThan(0);
    expect(trace.lcpMs).toBeGreaterThanOrEqual(trace.fcpMs!);
    expect(trace.tbtMs).toBeGreaterThanOrEqual(150);
    expect(trace.text).toMatch(/long tasks, the longest:\n {2}\d+(\.\d)? ms at .*busyWork/);
  });

  it('trace until stopped with autoStop false, and refuse a second trace meanwhile', async () => {
    await browser.ok('puppeteer_navigate', { url: `${site.url}/` });
    const started = await browser.ok<{ tracing: boolean }>('puppeteer_performance_start_trace', {
      autoStop: false,
    });
    expect(started.tracing).toBe(true);
    expect(await browser.fail('puppeteer_performance_start_trace')).toContain(
      'is being traced already',
    );
    const stopped = await browser.ok<Trace & { url: string }>('puppeteer_performance_stop_trace');
    expect(stopped.url).toBe(`${site.url}/`);
    expect(stopped.cls).toBe(0);
    expect(await browser.fail('puppeteer_performance_stop_trace')).toContain(
      'No trace is being recorded',
    );
  });
});
