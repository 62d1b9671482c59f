import PDFDocument from 'pdfkit';
import { describe, expect, it } from 'vitest';
import { makeDocx, tinyPng } from '../../test/support/documents.js';
import { redact } from './redact.js';
import { extractReportText, WORD_MEDIA_TYPE } from './report-text.js';
import { casePerson } from './test-helpers.js';

const paragraphs = [
  'Child Safeguarding Practice Review: Child A',
  'Jade Smith was born on 3rd March 2015. Her mother, Kelly Smith, told the health visitor that the family had moved to 12 Mill Lane, Maidstone. This paragraph is long enough to wrap over several lines of the page, so that a name may fall at the end of one line and the start of the next, as it does in real reports laid out by a word processor.',
  'Dr Amir Shah saw Jade on 17 May 2021.',
];

/** A PDF made in the test (never a real one): paragraphs with space between, long ones wrapped. */
function makeReportPdf(
  texts: readonly string[],
  options: { pageBreakAfter?: number } = {},
): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4' });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  texts.forEach((text, i) => {
    doc.text(text);
    if (options.pageBreakAfter === i) doc.addPage();
    else doc.moveDown();
  });
  doc.end();
  return done;
}

describe('report text from Word, PDF and plain text', () => {
  it('reads a Word document paragraph by paragraph', async () => {
    const report = await extractReportText(WORD_MEDIA_TYPE, await makeDocx(paragraphs));
    expect(report).toEqual({ paragraphs, text: paragraphs.join('\n\n'), note: null });
  });

  it('rebuilds a PDF’s paragraphs from its layout, joining wrapped lines', async () => {
    const report = await extractReportText('application/pdf', await makeReportPdf(paragraphs));
    expect(report.note).toBeNull();
    expect(report.paragraphs).toEqual(paragraphs);
  });

  it('joins a paragraph that runs over a page break, and drops page numbers', async () => {
    const pdf = await makeReportPdf(
      ['The neighbour, Margaret', 'Okonkwo, called the police.', '2', 'A new paragraph.'],
      {
        pageBreakAfter: 0,
      },
    );
    const report = await extractReportText('application/pdf', pdf);
    expect(report.paragraphs).toEqual([
      'The neighbour, Margaret Okonkwo, called the police.',
      'A new paragraph.',
    ]);
  });

  it('gives text the engine redacts like any other', async () => {
    const { text } = await extractReportText('application/pdf', await makeReportPdf(paragraphs));
    const child = casePerson('Child A', { names: ['Jade Smith'] });
    const mother = casePerson('Mother', { names: ['Kelly Smith'] });
    const out = redact(text, [child, mother]).text;
    expect(out).not.toMatch(/Jade|Kelly|Shah/);
    expect(out).toContain('Child A was born on March 2015. Her mother, Mother, told');
  });

  it('reads plain text by blank-line paragraphs, and says why when it cannot read a file', async () => {
    const plain = new TextEncoder().encode('First line\nwrapped.\n\nSecond.\r\n\r\nThird.');
    expect((await extractReportText('text/plain', plain)).paragraphs).toEqual([
      'First line wrapped.',
      'Second.',
      'Third.',
    ]);
    expect(await extractReportText('image/png', tinyPng)).toEqual({
      paragraphs: [],
      text: '',
      note: 'Safekeep reads reports in Word (.docx), PDF or plain text only',
    });
    expect(
      (await extractReportText('application/pdf', new TextEncoder().encode('not a pdf'))).note,
    ).toMatch(/could not be read/);
  });
});
