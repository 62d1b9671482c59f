import { parse } from 'csv-parse/sync';

/**
 * A partner's file as headings and rows of text, whatever it came as: CSV
 * (csv-parse, the Node CSV project's parser: quoted fields, line breaks
 * inside quotes, a byte-order mark) or Excel .xlsx (read-excel-file: reads
 * only, no formulas run, typed, maintained; its dates arrive as Dates and
 * are written back as YYYY-MM-DD). Nothing here checks the values: that is
 * the validator's job, row by row, so that no row is silently dropped.
 */
export interface PartnerFile {
  headers: string[];
  rows: string[][];
}

export class FileProblem extends Error {}

/** The most rows one file may hold: a partner's return, not a data warehouse. */
export const MAX_ROWS = 100_000;

const XLSX_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);

export function looksLikeXlsx(fileName: string, content: Buffer): boolean {
  return /\.xlsx$/i.test(fileName) || content.subarray(0, 4).equals(XLSX_MAGIC);
}

export async function readPartnerFile(fileName: string, content: Buffer): Promise<PartnerFile> {
  if (content.length === 0) throw new FileProblem('The selected file is empty');
  if (/\.xls$/i.test(fileName)) {
    throw new FileProblem('The file must be a CSV or an Excel workbook saved as .xlsx, not .xls');
  }
  const table = looksLikeXlsx(fileName, content) ? await readXlsx(content) : readCsv(content);
  const [headers, ...rows] = table.filter((row) => row.some((cell) => cell.trim() !== ''));
  if (!headers) throw new FileProblem('The selected file has no rows');
  const names = headers.map((h) => h.trim());
  if (names.every((h) => h === ''))
    throw new FileProblem('The first row must hold the column headings');
  if (rows.length === 0) throw new FileProblem('The file has headings but no rows under them');
  if (rows.length > MAX_ROWS) {
    throw new FileProblem(
      `The file has ${rows.length.toLocaleString('en-GB')} rows; split it into files of at most ${MAX_ROWS.toLocaleString('en-GB')}`,
    );
  }
  return { headers: names, rows: rows.map((r) => names.map((_, i) => (r[i] ?? '').trim())) };
}

function readCsv(content: Buffer): string[][] {
  try {
    return parse(content, {
      bom: true,
      relax_column_count: true,
      skip_empty_lines: true,
      cast: false,
    }) as string[][];
  } catch {
    throw new FileProblem(
      'The file could not be read as CSV. Save it again as CSV (UTF-8) and retry',
    );
  }
}

async function readXlsx(content: Buffer): Promise<string[][]> {
  // Loaded here, not at start: most processes never read a spreadsheet.
  const { default: readXlsxFile } = await import('read-excel-file/node');
  let sheets;
  try {
    sheets = await readXlsxFile(content);
  } catch {
    throw new FileProblem(
      'The file could not be read as an Excel workbook. Save it as .xlsx and retry',
    );
  }
  const first = sheets[0];
  if (!first) throw new FileProblem('The workbook has no sheets');
  return first.data.map((row) => row.map(cellText));
}

function cellText(cell: unknown): string {
  if (cell === null || cell === undefined) return '';
  if (cell instanceof Date) {
    // Excel keeps dates as days; the reader gives midnight UTC of that day.
    return Number.isNaN(cell.getTime()) ? '' : cell.toISOString().slice(0, 10);
  }
  return String(cell);
}
