import { SUPPRESSED_MARK } from '../partnership/statistics.js';
import type { StatisticsTable } from './service.js';

/**
 * A horizontal bar chart of a table's year totals, drawn on the server as
 * SVG (no script, works with any CSP). Each bar has its label above it and
 * its figure beside it; a hidden count has no bar, and says so. The chart is
 * one image to assistive technology, with a text alternative that says every
 * figure, and the table below it holds the same numbers.
 */
export interface Chart {
  width: number;
  height: number;
  bars: {
    label: string;
    labelY: number;
    barY: number;
    barWidth: number;
    valueX: number;
    value: string;
  }[];
  barHeight: number;
  description: string;
}

const WIDTH = 640;
const ROW = 46;
const BAR_HEIGHT = 18;
const LABEL_AREA = 20;
const VALUE_AREA = 110;

export function barChart(table: StatisticsTable): Chart {
  const values = table.totals.cells;
  const largest = Math.max(1, ...values.map((v) => v ?? 0));
  const scale = (WIDTH - VALUE_AREA) / largest;
  const bars = table.columns.map((label, i) => {
    const value = values[i] ?? null;
    const barWidth = value === null ? 0 : Math.max(value > 0 ? 2 : 0, Math.round(value * scale));
    const top = i * ROW;
    return {
      label,
      labelY: top + 14,
      barY: top + LABEL_AREA,
      barWidth,
      valueX: barWidth + 6,
      value: value === null ? `hidden (${SUPPRESSED_MARK})` : value.toLocaleString('en-GB'),
    };
  });
  const description = table.columns
    .map((label, i) => {
      const value = values[i] ?? null;
      return `${label}: ${value === null ? 'hidden, a small number' : value.toLocaleString('en-GB')}`;
    })
    .join('. ');
  return {
    width: WIDTH,
    height: table.columns.length * ROW,
    bars,
    barHeight: BAR_HEIGHT,
    description: `${description}.`,
  };
}
