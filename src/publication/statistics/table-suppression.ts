/**
 * Small-number suppression for two-way tables (issue 14 item 5: counts "by
 * period and organisation", with totals): rows × columns with row totals,
 * column totals and a grand total. The threshold is the partnerships' one
 * (partnership/statistics.ts: 1–7 hidden, the stricter of DfE's 1–5 and
 * NHS Digital's 1–7, reference.md); 0 is shown.
 *
 * Primary suppression hides the small cells (and small totals). Secondary
 * suppression then hides more until no hidden small count can be worked out
 * from what is shown: every row and column (with its total) is a linear
 * equation, and a hidden value is revealed when those equations fix it —
 * not only when it is alone in a row, but also through chains across rows
 * and columns. So each hidden small cell is tested exactly (elimination
 * over the equations), and while one is fixed, the smallest shown non-zero
 * cell beside it (same row or column) is hidden too.
 */
import { isSmall, type Published } from '../../partnership/statistics.js';

export interface SuppressedTable {
  cells: Published[][];
  rowTotals: Published[];
  columnTotals: Published[];
  total: Published;
}

/** Positions: cells (r, c); row totals (r, C); column totals (R, c); the total (R, C). */
type Grid = number[][];

export function suppressTable(counts: readonly (readonly number[])[]): SuppressedTable {
  const rows = counts.length;
  const columns = counts[0]?.length ?? 0;
  const grid: Grid = counts.map((row) => [...row, row.reduce((a, b) => a + b, 0)]);
  const columnTotals = Array.from({ length: columns + 1 }, (_, c) =>
    grid.reduce((sum, row) => sum + (row[c] ?? 0), 0),
  );
  grid.push(columnTotals);
  const hidden = grid.map((row) => row.map((n) => isSmall(n)));
  const value = (r: number, c: number) => grid[r]?.[c] ?? 0;
  const isHidden = (r: number, c: number) => hidden[r]?.[c] ?? false;
  const hide = (r: number, c: number) => {
    const row = hidden[r];
    if (row) row[c] = true;
  };

  // Up to every position hidden: each round hides one more, so this ends.
  for (let round = 0; round <= (rows + 1) * (columns + 1); round++) {
    const revealed = revealedPositions(grid, hidden).find(([r, c]) => isSmall(value(r, c)));
    if (!revealed) break;
    const [r, c] = revealed;
    // A shown non-zero count in its row or column goes too: the smallest
    // one that stops this value being worked out, else the smallest.
    const candidates: [number, number][] = [];
    for (let cc = 0; cc <= columns; cc++) candidates.push([r, cc]);
    for (let rr = 0; rr <= rows; rr++) candidates.push([rr, c]);
    const open = candidates
      .filter(([rr, cc]) => !isHidden(rr, cc) && value(rr, cc) > 0)
      .sort((a, b) => value(a[0], a[1]) - value(b[0], b[1]));
    const stillRevealed = ([rr, cc]: [number, number]) => {
      const trial = hidden.map((row) => [...row]);
      const trialRow = trial[rr];
      if (trialRow) trialRow[cc] = true;
      return revealedPositions(grid, trial).some(([a, b]) => a === r && b === c);
    };
    const chosen = open.find((p) => !stillRevealed(p)) ?? open[0];
    if (chosen) hide(chosen[0], chosen[1]);
    else {
      // Nothing beside it to hide: hide everything still shown (rare: tiny tables).
      grid.forEach((row, rr) => row.forEach((_, cc) => hide(rr, cc)));
    }
  }
  const shown = (r: number, c: number): Published => (isHidden(r, c) ? null : value(r, c));
  return {
    cells: counts.map((row, r) => row.map((_, c) => shown(r, c))),
    rowTotals: counts.map((_, r) => shown(r, columns)),
    columnTotals: Array.from({ length: columns }, (_, c) => shown(rows, c)),
    total: shown(rows, columns),
  };
}

/**
 * The hidden positions whose value the shown ones fix, through the table's
 * equations (each row: cells = row total; each column: cells = column
 * total; the totals row and column likewise). Gaussian elimination on the
 * hidden unknowns: a hidden value is fixed exactly when its unit vector is
 * in the row space, i.e. some reduced equation has it as its only unknown.
 * Also what a test uses to attack a published table.
 */
export function revealedPositions(grid: Grid, hidden: boolean[][]): [number, number][] {
  const R = grid.length;
  const C = grid[0]?.length ?? 0;
  const unknowns: [number, number][] = [];
  const index = new Map<string, number>();
  for (let r = 0; r < R; r++)
    for (let c = 0; c < C; c++)
      if (hidden[r]?.[c]) {
        index.set(`${r},${c}`, unknowns.length);
        unknowns.push([r, c]);
      }
  if (!unknowns.length) return [];
  const equations: number[][] = [];
  const line = (positions: [number, number][], totalAt: [number, number]) => {
    // Σ cells − total = 0, over the unknowns only (knowns do not matter for whether a value is fixed).
    const eq = new Array<number>(unknowns.length).fill(0);
    for (const [r, c] of positions) {
      const i = index.get(`${r},${c}`);
      if (i !== undefined) eq[i] = (eq[i] ?? 0) + 1;
    }
    const t = index.get(`${totalAt[0]},${totalAt[1]}`);
    if (t !== undefined) eq[t] = (eq[t] ?? 0) - 1;
    if (eq.some((x) => x !== 0)) equations.push(eq);
  };
  for (let r = 0; r < R; r++)
    line(
      Array.from({ length: C - 1 }, (_, c) => [r, c] as [number, number]),
      [r, C - 1],
    );
  for (let c = 0; c < C; c++)
    line(
      Array.from({ length: R - 1 }, (_, r) => [r, c] as [number, number]),
      [R - 1, c],
    );
  // Reduced row echelon form.
  const n = unknowns.length;
  const m = equations;
  let pivotRow = 0;
  for (let col = 0; col < n && pivotRow < m.length; col++) {
    const found = m.findIndex((eq, i) => i >= pivotRow && Math.abs(eq[col] ?? 0) > 1e-9);
    if (found < 0) continue;
    [m[pivotRow], m[found]] = [m[found] ?? [], m[pivotRow] ?? []];
    const pivot = m[pivotRow] ?? [];
    const p = pivot[col] ?? 1;
    for (let k = 0; k < n; k++) pivot[k] = (pivot[k] ?? 0) / p;
    m.forEach((eq, i) => {
      if (i === pivotRow) return;
      const f = eq[col] ?? 0;
      if (Math.abs(f) < 1e-9) return;
      for (let k = 0; k < n; k++) eq[k] = (eq[k] ?? 0) - f * (pivot[k] ?? 0);
    });
    pivotRow++;
  }
  const fixed: [number, number][] = [];
  for (const eq of m) {
    const nonZero = eq.map((x, i) => [x, i] as const).filter(([x]) => Math.abs(x) > 1e-9);
    const only = nonZero[0];
    if (nonZero.length === 1 && only) {
      const position = unknowns[only[1]];
      if (position) fixed.push(position);
    }
  }
  return fixed;
}
