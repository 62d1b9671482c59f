import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isSmall } from '../../partnership/statistics.js';
import { revealedPositions, suppressTable, type SuppressedTable } from './table-suppression.js';

/** The attacker: everything published, as equations; which hidden values do they fix? */
function attack(counts: number[][], table: SuppressedTable): number[] {
  const rows = counts.length;
  const columns = counts[0]?.length ?? 0;
  const grid = counts.map((row) => [...row, row.reduce((a, b) => a + b, 0)]);
  grid.push(
    Array.from({ length: columns + 1 }, (_, c) => grid.reduce((s, row) => s + (row[c] ?? 0), 0)),
  );
  const published = [
    ...table.cells.map((row, r) => [...row, table.rowTotals[r] ?? null]),
    [...table.columnTotals, table.total],
  ];
  const hidden = published.map((row) => row.map((v) => v === null));
  expect(hidden.length).toBe(rows + 1);
  return revealedPositions(grid, hidden)
    .map(([r, c]) => grid[r]?.[c] ?? 0)
    .filter((n) => isSmall(n));
}

describe('two-way tables with totals', () => {
  it('hides a small cell and enough beside it that no total gives it away', () => {
    // Referrals by quarter (rows) and organisation (columns).
    const counts = [
      [40, 3, 25],
      [38, 12, 30],
    ];
    const table = suppressTable(counts);
    expect(table.cells[0]?.[1]).toBeNull();
    expect(attack(counts, table)).toEqual([]);
    // What is shown is true.
    table.cells.flat().forEach((n, i) => {
      if (n !== null) expect(n).toBe(counts.flat()[i]);
    });
  });

  it('is not fooled by a zero: a small cell beside zeros hides its total', () => {
    const counts = [[0, 4, 0]];
    const table = suppressTable(counts);
    expect(table.cells[0]?.[1]).toBeNull();
    expect(table.rowTotals[0]).toBeNull();
    expect(attack(counts, table)).toEqual([]);
  });

  it('never lets a hidden count be worked out, whatever the table (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }).chain((rows) =>
          fc.integer({ min: 1, max: 4 }).chain((columns) =>
            fc.array(
              fc.array(fc.oneof(fc.integer({ min: 0, max: 9 }), fc.integer({ min: 0, max: 60 })), {
                minLength: columns,
                maxLength: columns,
              }),
              { minLength: rows, maxLength: rows },
            ),
          ),
        ),
        (counts) => {
          const table = suppressTable(counts);
          counts.forEach((row, r) =>
            row.forEach((n, c) => {
              const shown = table.cells[r]?.[c];
              if (isSmall(n)) expect(shown).toBeNull();
              else if (shown !== null) expect(shown).toBe(n);
            }),
          );
          expect(attack(counts, table)).toEqual([]);
        },
      ),
      { numRuns: 300 },
    );
  });
});
