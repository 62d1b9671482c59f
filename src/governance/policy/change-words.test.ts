import { describe, expect, it } from 'vitest';
import { policyFor, type OrganisationPolicy } from '../../policy/index.js';
import { changeInWords } from './change-words.js';

const none = { records: 0, changed: 0, categories: [], earliestNewDestruction: null };

describe('a policy change in words', () => {
  it('names the parts that change, and nothing for the same document', () => {
    const policy = policyFor('kent-lado');
    expect(changeInWords(policy, policy, none).parts).toEqual([]);
    const changed = {
      ...policy,
      legislation: { ...policy.legislation, items: ['The Synthetic Act 2030'] },
      // A field with no words of its own is still named, from its key.
      futureField: ['x'],
    } as OrganisationPolicy;
    expect(changeInWords(policy, changed, none).parts).toEqual([
      'The law the work relies on',
      'Future field',
    ]);
  });

  it('gives the engine’s counts per category by name, and the earliest destruction in words', () => {
    const policy = policyFor('maidstone-bc');
    const words = changeInWords(policy, policy, {
      records: 3,
      changed: 1,
      categories: [
        {
          category: 'safeguarding-concern',
          records: 3,
          changed: 1,
          dueChanged: 1,
          actionChanged: 0,
        },
      ],
      earliestNewDestruction: '2029-06-15',
    });
    expect(words.records.summary).toBe(
      '1 of 3 records would change when they are due for review or destruction, or what happens then.',
    );
    expect(words.records.categories).toEqual([
      { name: 'Safeguarding concern log', records: 3, changed: 1, due: 1, action: 0 },
    ]);
    expect(words.records.earliest).toBe('15 June 2029');
  });
});
