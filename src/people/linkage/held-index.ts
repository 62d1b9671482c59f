/* eslint-disable @typescript-eslint/no-non-null-assertion --
   Array positions here come from loops bounded by the arrays' own lengths (the
   numeric core of the matcher); noUncheckedIndexedAccess cannot see that. */
import { blockingRules, MAX_BLOCK, type CandidatePairs } from './blocking.js';
import { preparePerson, type PersonInput, type PreparedPerson } from './record.js';

/**
 * The people held, blocked once and kept up to date, for scoring batches
 * of incoming records against them (an import's chunks). candidatePairs
 * (blocking.ts) blocks every record afresh, which for a chunk of 2,000 rows
 * against 40,000 people held is 42,000 records keyed and grouped each time;
 * here only the chunk's rows are keyed and looked up. The pairs are the
 * same ones: a held person and a row sharing a key of any rule, unless that
 * key's block (held and rows together) is larger than MAX_BLOCK.
 */
export class HeldPeople {
  /** Every prepared record ever added; a replaced or removed one stays, out of every block. */
  readonly people: PreparedPerson[] = [];
  private readonly position = new Map<string | number, number>();
  private readonly blocks = blockingRules.map(() => new Map<string, number[]>());
  private alive = 0;

  constructor(records: readonly PersonInput[] = []) {
    this.upsert(records);
  }

  /** People held now (replaced records not counted). */
  get size(): number {
    return this.alive;
  }

  /** Adds people, or replaces a person's record by id (a new identifier, say). */
  upsert(records: readonly PersonInput[]): void {
    for (const record of records) {
      this.drop(record.id);
      const index = this.people.length;
      const person = preparePerson({ ...record, source: 'held' }, index);
      this.people.push(person);
      this.position.set(record.id, index);
      this.alive += 1;
      this.keysOf(person).forEach((key, r) => {
        if (key === null) return;
        const block = this.blocks[r]!.get(key);
        if (block) block.push(index);
        else this.blocks[r]!.set(key, [index]);
      });
    }
  }

  /**
   * Candidate pairs between the people held and `rows` (prepared by the
   * caller), as positions in `[...this.people, ...rows]`: held first.
   */
  candidates(rows: readonly PreparedPerson[]): {
    people: PreparedPerson[];
    pairs: CandidatePairs;
  } {
    const offset = this.people.length;
    const rowKeys = rows.map((row) => this.keysOf(row));
    // Rows sharing a key count towards its block's size, as they would in one list.
    const rowsWith = blockingRules.map((_, r) => {
      const counts = new Map<string, number>();
      for (const keys of rowKeys) {
        const key = keys[r];
        if (key !== null && key !== undefined) counts.set(key, (counts.get(key) ?? 0) + 1);
      }
      return counts;
    });
    const skipped: Record<string, number> = {};
    const oversized = blockingRules.map(() => new Set<string>());
    const left: number[] = [];
    const right: number[] = [];
    const rule: number[] = [];
    const seen = new Set<number>();
    rowKeys.forEach((keys, i) => {
      seen.clear();
      keys.forEach((key, r) => {
        if (key === null) return;
        const block = this.blocks[r]!.get(key);
        if (!block) return;
        if (block.length + (rowsWith[r]!.get(key) ?? 0) > MAX_BLOCK) {
          if (!oversized[r]!.has(key)) {
            oversized[r]!.add(key);
            const name = blockingRules[r]!.name;
            skipped[name] = (skipped[name] ?? 0) + 1;
          }
          return;
        }
        for (const h of block) {
          if (seen.has(h)) continue;
          seen.add(h);
          left.push(h);
          right.push(offset + i);
          rule.push(r);
        }
      });
    });
    return {
      people: [...this.people, ...rows],
      pairs: {
        left: Uint32Array.from(left),
        right: Uint32Array.from(right),
        rule: Uint8Array.from(rule),
        count: left.length,
        skipped,
      },
    };
  }

  /** Takes people out (merged into someone else): no row is matched to them again. */
  remove(ids: readonly (string | number)[]): void {
    for (const id of ids) this.drop(id);
  }

  private drop(id: string | number): void {
    const earlier = this.position.get(id);
    if (earlier === undefined) return;
    this.keysOf(this.people[earlier]!).forEach((key, r) => {
      if (key === null) return;
      const block = this.blocks[r]!.get(key);
      if (!block) return;
      const at = block.indexOf(earlier);
      if (at >= 0) block.splice(at, 1);
      if (block.length === 0) this.blocks[r]!.delete(key);
    });
    this.position.delete(id);
    this.alive -= 1;
  }

  private keysOf(person: PreparedPerson): (string | null)[] {
    return blockingRules.map((rule) => rule.key(person));
  }
}
