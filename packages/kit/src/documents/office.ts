/**
 * @module
 * Text from Office files without a dependency: Word (docx) and OpenDocument text (odt) as
 * paragraphs with Markdown headings, lists and table rows; PowerPoint (pptx) slide by slide;
 * Excel (xlsx, also how Google Sheets are exported) as sheets of cell text, with dates and
 * percentages shown as a spreadsheet shows them. Everything is read through {@link Archive}, so
 * the inflated size of a hostile file is bounded; a workbook's grid is bounded too, by the rows
 * and columns it declares and by the cells and characters it would take to build, each checked
 * before the row or cell is made.
 */
import { DocumentError } from './errors.js';
import { GRID_COLUMNS, GRID_ROWS } from './limits.js';
import type { Sheet } from './sheets.js';
import { columnIndex } from './sheets.js';
import { attribute, tokenize } from './xml.js';
import type { Archive } from './zip.js';

function required(archive: Archive, name: string): string {
  const text = archive.text(name);
  if (text === undefined)
    throw new DocumentError(`the file has no ${name}; it is not a valid Office document`);
  return text;
}

/** Relationship id → archive path, for `rels` describing parts under `base`. */
function relationships(archive: Archive, rels: string, base: string): Map<string, string> {
  const map = new Map<string, string>();
  const xml = archive.text(rels);
  if (xml === undefined) return map;
  for (const token of tokenize(xml)) {
    if (token.kind !== 'open' || !token.name.endsWith('Relationship')) continue;
    const id = attribute(token.attrs, 'Id');
    const target = attribute(token.attrs, 'Target');
    if (id === undefined || target === undefined) continue;
    map.set(id, target.startsWith('/') ? target.slice(1) : normalise(`${base}/${target}`));
  }
  return map;
}

function normalise(path: string): string {
  const parts: string[] = [];
  for (const part of path.split('/')) {
    if (part === '..') parts.pop();
    else if (part !== '.' && part !== '') parts.push(part);
  }
  return parts.join('/');
}

function local(name: string): string {
  const colon = name.indexOf(':');
  return colon === -1 ? name : name.slice(colon + 1);
}

/** Word: paragraphs, headings as `#`, list items as `-`, table rows as `| a | b |`. */
export function docxText(archive: Archive): string {
  const xml = required(archive, 'word/document.xml');
  const out: string[] = [];
  let paragraph = '';
  let prefix = '';
  let inText = false;
  let row: string[] | undefined;
  let cell: string[] | undefined;
  let tableDepth = 0;
  for (const token of tokenize(xml)) {
    if (token.kind === 'text') {
      if (inText) paragraph += token.text;
      continue;
    }
    const name = token.name;
    if (token.kind === 'open') {
      switch (name) {
        case 'w:p':
          paragraph = '';
          prefix = '';
          break;
        case 'w:pStyle': {
          const style = attribute(token.attrs, 'w:val') ?? '';
          const level = /^(?:Heading|heading)\s?([1-6])$/.exec(style)?.[1];
          if (level !== undefined) prefix = `${'#'.repeat(Number(level))} `;
          else if (style === 'Title') prefix = '# ';
          break;
        }
        case 'w:numPr':
          if (prefix === '') prefix = '- ';
          break;
        case 'w:t':
          inText = !token.empty;
          break;
        case 'w:tab':
          paragraph += '\t';
          break;
        case 'w:br':
        case 'w:cr':
          paragraph += '\n';
          break;
        case 'w:tbl':
          tableDepth++;
          break;
        case 'w:tr':
          if (tableDepth === 1) row = [];
          break;
        case 'w:tc':
          if (tableDepth === 1) cell = [];
          break;
      }
      continue;
    }
    switch (name) {
      case 'w:t':
        inText = false;
        break;
      case 'w:p': {
        const text = `${prefix}${paragraph}`.trimEnd();
        if (cell !== undefined) cell.push(paragraph.trim());
        else if (tableDepth === 0) out.push(text);
        break;
      }
      case 'w:tc':
        if (tableDepth === 1 && cell !== undefined) {
          row?.push(
            cell
              .filter((part) => part !== '')
              .join(' ')
              .replace(/\|/g, '\\|'),
          );
          cell = undefined;
        }
        break;
      case 'w:tr':
        if (tableDepth === 1 && row !== undefined) {
          out.push(`| ${row.join(' | ')} |`);
          row = undefined;
        }
        break;
      case 'w:tbl':
        tableDepth = Math.max(0, tableDepth - 1);
        break;
    }
  }
  return joinParagraphs(out);
}

/** Paragraphs separated by blank lines, table rows kept together, runs of empty lines collapsed. */
function joinParagraphs(lines: readonly string[]): string {
  let text = '';
  let previousRow = false;
  for (const line of lines) {
    const isRow = line.startsWith('| ');
    if (text !== '') text += isRow && previousRow ? '\n' : '\n\n';
    text += line;
    previousRow = isRow;
  }
  return `${text.replace(/\n{3,}/g, '\n\n').trim()}\n`;
}

/** Paragraph texts of a DrawingML part (slides). */
function drawingParagraphs(xml: string): string[] {
  const paragraphs: string[] = [];
  let paragraph: string | undefined;
  let inText = false;
  for (const token of tokenize(xml)) {
    if (token.kind === 'text') {
      if (inText && paragraph !== undefined) paragraph += token.text;
    } else if (token.kind === 'open') {
      if (token.name === 'a:p') paragraph = '';
      else if (token.name === 'a:t') inText = !token.empty;
      else if (token.name === 'a:br' && paragraph !== undefined) paragraph += '\n';
    } else if (token.name === 'a:t') inText = false;
    else if (token.name === 'a:p' && paragraph !== undefined) {
      if (paragraph.trim() !== '') paragraphs.push(paragraph.trimEnd());
      paragraph = undefined;
    }
  }
  return paragraphs;
}

/** PowerPoint: `## Slide N` then the slide's text, in presentation order. */
export function pptxText(archive: Archive): string {
  const presentation = required(archive, 'ppt/presentation.xml');
  const rels = relationships(archive, 'ppt/_rels/presentation.xml.rels', 'ppt');
  const slides: string[] = [];
  for (const token of tokenize(presentation)) {
    if (token.kind !== 'open' || token.name !== 'p:sldId') continue;
    const path = rels.get(attribute(token.attrs, 'r:id') ?? '');
    if (path !== undefined) slides.push(path);
  }
  if (slides.length === 0) {
    // No slide list: fall back to the file names' numbering.
    const number = (path: string): number => Number(/(\d+)\.xml$/.exec(path)?.[1] ?? 0);
    slides.push(
      ...archive
        .names()
        .filter((name) => /^ppt\/slides\/slide\d+\.xml$/.test(name))
        .sort((a, b) => number(a) - number(b)),
    );
  }
  return slides
    .map((path, index) => {
      const paragraphs = drawingParagraphs(archive.text(path) ?? '');
      return `## Slide ${index + 1}\n\n${paragraphs.join('\n')}`.trimEnd();
    })
    .join('\n\n')
    .concat('\n');
}

/** OpenDocument text: paragraphs and headings from content.xml. */
export function odtText(archive: Archive): string {
  const xml = required(archive, 'content.xml');
  const out: string[] = [];
  let paragraph: string | undefined;
  let prefix = '';
  let depth = 0;
  for (const token of tokenize(xml)) {
    if (token.kind === 'text') {
      if (paragraph !== undefined) paragraph += token.text;
      continue;
    }
    if (token.kind === 'open') {
      switch (token.name) {
        case 'text:p':
        case 'text:h':
          if (depth === 0) {
            paragraph = '';
            const level = Number(attribute(token.attrs, 'text:outline-level') ?? '1');
            prefix =
              token.name === 'text:h' ? `${'#'.repeat(Math.min(6, Math.max(1, level)))} ` : '';
          }
          if (!token.empty) depth++;
          else if (depth === 0) paragraph = undefined;
          break;
        case 'text:s':
          if (paragraph !== undefined)
            paragraph += ' '.repeat(Math.min(100, Number(attribute(token.attrs, 'text:c') ?? '1')));
          break;
        case 'text:tab':
          if (paragraph !== undefined) paragraph += '\t';
          break;
        case 'text:line-break':
          if (paragraph !== undefined) paragraph += '\n';
          break;
      }
      continue;
    }
    if ((token.name === 'text:p' || token.name === 'text:h') && depth > 0) {
      depth--;
      if (depth === 0 && paragraph !== undefined) {
        out.push(`${prefix}${paragraph}`.trimEnd());
        paragraph = undefined;
      }
    }
  }
  return joinParagraphs(out);
}

const BUILTIN_DATE_FORMATS = new Set([14, 15, 16, 17, 18, 19, 20, 21, 22, 45, 46, 47]);
const BUILTIN_PERCENT_FORMATS = new Set([9, 10]);

type CellFormat = 'date' | 'time' | 'datetime' | 'percent' | 'general';

function formatKind(code: string): CellFormat {
  // Quoted literals, escapes and [colour]/[locale] sections are not format letters.
  const bare = code.replace(/"[^"]*"|\\.|\[[^\]]*\]/g, '').toLowerCase();
  if (bare.includes('%')) return 'percent';
  if (bare.trim() === 'general') return 'general';
  const hasTime = /[hs]/.test(bare);
  // "m" is minutes next to hours or seconds, months otherwise.
  const hasDate = /[dy]/.test(bare) || (!hasTime && bare.includes('m'));
  if (hasDate && hasTime) return 'datetime';
  if (hasDate) return 'date';
  if (hasTime) return 'time';
  return 'general';
}

function cellFormats(archive: Archive): CellFormat[] {
  const xml = archive.text('xl/styles.xml');
  if (xml === undefined) return [];
  const custom = new Map<number, string>();
  const formats: CellFormat[] = [];
  let inCellXfs = false;
  for (const token of tokenize(xml)) {
    if (token.kind === 'open' && token.name === 'numFmt') {
      custom.set(
        Number(attribute(token.attrs, 'numFmtId')),
        attribute(token.attrs, 'formatCode') ?? '',
      );
    } else if (token.kind === 'open' && token.name === 'cellXfs') inCellXfs = !token.empty;
    else if (token.kind === 'close' && token.name === 'cellXfs') inCellXfs = false;
    else if (token.kind === 'open' && token.name === 'xf' && inCellXfs) {
      const id = Number(attribute(token.attrs, 'numFmtId') ?? '0');
      const code = custom.get(id);
      formats.push(
        code !== undefined
          ? formatKind(code)
          : BUILTIN_DATE_FORMATS.has(id)
            ? id >= 18 && id <= 21
              ? 'time'
              : id === 22
                ? 'datetime'
                : 'date'
            : BUILTIN_PERCENT_FORMATS.has(id)
              ? 'percent'
              : 'general',
      );
    }
  }
  return formats;
}

function pad(value: number): string {
  return String(value).padStart(2, '0');
}

/** A serial day number as the spreadsheet shows it (1900 or 1904 date system). */
export function formatSerial(
  serial: number,
  kind: 'date' | 'time' | 'datetime',
  date1904: boolean,
): string {
  const epoch = date1904 ? Date.UTC(1904, 0, 1) : Date.UTC(1899, 11, 30);
  const date = new Date(epoch + Math.round(serial * 86_400_000));
  if (Number.isNaN(date.getTime())) return String(serial);
  const day = `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
  const time = `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}`;
  if (kind === 'date') return day;
  if (kind === 'time') return time;
  return `${day} ${time}`;
}

function sharedStrings(archive: Archive): string[] {
  const xml = archive.text('xl/sharedStrings.xml');
  if (xml === undefined) return [];
  const strings: string[] = [];
  let current: string | undefined;
  let inText = false;
  let phonetic = 0;
  for (const token of tokenize(xml)) {
    if (token.kind === 'text') {
      if (inText && phonetic === 0 && current !== undefined) current += token.text;
    } else if (token.kind === 'open') {
      if (token.name === 'si') current = token.empty ? undefined : '';
      else if (token.name === 'rPh' && !token.empty) phonetic++;
      else if (token.name === 't') inText = !token.empty;
      if (token.name === 'si' && token.empty) strings.push('');
    } else if (token.name === 't') inText = false;
    else if (token.name === 'rPh') phonetic = Math.max(0, phonetic - 1);
    else if (token.name === 'si') {
      strings.push(current ?? '');
      current = undefined;
    }
  }
  return strings;
}

/** What building a workbook's grid may cost, counted across all its sheets. */
export interface GridBudget {
  readonly maxCells: number;
  readonly maxChars: number;
}

interface GridUse extends GridBudget {
  cells: number;
  chars: number;
}

const EMPTY_ROW: readonly string[] = Object.freeze([]);

function spend(use: GridUse, cells: number, chars: number): void {
  use.cells += cells;
  use.chars += chars;
  if (use.cells > use.maxCells)
    throw new DocumentError(
      `the workbook needs more than the ${use.maxCells} cells this server builds (counting blanks before the last cell of each row)`,
    );
  if (use.chars > use.maxChars)
    throw new DocumentError(
      `the workbook's cells hold more than the ${use.maxChars} characters of text this server reads (one string may be repeated in many cells)`,
    );
}

/** Refuses a row or column outside the grid a spreadsheet has. */
function checkGrid(row: number, column: number): void {
  if (row > GRID_ROWS)
    throw new DocumentError(
      `a sheet declares row ${row}, past the ${GRID_ROWS} rows a spreadsheet has`,
    );
  if (column > GRID_COLUMNS)
    throw new DocumentError(
      `a sheet declares column ${column}, past the ${GRID_COLUMNS} columns a spreadsheet has`,
    );
}

/** Row and column (1-based) of the bottom-right corner of an A1 reference such as `A1:C20`. */
function corner(ref: string): { row: number; column: number } | undefined {
  const match = /([A-Za-z]{1,3})?\$?([0-9]{1,15})?$/.exec(ref.trim());
  if (match === null) return undefined;
  return {
    row: match[2] === undefined ? 0 : Number(match[2]),
    column: match[1] === undefined ? 0 : columnIndex(match[1]) + 1,
  };
}

function worksheetRows(
  xml: string,
  strings: readonly string[],
  formats: readonly CellFormat[],
  date1904: boolean,
  use: GridUse,
): (readonly string[])[] {
  const rows: (readonly string[])[] = [];
  let row: string[] | undefined;
  let rowIndex = -1;
  let cellColumn = 0;
  let cellType = 'n';
  let cellStyle = 0;
  let value: string | undefined;
  let collecting: 'v' | 't' | undefined;
  for (const token of tokenize(xml)) {
    if (token.kind === 'text') {
      if (collecting !== undefined) value = (value ?? '') + token.text;
      continue;
    }
    if (token.kind === 'open') {
      if (token.name === 'dimension') {
        const declared = corner(attribute(token.attrs, 'ref') ?? '');
        if (declared !== undefined) checkGrid(declared.row, declared.column);
      } else if (token.name === 'row') {
        const r = Number(attribute(token.attrs, 'r'));
        const next = Number.isInteger(r) && r > 0 ? r - 1 : rowIndex + 1;
        checkGrid(next + 1, 0);
        // Every row up to this one is built (blank ones too), so each counts.
        spend(use, Math.max(0, next + 1 - rows.length), 0);
        rowIndex = next;
        row = [];
        rows[rowIndex] = row;
      } else if (token.name === 'c') {
        const ref = attribute(token.attrs, 'r');
        const letters = ref === undefined ? undefined : /^([A-Z]{1,3})/.exec(ref)?.[1];
        cellColumn = letters === undefined ? (row?.length ?? 0) : columnIndex(letters);
        checkGrid(rowIndex + 1, cellColumn + 1);
        cellType = attribute(token.attrs, 't') ?? 'n';
        cellStyle = Number(attribute(token.attrs, 's') ?? '0');
        value = undefined;
      } else if (token.name === 'v') collecting = token.empty ? undefined : 'v';
      else if (token.name === 't' && cellType === 'inlineStr')
        collecting = token.empty ? undefined : 't';
      continue;
    }
    if (token.name === 'v' || token.name === 't') collecting = undefined;
    else if (token.name === 'c' && row !== undefined) {
      const text = cellText(value, cellType, formats[cellStyle] ?? 'general', strings, date1904);
      spend(use, Math.max(0, cellColumn + 1 - row.length), text.length);
      while (row.length < cellColumn) row.push('');
      row[cellColumn] = text;
    }
  }
  for (let index = 0; index < rows.length; index++) rows[index] ??= EMPTY_ROW;
  return rows;
}

function cellText(
  value: string | undefined,
  type: string,
  format: CellFormat,
  strings: readonly string[],
  date1904: boolean,
): string {
  if (value === undefined) return '';
  switch (type) {
    case 's':
      return strings[Number(value)] ?? '';
    case 'b':
      return value === '1' ? 'TRUE' : 'FALSE';
    case 'str':
    case 'inlineStr':
    case 'e':
      return value;
    default: {
      const number = Number(value);
      if (!Number.isFinite(number)) return value;
      if (format === 'percent') return `${Number((number * 100).toPrecision(12))}%`;
      if (format === 'date' || format === 'time' || format === 'datetime')
        return formatSerial(number, format, date1904);
      return String(Number(number.toPrecision(15)));
    }
  }
}

/** Excel: every sheet in workbook order, each a grid of the text its cells show. */
export function xlsxSheets(archive: Archive, budget: GridBudget): Sheet[] {
  const workbook = required(archive, 'xl/workbook.xml');
  const rels = relationships(archive, 'xl/_rels/workbook.xml.rels', 'xl');
  const strings = sharedStrings(archive);
  const formats = cellFormats(archive);
  let date1904 = false;
  const listed: { name: string; path: string | undefined; hidden: boolean }[] = [];
  for (const token of tokenize(workbook)) {
    if (token.kind !== 'open') continue;
    if (token.name === 'workbookPr')
      date1904 = /^(1|true)$/.test(attribute(token.attrs, 'date1904') ?? '');
    if (local(token.name) !== 'sheet') continue;
    listed.push({
      name: attribute(token.attrs, 'name') ?? `Sheet${listed.length + 1}`,
      path: rels.get(attribute(token.attrs, 'r:id') ?? ''),
      hidden: (attribute(token.attrs, 'state') ?? 'visible') !== 'visible',
    });
  }
  const use: GridUse = { ...budget, cells: 0, chars: 0 };
  return listed.map(({ name, path, hidden }) => {
    const xml = path === undefined ? undefined : archive.text(path);
    return {
      name,
      hidden,
      rows: xml === undefined ? [] : worksheetRows(xml, strings, formats, date1904, use),
    };
  });
}
