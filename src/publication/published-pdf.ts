/**
 * The published report as a PDF with the redactions burnt in (issue 14):
 * the PDF is written afresh from the approved redacted text, so what was
 * removed is nowhere in the file — not under a black box, not in a hidden
 * text layer, not in the original's metadata, fonts or revisions, which a
 * redaction drawn over the original PDF would all keep. The original is
 * never copied in.
 *
 * pdfkit is already a dependency (subject access bundles, sharing packages).
 * Its document information is reduced to the title: no author, creator,
 * producer or dates (pdfkit adds Producer, Creator and CreationDate unless
 * they are replaced), so the file says nothing of who made it or when
 * beyond what the page says.
 */
import { newPdf } from '../platform/documents/new-pdf.js';

const MARGIN = 56;

export interface PublishedReport {
  title: string;
  partnership: string;
  /** "3 June 2026": as the page shows it. */
  publishedOn: string;
  paragraphs: string[];
}

export async function publishedPdf(report: PublishedReport): Promise<Buffer> {
  const doc = await newPdf({ size: 'A4', margin: MARGIN, info: { Title: report.title } });
  // pdfkit fills in Producer, Creator and CreationDate by itself. It writes
  // every enumerable key of `info` into the file, but still reads
  // CreationDate when it finishes (for the XMP metadata, which PDF 1.3, its
  // default, never writes): so that one stays, hidden from the loop.
  const info = doc.info as Record<string, unknown>;
  delete info.Producer;
  delete info.Creator;
  Object.defineProperty(info, 'CreationDate', { value: info.CreationDate, enumerable: false });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.font('Helvetica-Bold').fontSize(18).text(winAnsi(report.title));
  doc.moveDown(0.5);
  doc
    .font('Helvetica')
    .fontSize(11)
    .fillColor('#505a5f')
    .text(winAnsi(`${report.partnership}. Published ${report.publishedOn}.`));
  doc.fillColor('black').moveDown(1);
  for (const paragraph of report.paragraphs) {
    doc.font('Helvetica').fontSize(11).text(winAnsi(paragraph), { align: 'left' });
    doc.moveDown(0.6);
  }
  doc.end();
  return done;
}

/**
 * The standard PDF fonts cover Windows-1252 only. Typographic quotes and
 * dashes are kept (they are in it); anything else outside it (an emoji, a
 * script the fonts lack) becomes "?", visibly, rather than a wrong glyph.
 */
function winAnsi(text: string): string {
  return text.replace(/[^\s\u0020-\u007e\u00a0-\u00ff‘’“”–—…•€]/gu, '?');
}
