/**
 * @module
 * Small constructors for tool results and content blocks, so handlers read as what they return.
 */
import type {
  AudioContent,
  CallToolResult,
  EmbeddedResource,
  ImageContent,
  ResourceContents,
  TextContent,
} from '../types.js';

export function textContent(text: string): TextContent {
  return { type: 'text', text };
}

/** A plain-text result. */
export function text(value: string): CallToolResult {
  return { content: [{ type: 'text', text: value }] };
}

/**
 * A structured result: `data` as `structuredContent`, and `rendering` as the text block for
 * clients that read only text. Give a compact rendering (lines, a table); the default is compact
 * JSON, which sends the payload twice.
 */
export function structured<T>(
  data: T,
  rendering?: string,
): CallToolResult & { structuredContent: T } {
  return {
    content: [{ type: 'text', text: rendering ?? JSON.stringify(data) }],
    structuredContent: data,
  };
}

/** A tool failure the model can act on, built without throwing. */
export function errorResult(message: string): CallToolResult {
  return { content: [{ type: 'text', text: message }], isError: true };
}

export function image(data: string | Uint8Array, mimeType: string): ImageContent {
  return { type: 'image', data: typeof data === 'string' ? data : base64(data), mimeType };
}

export function audio(data: string | Uint8Array, mimeType: string): AudioContent {
  return { type: 'audio', data: typeof data === 'string' ? data : base64(data), mimeType };
}

export function embedded(resource: ResourceContents): EmbeddedResource {
  return { type: 'resource', resource };
}

/** Base64 without Node's Buffer, so the core stays runtime-neutral. */
export function base64(bytes: Uint8Array): string {
  let binary = '';
  const chunk = 0x8000;
  for (let i = 0; i < bytes.length; i += chunk) {
    binary += String.fromCharCode(...bytes.subarray(i, i + chunk));
  }
  return btoa(binary);
}
