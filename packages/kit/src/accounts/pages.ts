/**
 * @module
 * The pages a browser sees at the end of a connect flow: one short self-contained document
 * (inline style only, which the routes' CSP allows), every piece of text escaped.
 */
import { htmlAnswer, type Answer } from '@plugboard/protocol/http';

const ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ESCAPES[char]!);
}

function page(status: number, title: string, message: string): Answer {
  return htmlAnswer(
    status,
    `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem}</style>
</head>
<body><h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p></body>
</html>
`,
  );
}

/** The account is connected: back to the client. */
export function connectedPage(provider: string, account: string | undefined): Answer {
  return page(
    200,
    `${provider} account connected`,
    `${account === undefined ? 'Your account' : `The account ${account}`} is connected. You can close this page and return to your MCP client.`,
  );
}

/** Nothing was connected, and why; `status` 400 for a link or state that is not (or no longer) good. */
export function refusedPage(status: 400 | 403 | 404 | 502 | 503, message: string): Answer {
  return page(status, 'Not connected', `${message} Nothing was stored.`);
}
