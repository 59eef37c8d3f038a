/**
 * @module
 * Canvases as the Slack fake keeps them: a list of sections (a heading, a paragraph, a list item
 * each), which is what canvases.sections.lookup finds and canvases.edit addresses by ID. Markdown
 * from document_content is split into sections the way Slack splits it, and a canvas is served
 * for download as the HTML Slack's file download gives (`<h1 id='temp:C:…'>`, `<p class='line'>`,
 * `<ul><li>`).
 */

export interface FakeSection {
  id: string;
  type: 'h1' | 'h2' | 'h3' | 'p' | 'li';
  /** The section's Markdown, without its heading or list marker. */
  text: string;
}

export interface FakeCanvas {
  id: string;
  title: string;
  user: string;
  created: number;
  updated?: number;
  /** The channel whose own canvas this is. */
  channel?: string;
  /** Conversations it is shared in. */
  shared: string[];
  /** Access for the whole workspace. */
  access?: 'none' | 'read' | 'write';
  sections: FakeSection[];
}

/** Why a change could not be applied, as Slack's error code. */
export class CanvasFailure extends Error {}

/** Markdown split into sections, with IDs from `nextId`. */
export function toSections(markdown: string, nextId: () => string): FakeSection[] {
  const sections: FakeSection[] = [];
  for (const line of markdown.split('\n')) {
    if (line.trim() === '') continue;
    const heading = /^(#{1,3})\s+(.*)$/.exec(line);
    const item = /^\s*[-*]\s+(.*)$/.exec(line);
    if (heading !== null)
      sections.push({
        id: nextId(),
        type: `h${heading[1]!.length}` as FakeSection['type'],
        text: heading[2]!,
      });
    else if (item !== null) sections.push({ id: nextId(), type: 'li', text: item[1]! });
    else sections.push({ id: nextId(), type: 'p', text: line.trim() });
  }
  return sections;
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function inlineHtml(markdown: string): string {
  return escapeHtml(markdown)
    .replace(/\*\*([^*]+)\*\*/g, '<b>$1</b>')
    .replace(/`([^`]+)`/g, '<code>$1</code>')
    .replace(/\[([^\]]+)\]\(([^)\s]+)\)/g, "<a href='$2'>$1</a>");
}

/** The canvas as Slack's download serves it. */
export function canvasHtml(canvas: FakeCanvas): string {
  const out: string[] = [];
  canvas.sections.forEach((section, index) => {
    const previous = canvas.sections[index - 1];
    const next = canvas.sections[index + 1];
    if (section.type === 'li') {
      if (previous?.type !== 'li') out.push('<ul>');
      out.push(`<li id='${section.id}' class='' value='1'>${inlineHtml(section.text)}</li>`);
      if (next?.type !== 'li') out.push('</ul>');
    } else if (section.type === 'p')
      out.push(`<p class='line' id='${section.id}'>${inlineHtml(section.text)}</p>`);
    else
      out.push(`<${section.type} id='${section.id}'>${inlineHtml(section.text)}</${section.type}>`);
  });
  return out.join('');
}

/** canvases.sections.lookup: the sections matching `criteria` (heading levels, contained text). */
export function lookupSections(
  canvas: FakeCanvas,
  criteria: { section_types?: string[]; contains_text?: string },
): FakeSection[] {
  const types = criteria.section_types;
  const text = criteria.contains_text?.toLowerCase();
  if (types === undefined && text === undefined) throw new CanvasFailure('invalid_arguments');
  return canvas.sections.filter(
    (section) =>
      (types === undefined ||
        types.includes(section.type) ||
        (types.includes('any_header') && /^h[1-3]$/.test(section.type))) &&
      (text === undefined || section.text.toLowerCase().includes(text)),
  );
}

export interface CanvasChange {
  operation?: string;
  section_id?: string;
  document_content?: { type?: string; markdown?: string };
}

/** canvases.edit: `changes` applied in order; a bad change fails the whole edit, as Slack does. */
export function applyChanges(
  canvas: FakeCanvas,
  changes: readonly CanvasChange[],
  nextId: () => string,
): void {
  const sections = [...canvas.sections];
  for (const change of changes) {
    const content = change.document_content;
    if (content !== undefined && content.type !== 'markdown')
      throw new CanvasFailure('invalid_arguments');
    const added = content === undefined ? [] : toSections(content.markdown ?? '', nextId);
    const at =
      change.section_id === undefined
        ? -1
        : sections.findIndex((section) => section.id === change.section_id);
    if (change.section_id !== undefined && at === -1)
      throw new CanvasFailure('canvas_editing_failed');
    switch (change.operation) {
      case 'insert_at_start':
        sections.unshift(...added);
        break;
      case 'insert_at_end':
        sections.push(...added);
        break;
      case 'insert_before':
      case 'insert_after':
        if (at === -1 || content === undefined) throw new CanvasFailure('invalid_arguments');
        sections.splice(change.operation === 'insert_after' ? at + 1 : at, 0, ...added);
        break;
      case 'replace':
        if (content === undefined) throw new CanvasFailure('invalid_arguments');
        if (at === -1) sections.splice(0, sections.length, ...added);
        else sections.splice(at, 1, ...added);
        break;
      case 'delete':
        if (at === -1) throw new CanvasFailure('invalid_arguments');
        sections.splice(at, 1);
        break;
      default:
        throw new CanvasFailure('invalid_arguments');
    }
  }
  canvas.sections = sections;
}
