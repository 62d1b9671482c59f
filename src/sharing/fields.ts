/**
 * The fields of a record that can be shared one by one (issue 6: "records,
 * notes, documents, or fields"): the subject's name and date of birth, the
 * facts the record holds for its category, and each field of the category's
 * detail. A field item names one of these; the recipient sees exactly the
 * fields named and nothing else of the record.
 */
import type { z } from 'zod';
import {
  detailListFormsFor,
  detailSchemas,
  factLabels,
  formFieldsFor,
  humanise,
  recordFactsFor,
  type RecordFact,
} from '../casework/categories.js';
import type { CategorySlug, OrganisationSlug } from '../policy/index.js';

export interface ShareableField {
  /** `subject.name`, `subject.dateOfBirth`, `fact.<name>` or `detail.<key>`. */
  name: string;
  label: string;
}

export const subjectFields: readonly ShareableField[] = [
  { name: 'subject.name', label: 'Name of the person the record is about' },
  { name: 'subject.dateOfBirth', label: 'Their date of birth' },
];

function detailKeys(category: CategorySlug): string[] {
  const schema = detailSchemas[category] as unknown as { shape?: Record<string, z.ZodType> };
  return Object.keys(schema.shape ?? {});
}

function detailLabel(category: CategorySlug, key: string): string {
  return (
    formFieldsFor(category).find((f) => f.name === key)?.label ??
    detailListFormsFor(category).find((l) => l.name === key)?.label ??
    humanise(key.replace(/([A-Z])/g, '-$1').toLowerCase())
  );
}

/** Every field of a record of this category that can be shared on its own, in page order. */
export function shareableFields(
  organisation: OrganisationSlug,
  category: CategorySlug,
): ShareableField[] {
  return [
    ...subjectFields,
    ...recordFactsFor(organisation, category).map((fact) => ({
      name: `fact.${fact}`,
      label: factLabels[fact],
    })),
    ...detailKeys(category).map((key) => ({
      name: `detail.${key}`,
      label: detailLabel(category, key),
    })),
  ];
}

/** What a set of shared field names opens of the record. */
export function fieldSelection(names: readonly string[]) {
  const chosen = new Set(names);
  return {
    subjectName: chosen.has('subject.name'),
    subjectDateOfBirth: chosen.has('subject.dateOfBirth'),
    facts: names.filter((n) => n.startsWith('fact.')).map((n) => n.slice(5) as RecordFact),
    detail: names.filter((n) => n.startsWith('detail.')).map((n) => n.slice(7)),
  };
}
