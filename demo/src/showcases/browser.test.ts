import { describe, expect, it } from 'vitest';
import { runDemo } from '../demo.js';
import { locateServer } from '../servers.js';
import { browserShowcase } from './browser.js';
import { findChromium } from './chromium.js';

describe('findChromium', () => {
  it('takes PUPPETEER_EXECUTABLE_PATH when it names an executable, and says when it does not', () => {
    expect(findChromium({ PUPPETEER_EXECUTABLE_PATH: process.execPath }, 'linux')).toEqual({
      found: true,
      path: process.execPath,
    });
    expect(findChromium({ PUPPETEER_EXECUTABLE_PATH: '/nowhere/chrome' }, 'linux')).toEqual({
      found: false,
      reason: 'PUPPETEER_EXECUTABLE_PATH=/nowhere/chrome is not an executable file',
    });
  });

  it('gives the reason and the fix when no browser is installed', () => {
    const search = findChromium({}, 'plan9');
    expect(search.found).toBe(false);
    expect(!search.found && search.reason).toContain('apt-get install chromium');
  });
});

describe('the browser stop', () => {
  it('is skipped with the reason when there is no Chromium', async () => {
    const lines: string[] = [];
    const noBrowser = { ...browserShowcase, unavailable: () => 'no Chrome or Chromium found' };
    const code = await runDemo({ showcases: [noBrowser], write: (line) => lines.push(line) });
    expect(code).toBe(0);
    expect(lines.join('\n')).toContain('skipped: no Chrome or Chromium found');
  });

  const ready = findChromium().found && locateServer('servers/puppeteer').status === 'built';

  it.runIf(ready)(
    'reads the demo page, clicks by ref and is refused a private address',
    async () => {
      const lines: string[] = [];
      const code = await runDemo({
        showcases: [browserShowcase],
        write: (line) => lines.push(line),
      });
      const output = lines.join('\n');
      expect(code, output).toBe(0);
      expect(output).toMatch(/- button "Apply coupon" \[ref=(e\d+)\]/);
      const ref = /- button "Apply coupon" \[ref=(e\d+)\]/.exec(output)![1]!;
      expect(output).toContain(`← Clicked ${ref}.`);
      expect(output).toContain('the text "applied" is shown');
      expect(output).toMatch(/✗ Blocked by the URL policy: 192\.168\.0\.1 is a private address/);
      expect(output).toContain('✓ browser: 5 requests');
    },
    120_000,
  );
});
