/**
 * The input toolset against a real headless Chromium: a local page with two lists to drag
 * between, a form, a pad that reports where the mouse acted, an inner scroll area and a tall
 * page; each test reads back what the page itself saw.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness.js';
import { startSite, type Site } from './site.js';

let site: Site;
let browser: Harness;

beforeAll(async () => {
  site = await startSite();
  browser = await startHarness({ flags: { toolsets: ['input'], timeout: 20_000 } });
});

beforeEach(async () => {
  await browser.ok('puppeteer_navigate', { url: `${site.url}/input` });
});

afterAll(async () => {
  await browser?.close();
  await site?.close();
});

async function snapshot(): Promise<string> {
  return (await browser.ok('puppeteer_snapshot')).text;
}

/** The ref on the first snapshot line that contains `text`. */
function refOf(lines: string, text: string): string {
  const line = lines.split('\n').find((candidate) => candidate.includes(text));
  const ref = line === undefined ? undefined : /\[ref=(e\d+)\]/.exec(line)?.[1];
  if (ref === undefined) throw new Error(`no line with ${text} in:\n${lines}`);
  return ref;
}

describe('the input toolset', () => {
  it('is off by default', async () => {
    const plain = await startHarness();
    try {
      const names = (await plain.client.listTools()).tools.map((tool) => tool.name);
      for (const name of ['puppeteer_drag', 'puppeteer_fill_form', 'puppeteer_mouse'])
        expect(names).not.toContain(name);
      await expect(
        plain.client.callTool({ name: 'puppeteer_scroll', arguments: { to: 'bottom' } }),
      ).rejects.toThrow('--toolsets input');
    } finally {
      await plain.close();
    }
  });

  it('drags a list item onto the other list, by ref and by selector', async () => {
    await browser.ok('puppeteer_wait_for', { text: 'todo=milk,eggs done=bread' });
    const lines = await snapshot();
    const result = await browser.ok('puppeteer_drag', {
      from: { selector: '#milk' },
      to: { ref: refOf(lines, 'list "Done"') },
    });
    expect(result.text).toContain('Dragged "#milk" onto');
    await browser.ok('puppeteer_wait_for', { text: 'todo=eggs done=bread,milk' });
    // The list item holding "milk" is the line above its text.
    const after = (await snapshot()).split('\n');
    const item = after[after.findIndex((line) => line.includes('text: "milk"')) - 1]!;
    await browser.ok('puppeteer_drag', {
      from: { ref: refOf(item, 'listitem') },
      to: { selector: '#todo' },
    });
    await browser.ok('puppeteer_wait_for', { text: 'todo=eggs,milk done=bread' });
  });

  it('fills text, a text area, a select and a checkbox in one call', async () => {
    const lines = await snapshot();
    const filled = await browser.ok<{ filled: { field: string; kind: string }[] }>(
      'puppeteer_fill_form',
      {
        fields: [
          { ref: refOf(lines, 'textbox "Name"'), value: 'Ada' },
          { selector: '#note', value: 'two\nlines' },
          { selector: '#size', value: 'm' },
          { selector: '#agree', value: 'true' },
        ],
      },
    );
    expect(filled.filled.map((entry) => entry.kind)).toEqual(['text', 'text', 'select', 'check']);
    await browser.ok('puppeteer_wait_for', { text: 'form=Ada|two/lines|m|true' });
  });

  it('changes nothing when one field is missing or a value does not fit', async () => {
    expect(
      await browser.fail('puppeteer_fill_form', {
        fields: [
          { selector: '#name', value: 'Ada' },
          { selector: '#agree', value: 'yes' },
        ],
      }),
    ).toContain('give "true" or "false"');
    expect(
      await browser.fail('puppeteer_fill_form', {
        fields: [
          { selector: '#name', value: 'Ada' },
          { selector: '#nowhere', value: 'x' },
        ],
      }),
    ).toContain('#nowhere');
    expect(await snapshot()).toContain('form=||s|false');
  });

  it('clicks, double-clicks and moves at coordinates, saying what is there', async () => {
    expect(await snapshot()).toContain('pad=none');
    const moved = await browser.ok('puppeteer_mouse', { action: 'move', x: 1, y: 1 });
    expect(moved.text).toContain('Moved the mouse at (1, 1)');
    const rect = await padRect();
    const clicked = await browser.ok('puppeteer_mouse', {
      action: 'click',
      x: rect.left + 20,
      y: rect.top + 30,
    });
    expect(clicked.text).toContain('<div#pad>');
    await browser.ok('puppeteer_wait_for', { text: 'pad=click 20,30 detail=1' });
    await browser.ok('puppeteer_mouse', {
      action: 'click',
      x: rect.left + 5,
      y: rect.top + 6,
      clickCount: 2,
    });
    await browser.ok('puppeteer_wait_for', { text: 'pad=dblclick 5,6' });
    await browser.ok('puppeteer_mouse', { action: 'move', x: rect.left + 40, y: rect.top + 50 });
    await browser.ok('puppeteer_wait_for', { text: 'pad=move 40,50' });
  });

  it('scrolls the page, an inner area under the mouse, and an element into view', async () => {
    const down = await browser.ok<{ y: number; height: number }>('puppeteer_scroll', {
      deltaY: 700,
    });
    expect(down.y).toBe(700);
    const bottom = await browser.ok<{ y: number; height: number }>('puppeteer_scroll', {
      to: 'bottom',
    });
    expect(bottom.y).toBeGreaterThan(4000);
    await browser.ok('puppeteer_scroll', { to: 'top' });
    const inner = await browser.ok<{ y: number }>('puppeteer_scroll', {
      selector: '#box',
      deltaY: 200,
    });
    await browser.ok('puppeteer_wait_for', { text: 'box=200' });
    expect(inner.y).toBeLessThan(700);
    const end = await browser.ok<{ y: number }>('puppeteer_scroll', { selector: '#end' });
    expect(end.y).toBeGreaterThan(4000);
    expect(await browser.fail('puppeteer_scroll', {})).toContain('Give an element');
  });
});

/** Where the pad is in the viewport, read from the page's layout (a model reads a screenshot). */
async function padRect(): Promise<{ left: number; top: number }> {
  const tab = await browser.deps.session.current();
  return tab.page.$eval('#pad', (element) => {
    const rect = element.getBoundingClientRect();
    return { left: Math.round(rect.left), top: Math.round(rect.top) };
  });
}
