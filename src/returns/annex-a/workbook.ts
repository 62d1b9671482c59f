import writeXlsxFile, { type Cell as SheetCell, type Sheet } from 'write-excel-file/node';
import type { AnnexA, AnnexARow, Cell } from './build.js';
import { annexALists, listKeys } from './lists.js';

/**
 * The Annex A workbook: one sheet per list, in Annex A's order, named as
 * the lists are, the published headings in the first row (bold, kept in
 * view), then a row per child. Dates are Excel dates (a day number shown
 * dd/mm/yyyy), counts are numbers, everything else text.
 *
 * Written with write-excel-file (MIT, by the author of read-excel-file,
 * which Safekeep already reads spreadsheets with; one dependency, fflate):
 * it writes exactly this (sheets of typed cells) and nothing Safekeep does
 * not need. See docs/returns.md.
 */

const DATE_FORMAT = 'dd/mm/yyyy';

function excelCell(cell: Cell): SheetCell {
  if (cell === undefined) return null;
  if (typeof cell === 'number') return { value: cell, type: Number };
  if (typeof cell === 'string') return { value: cell, type: String };
  const [y, m, d] = cell.date.split('-').map(Number) as [number, number, number];
  return { value: new Date(Date.UTC(y, m - 1, d)), type: Date, format: DATE_FORMAT };
}

export async function annexAWorkbook(annex: AnnexA): Promise<Buffer> {
  const sheets: Sheet<Buffer>[] = listKeys.map((key) => {
    const { sheet, headings } = annexALists[key];
    const rows = annex.lists[key] as AnnexARow[];
    return {
      sheet,
      stickyRowsCount: 1,
      columns: headings.map((h) => ({ width: Math.min(Math.max(h.length, 12), 40) })),
      data: [
        headings.map((h) => ({ value: h, type: String, fontWeight: 'bold' as const, wrap: true })),
        ...rows.map((row) =>
          headings.map((h) => excelCell((row.cells as Record<string, Cell>)[h])),
        ),
      ],
    };
  });
  return writeXlsxFile(sheets).toBuffer();
}
