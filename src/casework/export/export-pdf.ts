/**
 * A printable export as PDF (issue 13 item 10): a title, then sections of
 * label–value lines and dated entries, with the protective marking
 * "OFFICIAL-SENSITIVE" at the top and bottom of every page (Government
 * Security Classifications: personal data about children's safeguarding is
 * OFFICIAL with the SENSITIVE handling caveat), page numbers, and the date
 * and person who exported it. Standard PDF fonts: no font files to ship.
 */
import { newPdf } from '../../platform/documents/new-pdf.js';

export const PROTECTIVE_MARK = 'OFFICIAL-SENSITIVE';

export interface ExportSection {
  heading: string;
  lines?: readonly { label: string; value: string }[];
  entries?: readonly { date: string; title: string; text?: string; source?: string }[];
  /** Shown when a section has nothing in it. */
  empty?: string;
}

export interface ExportDocument {
  title: string;
  subtitle?: string;
  /** "Exported by Sam Social-Worker on 6 December 2026". */
  exportedBy: string;
  sections: readonly ExportSection[];
}

export async function exportPdf(content: ExportDocument): Promise<Buffer> {
  const doc = await newPdf({
    size: 'A4',
    margins: { top: 72, bottom: 72, left: 56, right: 56 },
    bufferPages: true,
    info: { Title: content.title, Subject: PROTECTIVE_MARK },
  });
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);

    doc.font('Helvetica-Bold').fontSize(18).text(content.title);
    if (content.subtitle) doc.font('Helvetica').fontSize(12).text(content.subtitle);
    doc.font('Helvetica').fontSize(9).fillColor('#505a5f').text(content.exportedBy);
    doc.fillColor('black');
    for (const section of content.sections) {
      doc.moveDown(0.8).font('Helvetica-Bold').fontSize(13).text(section.heading);
      doc.font('Helvetica').fontSize(10);
      for (const line of section.lines ?? []) {
        doc.font('Helvetica-Bold').text(`${line.label}: `, { continued: true });
        doc.font('Helvetica').text(line.value);
      }
      for (const entry of section.entries ?? []) {
        doc.moveDown(0.3).font('Helvetica-Bold').text(`${entry.date} — ${entry.title}`);
        doc.font('Helvetica');
        if (entry.text) doc.text(entry.text);
        if (entry.source) doc.fillColor('#505a5f').text(entry.source).fillColor('black');
      }
      if (!section.lines?.length && !section.entries?.length && section.empty) {
        doc.text(section.empty);
      }
    }

    // The mark on every page, top and bottom, once the pages are known.
    const range = doc.bufferedPageRange();
    for (let i = range.start; i < range.start + range.count; i++) {
      doc.switchToPage(i);
      const { margins } = doc.page;
      const bottom = margins.bottom;
      doc.page.margins.bottom = 0;
      const width = doc.page.width - margins.left - margins.right;
      doc.font('Helvetica-Bold').fontSize(10).fillColor('#b10e1e');
      doc.text(PROTECTIVE_MARK, margins.left, 28, { width, align: 'center', lineBreak: false });
      doc.text(
        `${PROTECTIVE_MARK} · page ${i - range.start + 1} of ${range.count}`,
        margins.left,
        doc.page.height - 44,
        { width, align: 'center', lineBreak: false },
      );
      doc.fillColor('black').font('Helvetica').fontSize(10);
      doc.page.margins.bottom = bottom;
    }
    doc.end();
  });
}
