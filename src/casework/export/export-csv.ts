/**
 * An export as CSV (RFC 4180, CRLF line ends): the same sections as the PDF
 * flattened into rows — section, date, what, detail, source — headed by a
 * first row carrying the protective marking, so the marking travels with
 * the file into whatever opens it.
 */
import { stringify } from 'csv-stringify/sync';
import { PROTECTIVE_MARK, type ExportDocument } from './export-pdf.js';

export function exportCsv(content: ExportDocument): string {
  const rows: string[][] = [
    [PROTECTIVE_MARK, content.title, content.subtitle ?? '', content.exportedBy, ''],
  ];
  rows.push(['Section', 'Date', 'What', 'Detail', 'Source']);
  for (const section of content.sections) {
    for (const line of section.lines ?? [])
      rows.push([section.heading, '', line.label, line.value, '']);
    for (const entry of section.entries ?? []) {
      rows.push([section.heading, entry.date, entry.title, entry.text ?? '', entry.source ?? '']);
    }
  }
  // Spreadsheets run cells that start with = + - @ as formulas: such a cell gets a leading quote.
  const safe = rows.map((row) =>
    row.map((cell) => (/^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell)),
  );
  return stringify(safe, { record_delimiter: 'windows' });
}
