/**
 * Recall and precision of the redaction engine on the synthetic reports in
 * test/fixtures/publication/ (reports.ts, held-out.ts), by category. Run it to print the
 * figures the README quotes:
 *
 *   npx tsx src/publication/evaluate.ts
 *
 * A gold span is recalled when every letter and digit in it is inside some
 * redacted span (a title or "'s" around it does not matter); a known
 * person's mention is also checked for the right label. A redacted span is
 * precise when it overlaps a gold span of any category.
 */
import { pathToFileURL } from 'node:url';
import { heldOut } from '../../test/fixtures/publication/held-out.js';
import { reports, type MarkedReport } from '../../test/fixtures/publication/reports.js';
import { redact } from './redact.js';
import type { Span } from './types.js';

export const CATEGORIES = [
  'known people',
  'identifiers',
  'people not in the case',
  'dates',
  'addresses and postcodes',
  'schools',
  'contact details',
  'other',
] as const;
export type Category = (typeof CATEGORIES)[number];

const CODES: Record<string, Category> = {
  '?': 'people not in the case',
  '#': 'identifiers',
  '@': 'contact details',
  d: 'dates',
  a: 'addresses and postcodes',
  s: 'schools',
  o: 'other',
};

interface Gold {
  start: number;
  end: number;
  category: Category;
  /** For a known person, the label they must get. */
  label?: string;
}

/** The report's text without markup, and its gold spans. */
export function unmark(marked: string): { text: string; gold: Gold[] } {
  const gold: Gold[] = [];
  let text = '';
  let at = 0;
  for (const match of marked.matchAll(/\[\[([^|\]]+)\|([^\]]*)\]\]/g)) {
    text += marked.slice(at, match.index);
    const [, code = '', inner = ''] = match;
    const category = CODES[code] ?? 'known people';
    gold.push({
      start: text.length,
      end: text.length + inner.length,
      category,
      ...(category === 'known people' ? { label: code } : {}),
    });
    text += inner;
    at = match.index + match[0].length;
  }
  return { text: text + marked.slice(at), gold };
}

function spanCategory(span: Span, knownLabels: Set<string>): Category {
  switch (span.kind) {
    case 'person':
      return knownLabels.has(span.label) ? 'known people' : 'people not in the case';
    case 'identifier':
      return 'identifiers';
    case 'phone':
    case 'email':
      return 'contact details';
    case 'date':
      return 'dates';
    case 'address':
    case 'postcode':
      return 'addresses and postcodes';
    case 'school':
      return 'schools';
    default:
      return span.reason.includes('social media') ? 'contact details' : 'other';
  }
}

export interface Figures {
  gold: number;
  recalled: number;
  /** Known people only: recalled with the right label. */
  rightLabel: number;
  predicted: number;
  precise: number;
  recall: number;
  precision: number;
}

export interface Evaluation {
  byCategory: Record<Category, Figures>;
  misses: { report: string; category: Category; text: string }[];
  falsePositives: { report: string; category: Category; text: string }[];
  wrongLabels: { report: string; category: Category; text: string }[];
  reports: number;
  words: number;
}

export function evaluate(set: MarkedReport[] = reports): Evaluation {
  const tally = Object.fromEntries(
    CATEGORIES.map((c) => [c, { gold: 0, recalled: 0, rightLabel: 0, predicted: 0, precise: 0 }]),
  ) as Record<Category, Omit<Figures, 'recall' | 'precision'>>;
  const misses: Evaluation['misses'] = [];
  const falsePositives: Evaluation['falsePositives'] = [];
  const wrongLabels: Evaluation['wrongLabels'] = [];
  let words = 0;
  for (const report of set) {
    const { text, gold } = unmark(report.marked);
    words += text.split(/\s+/).filter(Boolean).length;
    const { spans } = redact(text, report.people);
    const knownLabels = new Set(report.people.map((p) => p.label));
    for (const g of gold) {
      const t = tally[g.category];
      t.gold += 1;
      let covered = true;
      const labels = new Set<string>();
      for (let i = g.start; i < g.end; i++) {
        if (!/[\p{L}\p{N}]/u.test(text[i] ?? '')) continue;
        const span = spans.find((s) => s.start <= i && i < s.end);
        if (!span) covered = false;
        else labels.add(span.label);
      }
      if (covered) t.recalled += 1;
      else
        misses.push({ report: report.id, category: g.category, text: text.slice(g.start, g.end) });
      if (covered && g.label !== undefined) {
        if (labels.size === 1 && labels.has(g.label)) t.rightLabel += 1;
        else
          wrongLabels.push({
            report: report.id,
            category: g.category,
            text: `${text.slice(g.start, g.end)} as ${[...labels].join(', ')}`,
          });
      }
    }
    for (const span of spans) {
      const category = spanCategory(span, knownLabels);
      const t = tally[category];
      t.predicted += 1;
      if (gold.some((g) => span.start < g.end && g.start < span.end)) t.precise += 1;
      else
        falsePositives.push({
          report: report.id,
          category,
          text: text.slice(span.start, span.end),
        });
    }
  }
  const byCategory = Object.fromEntries(
    CATEGORIES.map((c) => {
      const t = tally[c];
      return [
        c,
        {
          ...t,
          recall: t.gold ? t.recalled / t.gold : 1,
          precision: t.predicted ? t.precise / t.predicted : 1,
        },
      ];
    }),
  ) as Record<Category, Figures>;
  return { byCategory, misses, falsePositives, wrongLabels, reports: set.length, words };
}

/** The figures as a Markdown table, as the README shows them. */
export function formatEvaluation(result: Evaluation): string {
  const pct = (n: number) => n.toFixed(3);
  const rows = CATEGORIES.filter(
    (c) => result.byCategory[c].gold + result.byCategory[c].predicted > 0,
  ).map((c) => {
    const f = result.byCategory[c];
    return `| ${c} | ${f.gold} | ${pct(f.recall)} | ${pct(f.precision)} (${f.precise}/${f.predicted}) |`;
  });
  return [
    `${result.reports} synthetic reports, ${result.words} words.`,
    '',
    '| category | gold spans | recall | precision |',
    '| --- | --- | --- | --- |',
    ...rows,
    '',
    `Known people given their own label: ${result.byCategory['known people'].rightLabel}/${result.byCategory['known people'].gold}.`,
  ].join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const print = (line: string) => process.stdout.write(`${line}\n`);
  for (const [name, set] of [
    ['Development set', reports],
    ['Held-out set', heldOut],
  ] as const) {
    const result = evaluate(set);
    print(`${name}: ${formatEvaluation(result)}\n`);
    if (!process.argv.includes('--details')) continue;
    for (const m of result.misses) print(`missed (${m.category}) in ${m.report}: ${m.text}`);
    for (const w of result.wrongLabels) print(`wrong label in ${w.report}: ${w.text}`);
    for (const f of result.falsePositives) {
      print(`not in the gold (${f.category}) in ${f.report}: ${f.text}`);
    }
  }
}
