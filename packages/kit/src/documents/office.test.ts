import { describe, expect, it } from 'vitest';
import { docxText, formatSerial, odtText, pptxText, xlsxSheets } from './office.js';
import { slides, wordFile, workbook, zipFile } from './test-support/files.js';
import { openArchive } from './zip.js';

const LIMITS = { maxInflatedBytes: 16 * 1024 * 1024, maxRatio: 200 };
const GRID = { maxCells: 100_000, maxChars: 1024 * 1024 };

describe('Office text', () => {
  it('reads Word paragraphs, headings, list items and tables', async () => {
    const file = await wordFile([
      { heading: 1, text: 'Plan' },
      'First paragraph & more.',
      { bullet: 'one item' },
      {
        table: [
          ['Name', 'Role'],
          ['Ada', 'Lead | PM'],
        ],
      },
      'After the table.',
    ]);
    expect(docxText(openArchive(file, LIMITS))).toBe(
      '# Plan\n\nFirst paragraph & more.\n\n- one item\n\n| Name | Role |\n| Ada | Lead \\| PM |\n\nAfter the table.\n',
    );
  });

  it('reads PowerPoint slides in presentation order', async () => {
    const file = await slides([
      ['Title slide', 'subtitle'],
      ['Second', 'point'],
    ]);
    expect(pptxText(openArchive(file, LIMITS))).toBe(
      '## Slide 1\n\nTitle slide\nsubtitle\n\n## Slide 2\n\nSecond\npoint\n',
    );
  });

  it('reads every Excel sheet with strings, numbers, booleans and dates as shown', async () => {
    const file = await workbook([
      {
        name: 'Budget',
        rows: [
          ['Item', 'Cost', 'Paid', 'Due'],
          ['Laptop', 1299.5, true, new Date(Date.UTC(2026, 10, 11))],
        ],
      },
      { name: 'Notes', rows: [['only', 'text']], hidden: true },
    ]);
    expect(xlsxSheets(openArchive(file, LIMITS), GRID)).toEqual([
      {
        name: 'Budget',
        hidden: false,
        rows: [
          ['Item', 'Cost', 'Paid', 'Due'],
          ['Laptop', '1299.5', 'TRUE', '2026-11-11'],
        ],
      },
      { name: 'Notes', hidden: true, rows: [['only', 'text']] },
    ]);
  });

  it('formats serial dates and times in both date systems', () => {
    expect(formatSerial(45658.5, 'datetime', false)).toBe('2025-01-01 12:00:00');
    expect(formatSerial(0.25, 'time', false)).toBe('06:00:00');
    expect(formatSerial(0, 'date', true)).toBe('1904-01-01');
  });

  it('reads OpenDocument text', () => {
    const file = zipFile({
      'content.xml':
        '<office:document-content xmlns:office="o" xmlns:text="t"><office:body><office:text><text:h text:outline-level="2">Intro</text:h><text:p>Hello<text:s text:c="2"/>world</text:p></office:text></office:body></office:document-content>',
    });
    expect(odtText(openArchive(file, LIMITS))).toBe('## Intro\n\nHello  world\n');
  });
});
