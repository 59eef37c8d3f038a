/**
 * @module
 * puppeteer_screenshot: the reference tool (name, selector, width, height, encoded) plus element
 * refs, full-page captures, scale and JPEG. Every capture is capped: the viewport at 3840x4320,
 * a full page at 16384 pixels of height, the image at 4 MiB (recaptured as JPEG, then smaller,
 * before giving up). Each screenshot is kept as `screenshot://<name>` in a bounded store.
 */
import { image, structured, textContent, ToolError } from '@plugboard/protocol';
import type { Page, Viewport } from 'puppeteer-core';
import { z } from 'zod';
import type { Tab } from '../browser/tab.js';
import { defineTool } from '../context.js';
import { resolveTarget, targetFields, withTab } from './common.js';

export const MAX_VIEWPORT_WIDTH = 3840;
export const MAX_VIEWPORT_HEIGHT = 4320;
export const MAX_FULL_PAGE_HEIGHT = 16_384;
export const MAX_IMAGE_BYTES = 4 * 1024 * 1024;

const screenshotOutput = z.object({
  name: z.string().describe('Name the screenshot is stored under'),
  uri: z.string().describe('Resource URI to read it again (screenshot://<name>)'),
  mimeType: z.string().describe('image/png or image/jpeg'),
  width: z.number().int().describe('Image width in pixels'),
  height: z.number().int().describe('Image height in pixels'),
  bytes: z.number().int().describe('Image size in bytes'),
  cut: z.boolean().describe('True when a full-page capture was cut at the height cap'),
});

type ScreenshotOutput = z.infer<typeof screenshotOutput>;

/** Pixel size from a PNG or JPEG header. */
export function imageSize(bytes: Uint8Array): { width: number; height: number } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes[0] === 0x89 && bytes[1] === 0x50)
    return { width: view.getUint32(16), height: view.getUint32(20) };
  let offset = 2;
  while (offset + 9 < bytes.length) {
    if (bytes[offset] !== 0xff) break;
    const marker = bytes[offset + 1]!;
    const length = view.getUint16(offset + 2);
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc)
      return { width: view.getUint16(offset + 7), height: view.getUint16(offset + 5) };
    offset += 2 + length;
  }
  return { width: 0, height: 0 };
}

interface Attempt {
  type: 'png' | 'jpeg';
  quality: number | undefined;
  scale: number;
}

interface CaptureRequest {
  tab: Tab;
  element: boolean;
  fullPage: boolean;
  attempt: Attempt;
  args: { selector?: string | undefined; ref?: string | undefined };
}

/** Document height, for the full-page cap. */
async function documentHeight(page: Page): Promise<number> {
  return page.evaluate(() =>
    Math.max(document.documentElement.scrollHeight, document.body?.scrollHeight ?? 0),
  );
}

async function captureOnce(
  request: CaptureRequest,
  viewport: Viewport,
): Promise<{ data: Uint8Array; cut: boolean }> {
  const { tab, attempt } = request;
  const page = tab.page;
  const options = {
    type: attempt.type,
    ...(attempt.quality === undefined ? {} : { quality: attempt.quality }),
  };
  if (attempt.scale !== (viewport.deviceScaleFactor ?? 1))
    await page.setViewport({ ...viewport, deviceScaleFactor: attempt.scale });
  try {
    if (request.element) {
      const target = await resolveTarget(tab, request.args);
      return { data: await target.handle.screenshot(options), cut: false };
    }
    if (!request.fullPage) return { data: await page.screenshot(options), cut: false };
    const height = await documentHeight(page);
    if (height <= MAX_FULL_PAGE_HEIGHT)
      return { data: await page.screenshot({ ...options, fullPage: true }), cut: false };
    const clip = { x: 0, y: 0, width: viewport.width, height: MAX_FULL_PAGE_HEIGHT };
    return {
      data: await page.screenshot({ ...options, clip, captureBeyondViewport: true }),
      cut: true,
    };
  } finally {
    if (attempt.scale !== (viewport.deviceScaleFactor ?? 1)) await page.setViewport(viewport);
  }
}

/** Captures within the byte cap: as asked, then as JPEG, then smaller. */
async function capture(
  request: Omit<CaptureRequest, 'attempt'>,
  first: Attempt,
  viewport: Viewport,
): Promise<{ data: Uint8Array; cut: boolean; attempt: Attempt }> {
  const attempts: Attempt[] = [
    first,
    { type: 'jpeg', quality: 70, scale: first.scale },
    { type: 'jpeg', quality: 60, scale: first.scale / 2 },
    { type: 'jpeg', quality: 50, scale: first.scale / 4 },
  ];
  for (const attempt of attempts) {
    const shot = await captureOnce({ ...request, attempt }, viewport);
    if (shot.data.byteLength <= MAX_IMAGE_BYTES) return { ...shot, attempt };
  }
  throw new ToolError(
    `The screenshot stays above ${MAX_IMAGE_BYTES / 1024 / 1024} MiB even as a small JPEG; capture an element (selector or ref) or turn fullPage off.`,
  );
}

export const screenshot = defineTool({
  name: 'puppeteer_screenshot',
  title: 'Take a screenshot',
  description:
    'Capture the current tab (viewport, full page, or one element by selector or ref) as an image, stored as resource screenshot://<name>. Prefer puppeteer_snapshot to read a page: it is smaller and gives refs to act on.',
  input: z.object({
    name: z
      .string()
      .min(1)
      .max(100)
      .describe('Name to store the screenshot under (reused names are replaced)'),
    ...targetFields,
    width: z
      .number()
      .int()
      .min(100)
      .max(MAX_VIEWPORT_WIDTH)
      .optional()
      .describe(
        'Resize the viewport to this width in CSS pixels first (default: leave it, 800 at start)',
      ),
    height: z
      .number()
      .int()
      .min(100)
      .max(MAX_VIEWPORT_HEIGHT)
      .optional()
      .describe(
        'Resize the viewport to this height in CSS pixels first (default: leave it, 600 at start)',
      ),
    encoded: z
      .boolean()
      .optional()
      .describe(
        'Return the image as a base64 data: URI in text instead of an image block (default false)',
      ),
    fullPage: z
      .boolean()
      .optional()
      .describe(
        `Capture the whole scrollable page, up to ${MAX_FULL_PAGE_HEIGHT} pixels high (default false)`,
      ),
    scale: z
      .number()
      .min(0.1)
      .max(2)
      .optional()
      .describe('Device pixels per CSS pixel: 0.5 halves the image size, 2 doubles it (default 1)'),
    format: z
      .enum(['png', 'jpeg'])
      .optional()
      .describe('Image format (default png; jpeg is smaller)'),
    quality: z.number().int().min(1).max(100).optional().describe('JPEG quality (default 80)'),
  }),
  output: screenshotOutput,
  auditTarget: ['name', 'selector', 'ref'],
  annotations: {
    readOnlyHint: true,
    destructiveHint: false,
    idempotentHint: false,
    openWorldHint: false,
  },
  async run(args, ctx) {
    const element = args.selector !== undefined || args.ref !== undefined;
    if (element && args.fullPage === true)
      throw new ToolError('fullPage captures the page; leave it out when capturing an element.');
    return withTab(ctx, async (tab) => {
      const page = tab.page;
      let viewport = page.viewport() ?? { width: 800, height: 600 };
      if (args.width !== undefined || args.height !== undefined) {
        viewport = {
          ...viewport,
          width: args.width ?? viewport.width,
          height: args.height ?? viewport.height,
        };
        await page.setViewport(viewport);
      }
      const format = args.format ?? 'png';
      const shot = await capture(
        { tab, element, fullPage: args.fullPage === true, args },
        {
          type: format,
          quality: format === 'jpeg' ? (args.quality ?? 80) : undefined,
          scale: args.scale ?? 1,
        },
        viewport,
      );
      const mimeType = shot.attempt.type === 'png' ? 'image/png' : 'image/jpeg';
      const data = Buffer.from(shot.data).toString('base64');
      const size = imageSize(shot.data);
      const uri = `screenshot://${encodeURIComponent(args.name)}`;
      ctx.captures.put({
        uri,
        name: args.name,
        mimeType,
        data,
        bytes: shot.data.byteLength,
        ...size,
      });
      const output: ScreenshotOutput = {
        name: args.name,
        uri,
        mimeType,
        width: size.width,
        height: size.height,
        bytes: shot.data.byteLength,
        cut: shot.cut,
      };
      const notes = [
        shot.attempt.type !== format
          ? ` Recaptured as JPEG${shot.attempt.scale !== (args.scale ?? 1) ? ` at scale ${shot.attempt.scale}` : ''} to stay under ${MAX_IMAGE_BYTES / 1024 / 1024} MiB.`
          : '',
        shot.cut
          ? ` The page is taller than ${MAX_FULL_PAGE_HEIGHT} pixels; only the top was captured.`
          : '',
      ].join('');
      const summary = `Screenshot '${args.name}' taken at ${viewport.width}x${viewport.height} (${size.width}x${size.height} ${shot.attempt.type}, ${Math.ceil(shot.data.byteLength / 1024)} KiB), stored as ${output.uri}.${notes}`;
      const result = structured(output, summary);
      result.content =
        args.encoded === true
          ? [textContent(summary), textContent(`data:${mimeType};base64,${data}`)]
          : [textContent(summary), image(data, mimeType)];
      return result;
    });
  },
});
