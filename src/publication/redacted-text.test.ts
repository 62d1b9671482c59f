import { describe, expect, it } from 'vitest';
import { applyDecisions, highlighted, occurrences, removedSummary } from './redacted-text.js';

const text = 'Jade’s mother, Marta, met Biscuit.\n\nLater biscuit ran off; BISCUITS were fed.';
const span = (start: number, end: number, label: string, accepted = true) => ({
  start,
  end,
  kind: 'person' as const,
  reason: 'known name',
  label,
  accepted,
});

describe('the reviewer’s decisions', () => {
  it('replace accepted spans only, and skip one that overlaps an earlier one', () => {
    const spans = [span(0, 4, 'Child A'), span(15, 20, 'Mother', false), span(2, 6, 'X')];
    expect(applyDecisions(text, spans).startsWith('Child A’s mother, Marta,')).toBe(true);
    expect(removedSummary(spans)).toEqual([{ kind: 'person', reason: 'known name', count: 2 }]);
  });

  it('find every whole-word mention of added words, in any case, clear of spans already there', () => {
    const found = occurrences(text, 'biscuit', [span(26, 33, 'Dog')]);
    expect(found.map((f) => text.slice(f.start, f.end))).toEqual(['biscuit']);
    expect(occurrences(text, '   ', [])).toEqual([]);
  });

  it('keep paragraphs apart when highlighting', () => {
    const paragraphs = highlighted(text, [{ ...span(0, 4, 'Child A'), number: 1 }]);
    expect(paragraphs).toHaveLength(2);
    expect(paragraphs[0]?.parts[0]).toMatchObject({ text: 'Jade', span: { number: 1 } });
    expect(paragraphs[1]?.parts.map((p) => p.text).join('')).toBe(
      'Later biscuit ran off; BISCUITS were fed.',
    );
  });
});
