/**
 * @module
 * Real files for the fake to serve, built from scratch: ZIP archives (stored or deflated, with a
 * declared size that may lie), Word, Excel and PowerPoint documents made of their actual XML
 * parts, a PDF with text on pages, and a PNG. Nothing is mocked: the server parses these the
 * same way it parses files from Drive.
 */
import { crc32, deflateRawSync } from 'node:zlib';

export interface ZipInput {
  readonly [name: string]: string | Buffer;
}

export interface ZipOptions {
  /** Store instead of deflate. */
  readonly store?: boolean;
  /** Uncompressed size written into the headers, to test archives that lie. */
  readonly declaredSize?: number;
}

/** A ZIP archive with the given entries. */
export function zip(entries: ZipInput, options: ZipOptions = {}): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, content] of Object.entries(entries)) {
    const data = Buffer.isBuffer(content) ? content : Buffer.from(content, 'utf8');
    const compressed = options.store === true ? data : deflateRawSync(data);
    const method = options.store === true ? 0 : 8;
    const nameBytes = Buffer.from(name, 'utf8');
    const size = options.declaredSize ?? data.length;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(crc32(data), 14);
    local.writeUInt32LE(compressed.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    locals.push(local, nameBytes, compressed);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt32LE(crc32(data), 16);
    central.writeUInt32LE(compressed.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, nameBytes);
    offset += 30 + nameBytes.length + compressed.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(entries).length, 8);
  end.writeUInt16LE(Object.keys(entries).length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

const W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"';

export type DocxBlock =
  | string
  | { readonly heading: number; readonly text: string }
  | { readonly bullet: string }
  | { readonly table: readonly (readonly string[])[] };

/** A Word document made of paragraphs, headings, list items and tables. */
export function docx(blocks: readonly DocxBlock[]): Buffer {
  const paragraph = (text: string, props = ''): string =>
    `<w:p>${props === '' ? '' : `<w:pPr>${props}</w:pPr>`}<w:r><w:t xml:space="preserve">${escapeXml(text)}</w:t></w:r></w:p>`;
  const body = blocks
    .map((block) => {
      if (typeof block === 'string') return paragraph(block);
      if ('heading' in block)
        return paragraph(block.text, `<w:pStyle w:val="Heading${block.heading}"/>`);
      if ('bullet' in block)
        return paragraph(
          block.bullet,
          '<w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr>',
        );
      return `<w:tbl>${block.table.map((row) => `<w:tr>${row.map((cell) => `<w:tc>${paragraph(cell)}</w:tc>`).join('')}</w:tr>`).join('')}</w:tbl>`;
    })
    .join('');
  return zip({
    '[Content_Types].xml':
      '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
    'word/document.xml': `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document ${W}><w:body>${body}<w:sectPr/></w:body></w:document>`,
  });
}

export interface XlsxSheet {
  readonly name: string;
  readonly rows: readonly (readonly (string | number | boolean | { date: number })[])[];
  readonly hidden?: boolean;
}

/** An Excel workbook (shared strings, numbers, booleans, dates as formatted serials). */
export function xlsx(sheets: readonly XlsxSheet[]): Buffer {
  const strings: string[] = [];
  const stringIndex = (text: string): number => {
    const found = strings.indexOf(text);
    if (found !== -1) return found;
    strings.push(text);
    return strings.length - 1;
  };
  const column = (index: number): string => {
    let name = '';
    let rest = index + 1;
    while (rest > 0) {
      name = String.fromCharCode(65 + ((rest - 1) % 26)) + name;
      rest = Math.floor((rest - 1) / 26);
    }
    return name;
  };
  const parts: Record<string, string> = {};
  sheets.forEach((sheet, sheetIndex) => {
    const rows = sheet.rows
      .map((row, rowIndex) => {
        const cells = row
          .map((value, columnIndex) => {
            const ref = `${column(columnIndex)}${rowIndex + 1}`;
            if (typeof value === 'string')
              return value === '' ? '' : `<c r="${ref}" t="s"><v>${stringIndex(value)}</v></c>`;
            if (typeof value === 'boolean')
              return `<c r="${ref}" t="b"><v>${value ? 1 : 0}</v></c>`;
            if (typeof value === 'number') return `<c r="${ref}"><v>${value}</v></c>`;
            return `<c r="${ref}" s="1"><v>${value.date}</v></c>`;
          })
          .join('');
        return `<row r="${rowIndex + 1}">${cells}</row>`;
      })
      .join('');
    parts[`xl/worksheets/sheet${sheetIndex + 1}.xml`] =
      `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${rows}</sheetData></worksheet>`;
  });
  const sheetList = sheets
    .map(
      (sheet, index) =>
        `<sheet name="${escapeXml(sheet.name)}" sheetId="${index + 1}"${sheet.hidden === true ? ' state="hidden"' : ''} r:id="rId${index + 1}"/>`,
    )
    .join('');
  const rels = sheets
    .map(
      (_sheet, index) =>
        `<Relationship Id="rId${index + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet${index + 1}.xml"/>`,
    )
    .join('');
  return zip({
    '[Content_Types].xml':
      '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
    'xl/workbook.xml': `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><workbookPr/><sheets>${sheetList}</sheets></workbook>`,
    'xl/_rels/workbook.xml.rels': `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${rels}</Relationships>`,
    'xl/sharedStrings.xml': `<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="${strings.length}" uniqueCount="${strings.length}">${strings.map((text) => `<si><t xml:space="preserve">${escapeXml(text)}</t></si>`).join('')}</sst>`,
    'xl/styles.xml': `<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/></numFmts><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="164" applyNumberFormat="1"/></cellXfs></styleSheet>`,
    ...parts,
  });
}

/** A PowerPoint presentation, one entry of paragraphs per slide, in the given order. */
export function pptx(slides: readonly (readonly string[])[]): Buffer {
  const parts: Record<string, string> = {};
  // Files are numbered backwards, so only the presentation's slide list gives the right order.
  slides.forEach((paragraphs, index) => {
    const number = slides.length - index;
    parts[`ppt/slides/slide${number}.xml`] =
      `<?xml version="1.0"?><p:sld xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"><p:cSld><p:spTree><p:sp><p:txBody>${paragraphs.map((text) => `<a:p><a:r><a:t>${escapeXml(text)}</a:t></a:r></a:p>`).join('')}</p:txBody></p:sp></p:spTree></p:cSld></p:sld>`;
  });
  const ids = slides
    .map((_slide, index) => `<p:sldId id="${256 + index}" r:id="rId${index + 10}"/>`)
    .join('');
  const rels = slides
    .map(
      (_slide, index) =>
        `<Relationship Id="rId${index + 10}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/slide" Target="slides/slide${slides.length - index}.xml"/>`,
    )
    .join('');
  return zip({
    'ppt/presentation.xml': `<?xml version="1.0"?><p:presentation xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><p:sldIdLst>${ids}</p:sldIdLst></p:presentation>`,
    'ppt/_rels/presentation.xml.rels': `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${rels}</Relationships>`,
    ...parts,
  });
}

/** A PDF with one page per entry, each page's lines in Helvetica. */
export function pdf(pages: readonly (readonly string[])[]): Buffer {
  const escape = (line: string): string => line.replace(/[()\\]/g, (char) => `\\${char}`);
  const objects: string[] = ['<< /Type /Catalog /Pages 2 0 R >>', ''];
  const kids: string[] = [];
  const fontObject = 3;
  objects.push('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>');
  for (const lines of pages) {
    const content = `BT /F1 12 Tf 72 720 Td ${lines.map((line, index) => `${index === 0 ? '' : '0 -14 Td '}(${escape(line)}) Tj`).join(' ')} ET`;
    objects.push(
      `<< /Length ${Buffer.byteLength(content, 'latin1')} >>\nstream\n${content}\nendstream`,
    );
    const contentObject = objects.length;
    objects.push(
      `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents ${contentObject} 0 R /Resources << /Font << /F1 ${fontObject} 0 R >> >> >>`,
    );
    kids.push(`${objects.length} 0 R`);
  }
  objects[1] = `<< /Type /Pages /Kids [${kids.join(' ')}] /Count ${pages.length} >>`;
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((object, index) => {
    offsets.push(Buffer.byteLength(out, 'latin1'));
    out += `${index + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xref = Buffer.byteLength(out, 'latin1');
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((offset) => `${String(offset).padStart(10, '0')} 00000 n \n`).join('')}`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

/** A 1×1 transparent PNG. */
export const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);
