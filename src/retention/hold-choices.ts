import type { Kysely } from 'kysely';
import { recordsToChoose } from '../casework/choose-records.js';
import type { Database } from '../db/schema.js';
import { findPeople } from '../people/choose.js';
import type { PeopleService } from '../people/service.js';
import type { StaffContext } from '../platform/auth/service.js';
import type { FieldError } from '../platform/errors/errors.js';
import { formatDate } from '../platform/http/views.js';
import { isOrganisationSlug, policyFor } from '../policy/index.js';

/**
 * What a legal hold covers, chosen rather than typed (issue 13 item 4): a
 * search finds people; the form offers each of them ("every record of …"),
 * each of their records the officer may find, or every record of a
 * category from the policy's list. The choice is posted as `target`
 * ("person:…", "record:…" or "category" with `category`), translated here
 * into the scope and target the service has always taken — so the API and
 * the access checks behind placeHold are unchanged.
 */
export async function holdChoices(
  deps: { people: PeopleService; db: Kysely<Database> },
  staff: StaffContext,
  findText: string | undefined,
) {
  const find = await findPeople(deps.people, staff, findText);
  const people = find.state === 'found' ? find.people : [];
  const records = await recordsToChoose(
    deps.db,
    staff,
    people.map((p) => p.id),
    { includeRestricted: true },
  );
  const targets = people.flatMap((p) => [
    {
      value: `person:${p.id}`,
      text: `Every record of ${p.name}`,
      hint: {
        text: p.dateOfBirth ? `Born ${formatDate(p.dateOfBirth)}` : 'Date of birth not known',
      },
    },
    ...records
      .filter((r) => r.personId === p.id)
      .map((r) => ({
        value: `record:${r.id}`,
        text: `${r.categoryName} record of ${p.name}`,
        hint: {
          text: `Opened ${formatDate(r.openedOn)}${r.closedOn ? `, closed ${formatDate(r.closedOn)}` : ''}`,
        },
      })),
  ]);
  const slug = staff.organisation?.slug ?? '';
  const categories = isOrganisationSlug(slug)
    ? policyFor(slug).categories.map((c) => ({ value: c.slug, text: c.name }))
    : [];
  return { find, targets, categories };
}

const text = (body: unknown, name: string): string => {
  const value = (body as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? value : '';
};

export const findOf = (body: unknown): string => text(body, 'find');

/** The posted choice as the scope and target the hold form has always taken. */
export function holdBodyFromChoice(body: unknown): Record<string, unknown> {
  const raw = { ...((body ?? {}) as Record<string, unknown>) };
  const target = text(body, 'target');
  if (!target) return raw;
  if (target === 'category') return { ...raw, scope: 'category', targetId: text(body, 'category') };
  const [scope, id] = target.split(':');
  return { ...raw, scope, targetId: id ?? '' };
}

/** Errors of the scope and target, said of the questions the page asks. */
export function holdErrorsForChoice(errors: FieldError[], body: unknown): FieldError[] {
  if (text(body, 'scope') && !text(body, 'target')) return errors;
  const choseCategory = text(body, 'target') === 'category';
  const mapped = errors.map((e) => {
    if (e.field === 'scope') return { field: 'target', message: 'Select what the hold covers' };
    if (e.field === 'targetId') {
      return choseCategory
        ? { field: 'category', message: 'Select the category' }
        : { field: 'target', message: 'Select what the hold covers' };
    }
    return e;
  });
  return mapped.filter((e, i) => mapped.findIndex((f) => f.field === e.field) === i);
}
