import { describe, expect, it } from 'vitest';
import { suppressEach, suppressPartition } from './statistics.js';

describe('small-number suppression (the stricter rule: 1–7 hidden)', () => {
  it('hides counts of 1 to 7 and shows 0 and 8 up', () => {
    expect(suppressPartition([0, 8, 20, 9]).cells).toEqual([0, 8, 20, 9]);
    expect(suppressPartition([7, 8, 20, 6]).cells).toEqual([null, 8, 20, null]);
    expect(suppressPartition([1, 8, 8, 8]).cells[0]).toBeNull();
  });

  it('hides a second cell so one hidden count cannot be worked out from the total', () => {
    const { cells, total } = suppressPartition([3, 12, 30, 9]);
    expect(total).toBe(54);
    expect(cells).toEqual([null, 12, 30, null]);
  });

  it('hides everything when the total itself is small', () => {
    expect(suppressPartition([2, 3])).toEqual({ cells: [null, null], total: null });
  });

  it('hides a multiple-choice count whose complement is small', () => {
    expect(suppressEach([20, 5, 10], 22)).toEqual({ cells: [null, null, 10], total: 22 });
    expect(suppressEach([3], 5)).toEqual({ cells: [null], total: null });
  });
});
