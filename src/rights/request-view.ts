import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { staffInOrganisation } from '../platform/auth/session-hook.js';
import {
  ConflictError,
  NotFoundError,
  ValidationError,
  type FieldError,
} from '../platform/errors/errors.js';
import { errorView } from '../platform/http/forms.js';
import { formatDate } from '../platform/http/views.js';
import { needsGathering } from '../platform/access/access.js';
import { identifierLabels } from '../people/service.js';
import { identifierTypes } from '../people/tables.js';
import { erasureTypes } from './erasure.js';
import { labels } from './labels.js';
import { noticeTypes } from './recipients-notice.js';
import { dateItems, list, type Body } from './request-forms.js';
import { describeClock, type RightsService } from './service.js';
import { authorityEvidenceKinds, channels, identityChecks, restrictionGrounds } from './tables.js';

/**
 * The rights request page: what it shows, and the changes made from it,
 * whose refusals are shown on the page rather than as an error page.
 */

export const views = 'rights/views';
export const idParams = z.object({ id: z.uuid() });
export const staffOf = (request: FastifyRequest) => staffInOrganisation(request).staff;

/**
 * What each restriction covers, in words: "Sam Taylor", "Sam Taylor’s child
 * in need records" (an upheld objection), or "Child in need record opened
 * 3 March 2024" — never an id.
 */
function restrictionTitles(
  restrictions: Awaited<ReturnType<RightsService['get']>>['restrictions'],
  categories: readonly { value: string; text: string }[],
): Record<string, string> {
  const nameOf = (slug: string | null) =>
    categories.find((c) => c.value === slug)?.text ?? 'Record';
  return Object.fromEntries(
    restrictions.map((x) => {
      const person = `${x.person_given_name ?? ''} ${x.person_family_name ?? ''}`.trim();
      const title =
        x.scope === 'record'
          ? `${nameOf(x.record_category)} record opened ${formatDate(x.record_opened_on)}`
          : x.category
            ? `${person}’s ${nameOf(x.category).toLowerCase()} records`
            : person;
      return [x.id, title];
    }),
  );
}

/** What the request page needs to carry out what was decided. */
function outcomeView(page: Awaited<ReturnType<RightsService['get']>>, body: Body | undefined) {
  const r = page.request;
  const chosen = body ? list(body, 'items') : [];
  const found = page.partnershipFound ?? [];
  return {
    carriesOutErasure: erasureTypes.includes(r.type),
    tellsRecipients: noticeTypes.includes(r.type),
    foundItems: found
      .filter(
        (f) => r.type !== 'objection-direct-marketing' || f.source === 'newsletter-subscriber',
      )
      .map((f) => ({
        value: `${f.source}:${f.id}`,
        text: `${labels.source[f.source]}: ${f.name}`,
        hint: { text: f.reasons.join('; ') },
        checked: chosen.includes(`${f.source}:${f.id}`),
      })),
    targetItems: [
      { value: '', text: 'Select' },
      ...page.subjectRecords.flatMap((record) => [
        {
          value: record.id,
          text: `${record.categoryName} record, opened ${formatDate(record.openedOn)}`,
        },
        ...record.notes.map((n) => ({
          value: `${record.id}:${n.id}`,
          text: `— ${n.kind.replace(/-/g, ' ')} note of ${formatDate(n.occurred_on)} (${record.categoryName.toLowerCase()} record)`,
        })),
      ]),
    ],
    identifierTypeItems: [
      { value: '', text: 'Select' },
      ...identifierTypes.map((value) => ({
        value,
        text: identifierLabels[value],
        selected: body?.identifierType === value,
      })),
    ],
    dobItems: dateItems(body, 'dateOfBirth', page.person?.date_of_birth),
    dodItems: dateItems(body, 'dateOfDeath', page.person?.date_of_death),
    stillToTell: page.recipients.filter((x) => x.notice === null).length,
    annotationTargets: Object.fromEntries(
      page.subjectRecords.flatMap((record) => [
        [record.id, `${record.categoryName} record`],
        ...record.notes.map((n) => [
          n.id,
          `Note of ${formatDate(n.occurred_on)} (${record.categoryName.toLowerCase()} record)`,
        ]),
      ]),
    ) as Record<string, string>,
  };
}

/** The request page's renderer, and the runner of changes made from it. */
export function requestPageView(rights: RightsService) {
  async function renderRequest(reply: FastifyReply, id: string, errors: FieldError[] = []) {
    const staff = staffOf(reply.request);
    const page = await rights.get(staff, id);
    const r = page.request;
    const categoryItems = rights
      .supplementary(staff)
      .categories.map((c) => ({ value: c.category, text: c.name }));
    return reply.render(`${views}/request.njk`, {
      title: `${labels.type[r.type]} request`,
      backLink: '/rights',
      page,
      r,
      labels,
      clockText: describeClock(page.clock),
      supplementary:
        r.type === 'access' ? await rights.supplementaryForRequest(staff, id) : undefined,
      portability: r.type === 'portability' ? await rights.portability.view(staff, id) : undefined,
      // Records only named officers may read are gathered by them (gathering.ts).
      gathering: r.type === 'access' ? await rights.gathering.status(staff, id) : null,
      gatherable: r.type === 'access' && needsGathering(staff),
      bundleReady:
        r.type === 'access' &&
        r.approved_by !== null &&
        ['approved', 'responded-in-full', 'responded-in-part', 'closed'].includes(r.state),
      nextItems: page.nextStates.map((s) => ({ value: s, text: labels.state[s] })),
      identityItems: identityChecks.map((value) => ({ value, text: labels.identity[value] })),
      authorityItems: [
        { value: '', text: 'Select' },
        ...authorityEvidenceKinds.map((value) => ({ value, text: labels.authority[value] })),
      ],
      groundItems: restrictionGrounds.map((value) => ({ value, text: labels.ground[value] })),
      categoryItems,
      restrictionTitles: restrictionTitles(page.restrictions, categoryItems),
      channels,
      ...outcomeView(page, reply.request.body as Body | undefined),
      values: (reply.request.body ?? {}) as Body,
      ...errorView(errors),
    });
  }

  /** Runs a change from a request page; a refusal is shown on that page, not as an error page. */
  async function onRequestPage(
    reply: FastifyReply,
    id: string,
    work: () => Promise<unknown>,
    fragment = '',
    conflictField = 'to',
  ) {
    try {
      await work();
      return reply.redirect(`/rights/${id}${fragment}`, 303);
    } catch (error) {
      if (error instanceof ValidationError)
        return renderRequest(reply.status(400), id, error.fieldErrors);
      if (error instanceof ConflictError || error instanceof NotFoundError)
        return renderRequest(reply.status(error instanceof ConflictError ? 409 : 404), id, [
          { field: conflictField, message: error.message },
        ]);
      throw error;
    }
  }

  return { renderRequest, onRequestPage };
}
