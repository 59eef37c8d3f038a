/**
 * @module
 * The reference server's resources: `console://logs` (the browser console, as `[level] text`
 * lines) and `screenshot://<name>` (each stored screenshot), plus `pdf://<name>`. Reading them
 * never starts the browser. The console log is bounded; the newest lines within the output
 * budget are shown.
 */
import {
  resourceFactory,
  resourceNotFound,
  truncateText,
  type ResourceDescriptor,
} from '@plugboard/protocol';
import type { Capture } from './captures.js';
import type { BrowserDeps } from './context.js';

const { defineResource, defineResourceTemplate } = resourceFactory<BrowserDeps>();

export const CONSOLE_URI = 'console://logs';

export const consoleLogs = defineResource({
  uri: CONSOLE_URI,
  name: 'Browser console logs',
  description:
    'Console messages and uncaught errors of every tab, oldest first (untrusted page content)',
  mimeType: 'text/plain',
  read(ctx) {
    const entries = ctx.session.console.items();
    const lines = entries.map((entry) => `[${entry.level}] ${entry.text}`);
    // Keep the newest lines: cut from the front.
    const reversed = truncateText(lines.toReversed().join('\n'), ctx.config.outputBudget);
    const kept = reversed.text === '' ? [] : reversed.text.split('\n').toReversed();
    const dropped = ctx.session.console.total - kept.length;
    const text =
      dropped > 0
        ? [`[${dropped} earlier messages not shown]`, ...kept].join('\n')
        : kept.join('\n');
    return [{ uri: CONSOLE_URI, mimeType: 'text/plain', text }];
  },
});

function descriptor(capture: Capture, label: string): ResourceDescriptor {
  return {
    uri: capture.uri,
    name: `${label}: ${capture.name}`,
    mimeType: capture.mimeType,
    size: capture.bytes,
  };
}

function captureTemplate(scheme: 'screenshot' | 'pdf', label: string, description: string) {
  return defineResourceTemplate({
    uriTemplate: `${scheme}://{name}`,
    name: label,
    description,
    list: (ctx) =>
      ctx.captures
        .list()
        .filter((capture) => capture.uri.startsWith(`${scheme}://`))
        .map((capture) => descriptor(capture, label)),
    read(uri, variables, ctx) {
      const name = variables.get('name') ?? '';
      const capture = ctx.captures.get(`${scheme}://${encodeURIComponent(name)}`);
      if (capture === undefined) throw resourceNotFound(uri);
      return [{ uri, mimeType: capture.mimeType, blob: capture.data }];
    },
    complete: {
      name: (value, { ctx }) =>
        ctx.captures
          .list()
          .filter(
            (capture) => capture.uri.startsWith(`${scheme}://`) && capture.name.startsWith(value),
          )
          .map((capture) => capture.name),
    },
  });
}

export const screenshots = captureTemplate(
  'screenshot',
  'Screenshot',
  'Screenshots taken with puppeteer_screenshot, by name (PNG or JPEG)',
);
export const pdfs = captureTemplate('pdf', 'PDF', 'Pages saved with puppeteer_save_pdf, by name');

export const resources = [consoleLogs];
export const resourceTemplates = [screenshots, pdfs];
