import { ValidationError } from '../platform/errors/errors.js';
import { isOrganisationSlug, policyFor } from '../policy/index.js';
import type { Actor } from './actor.js';
import { intakeKinds, isIntakeKind, kindsFor, type IntakeKind } from './kinds.js';

/**
 * Where a file comes from and why it may be held: the kind chosen (one the
 * organisation's notice names), the notice's own words for the source, and
 * the lawful bases of the category the information is held under.
 */
export function kindFor(actor: Actor, slug: string): IntakeKind {
  const kind = isIntakeKind(slug) ? intakeKinds[slug] : undefined;
  if (!kind || !kindsFor(actor.organisationSlug).includes(kind)) {
    throw new ValidationError([
      {
        field: 'kind',
        message: `Choose the kind of file: ${kindsFor(actor.organisationSlug)
          .map((k) => k.name.toLowerCase())
          .join(', ')}`,
      },
    ]);
  }
  return kind;
}

/** The notice's own words for where this comes from. */
export function sourceOf(actor: Actor, kind: IntakeKind, partner: string): string {
  if (partner === '') {
    throw new ValidationError([{ field: 'partner', message: 'Enter who sent the file' }]);
  }
  if (partner.length > 120) {
    throw new ValidationError([
      { field: 'partner', message: 'Who sent the file must be 120 characters or fewer' },
    ]);
  }
  const policy = isOrganisationSlug(actor.organisationSlug)
    ? policyFor(actor.organisationSlug)
    : null;
  const wording = kind.partners ? kind.partners.find((p) => p === partner) : kind.noticeWording;
  if (kind.partners && !wording) {
    throw new ValidationError([
      { field: 'partner', message: 'Choose which of the agencies the notice names sent the file' },
    ]);
  }
  const item = policy?.sources.items.find((s) => s.noticeWording === wording);
  return item ? `${item.description} (“${item.noticeWording}”)` : (wording ?? partner);
}

export function lawfulBasesOf(actor: Actor, kind: IntakeKind): string {
  const policy = isOrganisationSlug(actor.organisationSlug)
    ? policyFor(actor.organisationSlug)
    : null;
  const category = policy?.categories.find((c) => c.slug === kind.category);
  return (category?.lawfulBases ?? []).map((b) => `Article ${b.article}: ${b.name}`).join('; ');
}
