/**
 * @module
 * The network record: the requests of each tab (bounded, oldest dropped first), listed with
 * filters, and one request in full (headers with credentials masked, timing, bodies within the
 * budget). Reading a body uses what the browser already received; nothing is fetched again.
 */
import { structured, ToolError, utf8Length } from '@plugboard/protocol';
import { z } from 'zod';
import { NETWORK_CAPACITY, type NetworkEntry } from '../browser/logs.js';
import { readRequestDetail } from '../browser/request-detail.js';
import { provenance } from '../browser/untrusted.js';
import { defineTool } from '../context.js';
import { page, pagingFields, READ, tabFilter } from './listing.js';

const listedRequest = z.object({
  id: z.string(),
  tab: z.string(),
  method: z.string(),
  url: z.string(),
  type: z.string().describe('document, script, xhr, fetch, image, ...'),
  status: z.number().int().optional(),
  failure: z.string().optional().describe('Why it failed, e.g. net::ERR_CONNECTION_REFUSED'),
  blocked: z.string().optional().describe('Why the URL policy refused it'),
  durationMs: z.number().int().optional().describe('From the request to its last byte'),
});

/** The listed fields of a record (its live request handle stays behind). */
function listed(entry: NetworkEntry): z.infer<typeof listedRequest> {
  const { id, tab, method, url, type, status, failure, blocked, durationMs } = entry;
  return {
    id,
    tab,
    method,
    url,
    type,
    ...(status === undefined ? {} : { status }),
    ...(failure === undefined ? {} : { failure }),
    ...(blocked === undefined ? {} : { blocked }),
    ...(durationMs === undefined ? {} : { durationMs }),
  };
}

/** `404` matches that status, `4xx` the whole class. */
function statusMatches(wanted: string, status: number | undefined): boolean {
  if (status === undefined) return false;
  return wanted.endsWith('xx') ? String(status)[0] === wanted[0] : String(status) === wanted;
}

const networkOutput = z.object({
  requests: z.array(listedRequest),
  total: z.number().int(),
  truncated: z.boolean(),
  nextOffset: z.number().int().optional(),
  egressBlocked: z
    .array(z.object({ target: z.string(), reason: z.string() }))
    .describe(
      'Connections refused below the page (workers, WebSockets, service workers), from any tab',
    ),
});

export const listNetworkRequests = defineTool({
  name: 'puppeteer_list_network_requests',
  title: 'List network requests',
  description:
    "List the current tab's requests (oldest first): id, method, URL, type, status, duration, failure, URL-policy refusals; filter by URL, type or status.",
  input: z.object({
    ...pagingFields,
    filter: z
      .string()
      .min(1)
      .max(500)
      .optional()
      .describe('Only requests whose URL contains this text'),
    failedOnly: z.boolean().optional().describe('Only failed, refused or HTTP >= 400 requests'),
    resourceType: z
      .array(z.string().min(1).max(40))
      .max(20)
      .optional()
      .describe('Only these types: document, script, xhr, fetch, image, ...'),
    status: z
      .string()
      .regex(/^([1-5]xx|[1-5]\d\d)$/)
      .optional()
      .describe('Only this status (404) or class (4xx)'),
  }),
  output: networkOutput,
  annotations: READ,
  auditTarget: ['tab'],
  run(args, ctx) {
    const inTab = tabFilter(ctx, args);
    const matching = ctx.session.network
      .items()
      .filter((entry) => inTab(entry.tab))
      .filter((entry) => args.filter === undefined || entry.url.includes(args.filter))
      .filter((entry) => args.resourceType?.includes(entry.type) ?? true)
      .filter((entry) => args.status === undefined || statusMatches(args.status, entry.status))
      .filter(
        (entry) =>
          args.failedOnly !== true ||
          entry.failure !== undefined ||
          entry.blocked !== undefined ||
          (entry.status !== undefined && entry.status >= 400),
      );
    const offset = args.offset ?? 0;
    const { shown, truncated, next } = page(
      ctx,
      matching,
      offset,
      args.limit ?? 200,
      (entry) => utf8Length(entry.url) + 80,
    );
    const egressBlocked = ctx.session.egressBlocked
      .items()
      .slice(-20)
      .map((entry) => ({ target: entry.target, reason: entry.reason }));
    const data: z.infer<typeof networkOutput> = {
      requests: shown.map(listed),
      total: matching.length,
      truncated,
      egressBlocked,
    };
    if (truncated) data.nextOffset = next;
    const lines = data.requests.map((entry) => {
      const outcome =
        entry.blocked !== undefined
          ? `BLOCKED (${entry.blocked})`
          : (entry.failure ?? (entry.status === undefined ? 'pending' : String(entry.status)));
      const took = entry.durationMs === undefined ? '' : ` ${entry.durationMs} ms`;
      return `${entry.id} ${entry.method} ${entry.url} [${entry.type}] ${outcome}${took}`;
    });
    const tail = [
      ...(lines.length === 0 ? ['(no requests)'] : []),
      ...(truncated
        ? [
            `[truncated: ${offset}-${next - 1} of ${matching.length}; call again with offset ${next}]`,
          ]
        : []),
      ...(egressBlocked.length > 0
        ? [
            'Refused below the page:',
            ...egressBlocked.map((entry) => `  ${entry.target}: ${entry.reason}`),
          ]
        : []),
    ];
    return structured(data, [...lines, ...tail].join('\n'));
  },
});

const headers = z.record(z.string(), z.string());

const requestOutput = z.object({
  id: z.string(),
  tab: z.string(),
  method: z.string(),
  url: z.string(),
  type: z.string(),
  status: z.number().int().optional(),
  failure: z.string().optional(),
  blocked: z.string().optional().describe('Why the URL policy refused it'),
  durationMs: z.number().int().optional(),
  timing: z
    .object({
      dnsMs: z.number().int().optional(),
      connectMs: z.number().int().optional(),
      tlsMs: z.number().int().optional(),
      waitMs: z.number().int().optional(),
    })
    .optional(),
  requestHeaders: headers,
  responseHeaders: headers,
  headersOmitted: z.number().int(),
  requestBody: z.string().optional(),
  body: z.object({
    kind: z.enum(['text', 'binary', 'none', 'unavailable']),
    mimeType: z.string().optional(),
    bytes: z.number().int().optional(),
    text: z.string().optional(),
    offset: z.number().int().optional(),
    truncated: z.boolean().optional(),
    nextOffset: z.number().int().optional().describe('Pass as bodyOffset to read on'),
    note: z.string().optional(),
  }),
  truncated: z.boolean(),
});

function headerLines(title: string, list: Readonly<Record<string, string>>): string[] {
  const entries = Object.entries(list);
  return entries.length === 0
    ? [`${title}: none`]
    : [`${title}:`, ...entries.map(([name, value]) => `  ${name}: ${value}`)];
}

export const getNetworkRequest = defineTool({
  name: 'puppeteer_get_network_request',
  title: 'Show one network request',
  description:
    'Show one request from puppeteer_list_network_requests by id: method, URL, status, request and response headers (credentials masked), timing, size, the request body and the response body as text within the budget (binary bodies are described). Page with bodyOffset.',
  input: z.object({
    id: z
      .string()
      .regex(/^r\d+$/)
      .describe('Request id from the list, e.g. r42'),
    bodyOffset: z
      .number()
      .int()
      .min(0)
      .optional()
      .describe('Continue the body text from this character (nextOffset)'),
    maxBytes: z
      .number()
      .int()
      .min(1024)
      .optional()
      .describe('Most bytes of body text (capped by the server budget)'),
  }),
  output: requestOutput,
  annotations: READ,
  async run({ id, bodyOffset, maxBytes }, ctx) {
    const entry = ctx.session.network.items().find((candidate) => candidate.id === id);
    if (entry === undefined)
      throw new ToolError(
        `There is no request ${id} in the recent history (the last ${NETWORK_CAPACITY} of each open tab are kept); list them with puppeteer_list_network_requests.`,
      );
    const budget = Math.min(maxBytes ?? ctx.config.outputBudget, ctx.config.outputBudget);
    const detail = await readRequestDetail(entry, {
      showSecrets: ctx.config.showSecretHeaders,
      // Room for the headers and the rest of the result.
      bodyBudget: Math.max(512, budget - 8192),
      bodyOffset: bodyOffset ?? 0,
    });
    const data: z.infer<typeof requestOutput> = {
      ...detail,
      truncated: detail.body.truncated === true,
    };
    const { body } = detail;
    const status =
      detail.blocked !== undefined
        ? `BLOCKED (${detail.blocked})`
        : (detail.failure ?? (detail.status === undefined ? 'pending' : String(detail.status)));
    const timing = Object.entries(detail.timing ?? {})
      .map(([key, value]) => `${key.replace(/Ms$/, '')} ${value} ms`)
      .join(', ');
    const lines = [
      `${detail.id} ${detail.method} ${detail.url} [${detail.type}] ${status}`,
      ...(detail.durationMs === undefined && timing === ''
        ? []
        : [
            `Time: ${detail.durationMs === undefined ? '' : `${detail.durationMs} ms`}${timing === '' ? '' : ` (${timing})`}`,
          ]),
      ...headerLines('Request headers', detail.requestHeaders),
      ...(detail.requestBody === undefined ? [] : ['Request body:', detail.requestBody]),
      ...headerLines('Response headers', detail.responseHeaders),
      ...(detail.headersOmitted > 0 ? [`(${detail.headersOmitted} more headers not shown)`] : []),
      `Body: ${body.kind}${body.mimeType === undefined ? '' : ` ${body.mimeType}`}${body.bytes === undefined ? '' : `, ${body.bytes} bytes`}${body.note === undefined ? '' : ` (${body.note})`}`,
      ...(body.text === undefined ? [] : [provenance(detail.url), body.text]),
      ...(body.nextOffset === undefined
        ? []
        : [
            `[truncated: body characters ${body.offset ?? 0}-${body.nextOffset - 1} shown; call again with bodyOffset ${body.nextOffset} for more]`,
          ]),
    ];
    return structured(data, lines.join('\n'));
  },
});

export const networkTools = [listNetworkRequests, getNetworkRequest];
