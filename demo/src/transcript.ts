/**
 * @module
 * How the demo prints an MCP session for a human: one block per request with what was sent and
 * what came back, abbreviated so that a whole tour fits on a few screens. The functions here are
 * pure (text in, text out); {@link createTranscript} only adds the writer.
 */

/** What a content block of a tool result, prompt message or resource looks like on the wire. */
export interface ContentBlock {
  readonly type: string;
  readonly text?: string;
  readonly data?: string;
  readonly mimeType?: string;
  readonly uri?: string;
  readonly name?: string;
  readonly resource?: {
    readonly uri?: string;
    readonly mimeType?: string;
    readonly text?: string;
    readonly blob?: string;
  };
}

export interface AbbreviateOptions {
  /** Lines kept before "… N more lines". */
  readonly maxLines?: number;
  /** Characters kept per line before "…". */
  readonly maxWidth?: number;
}

const DEFAULT_LINES = 10;
const DEFAULT_WIDTH = 110;

/** Shortens text to a few lines of bounded width, saying how much was left out. */
export function abbreviate(text: string, options: AbbreviateOptions = {}): string {
  const maxLines = options.maxLines ?? DEFAULT_LINES;
  const maxWidth = options.maxWidth ?? DEFAULT_WIDTH;
  const lines = text.replace(/\r\n/g, '\n').replace(/\n+$/, '').split('\n');
  const kept = lines
    .slice(0, maxLines)
    .map((line) => (line.length > maxWidth ? `${line.slice(0, maxWidth - 1)}…` : line));
  const rest = lines.length - kept.length;
  if (rest > 0) kept.push(`… ${rest} more line${rest === 1 ? '' : 's'}`);
  return kept.join('\n');
}

/** A byte count a person can read: 512 B, 1.5 KiB, 2.0 MiB. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
}

/** Size of the data a base64 string stands for. */
function base64Bytes(data: string): number {
  const padding = data.endsWith('==') ? 2 : data.endsWith('=') ? 1 : 0;
  return Math.max(0, Math.floor((data.length * 3) / 4) - padding);
}

/** Request arguments on one line, long strings and the whole line shortened. */
export function formatArguments(
  args: Readonly<Record<string, unknown>> | undefined,
  maxWidth = DEFAULT_WIDTH,
): string {
  if (args === undefined || Object.keys(args).length === 0) return '';
  const json = JSON.stringify(args, (_key, value: unknown) =>
    typeof value === 'string' && value.length > 60 ? `${value.slice(0, 57)}…` : value,
  );
  return json.length > maxWidth ? `${json.slice(0, maxWidth - 1)}…` : json;
}

/** One content block as text: text as is, binary content as a short description. */
export function renderBlock(block: ContentBlock): string {
  switch (block.type) {
    case 'text':
      return block.text ?? '';
    case 'image':
    case 'audio':
      return `[${block.type} ${block.mimeType ?? '?'}, ${formatBytes(base64Bytes(block.data ?? ''))}]`;
    case 'resource': {
      const resource = block.resource ?? {};
      const size =
        resource.text !== undefined
          ? `${resource.text.length} chars`
          : formatBytes(base64Bytes(resource.blob ?? ''));
      const head = `[resource ${resource.uri ?? '?'} ${resource.mimeType ?? ''}, ${size}]`.replace(
        ' ,',
        ',',
      );
      return resource.text === undefined ? head : `${head}\n${resource.text}`;
    }
    case 'resource_link':
      return `[link ${block.uri ?? '?'}${block.name === undefined ? '' : ` "${block.name}"`}]`;
    default:
      return `[${block.type} content]`;
  }
}

/** Content blocks as text, abbreviated. */
export function renderContent(
  blocks: readonly ContentBlock[],
  options?: AbbreviateOptions,
): string {
  if (blocks.length === 0) return '(no content)';
  return abbreviate(blocks.map(renderBlock).join('\n'), options);
}

/** Indents every line after a marker: the first line gets the marker, the rest line up below it. */
export function indent(text: string, marker: string, pad = ' '.repeat(marker.length)): string {
  return text
    .split('\n')
    .map((line, index) => `${index === 0 ? marker : pad}${line}`)
    .join('\n');
}

export interface Transcript {
  /** A server's heading. */
  section(title: string, subtitle?: string): void;
  /** A line of explanation under the current heading. */
  note(text: string): void;
  /** What the client sent: a method or tool name and its arguments. */
  request(name: string, args?: Readonly<Record<string, unknown>>, why?: string): void;
  /** What came back (already rendered). */
  response(text: string, kind?: 'ok' | 'error'): void;
  /** Something the server sent on its own while a request ran (progress, log, a question). */
  event(text: string): void;
  /** A blank line. */
  gap(): void;
}

const MARGIN = '   ';
const RULE_WIDTH = 72;

/** A transcript printed through `write` (one call per line). */
export function createTranscript(writeLine: (line: string) => void): Transcript {
  const write = (text: string): void => {
    for (const line of text.split('\n')) writeLine(line);
  };
  return {
    section(title, subtitle) {
      const head = `━━ ${title}${subtitle === undefined ? '' : ` · ${subtitle}`} `;
      write('');
      write(`${head}${'━'.repeat(Math.max(3, RULE_WIDTH - head.length))}`);
    },
    note(text) {
      write(indent(text, MARGIN));
    },
    request(name, args, why) {
      write('');
      const formatted = formatArguments(args);
      write(` → ${name}${formatted === '' ? '' : ` ${formatted}`}`);
      if (why !== undefined) write(indent(why, `${MARGIN}# `));
    },
    response(text, kind = 'ok') {
      write(indent(text, kind === 'ok' ? ' ← ' : ' ✗ ', MARGIN));
    },
    event(text) {
      write(indent(text, ' ⋯ ', MARGIN));
    },
    gap() {
      write('');
    },
  };
}
