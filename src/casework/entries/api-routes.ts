/**
 * The JSON API for a record's structured entries (issue 13; decision 0044):
 * `POST /api/v1/records/:id/visits`, `/summary`, `/oversight`, `/reviews`
 * and `/outcomes` (a looked-after child's health, dental, SDQ and PEP
 * outcomes), one table
 * of routes that differ only in data. Each calls the same service method as
 * its page form, so the access decision (another organisation's, a random
 * or a malformed id: not found; read but not change, or oversight by anyone
 * but a team manager: 403), the audit event and every message are the
 * page's.
 *
 * The body's schema is the entry's fields, for the API description; the
 * body itself is checked by the service, after the record is decided — as
 * the page forms are — so a refused id is not found whatever was posted,
 * and the rules that need the record (a visit's bedroom question and
 * latest next date depend on its category) are checked in the same place.
 */
import type { FastifyInstance, FastifySchema } from 'fastify';
import { validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { StaffContext } from '../../platform/auth/service.js';
import { staffInOrganisation } from '../../platform/auth/session-hook.js';
import { outcomeFields, outcomeKinds } from './outcome-schema.js';
import type { OutcomeService } from './outcome-service.js';
import {
  conferenceDecisions,
  participationChoices,
  reviewFields,
  reviewKinds,
} from './review-schema.js';
import type { ReviewService } from './review-service.js';
import type { SummaryService } from './summary-service.js';
import { oversightFields, summaryFields } from './summary-schema.js';
import type { VisitService } from './visit-service.js';
import { visitFields } from './visit-schema.js';

const idParams = z.object({ id: z.string() });
const created = z.object({ id: z.uuid() });

/** Path and query as everywhere; the body left for the service to check once the record is decided. */
const bodyCheckedByService = (route: {
  schema: FastifySchema;
  method: string;
  url: string;
  httpPart?: string;
}) =>
  route.httpPart === 'body'
    ? (data: unknown) => ({ value: data })
    : validatorCompiler(route as Parameters<typeof validatorCompiler>[0]);

export function registerEntryApiRoutes(
  app: FastifyInstance,
  deps: {
    visits: VisitService;
    summaries: SummaryService;
    reviews: ReviewService;
    outcomes: OutcomeService;
  },
) {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const entries: {
    path: string;
    summary: string;
    body: z.ZodType;
    record: (staff: StaffContext, recordId: string, body: unknown) => Promise<string>;
  }[] = [
    {
      path: 'visits',
      summary:
        'Record a statutory visit (child protection plan, looked after, child in need): the same questions and messages as the page; `bedroomSeen` is asked on a plan and for a looked-after child; `nextDueOn` is required where law or policy sets a latest date, and may not be after it',
      body: visitFields,
      record: (staff, id, body) => deps.visits.record(staff, id, body),
    },
    {
      path: 'summary',
      summary:
        'Save a new version of the case summary: `currentPlan` and `risks` are required (say that none are known rather than leave it blank)',
      body: summaryFields,
      record: (staff, id, body) => deps.summaries.recordSummary(staff, id, body),
    },
    {
      path: 'oversight',
      summary:
        'Record management oversight (team managers only): `givenOn` (not after today) and `direction` are required; `nextReviewOn`, after `givenOn`, puts the next oversight on the manager’s My work',
      body: oversightFields,
      record: (staff, id, body) => deps.summaries.recordOversight(staff, id, body),
    },
    {
      path: 'reviews',
      summary: `Record a child protection conference or looked after review that was held (records on a plan or looked after): \`kind\` (${reviewKinds.join(', ')}, as the record allows), \`heldOn\` and \`summary\` are required; a conference's \`childParticipated\` ("yes" or "no") and \`decision\` (${conferenceDecisions.join(', ')}) too; a looked after review's \`participation\` (${participationChoices.join(', ')}: how the child took part, the SSDA903 REVIEW_CODE PN1–PN7), or a bare \`childParticipated\``,
      body: reviewFields,
      record: (staff, id, body) => deps.reviews.record(staff, id, body),
    },
    {
      path: 'outcomes',
      summary: `Record a looked-after child's outcome (looked-after records only): \`kind\` (${outcomeKinds.join(', ')}) and \`occurredOn\` are required; \`sdqScore\` (0 to 40) for an SDQ only`,
      body: outcomeFields,
      record: (staff, id, body) => deps.outcomes.record(staff, id, body),
    },
  ];
  for (const entry of entries) {
    typed.post(
      `/api/v1/records/:id/${entry.path}`,
      {
        schema: {
          summary: entry.summary,
          tags: ['records'],
          params: idParams,
          body: entry.body,
          response: { 201: created },
        },
        validatorCompiler: bodyCheckedByService,
      },
      async (request, reply) => {
        const id = await entry.record(
          staffInOrganisation(request).staff,
          request.params.id,
          request.body as unknown,
        );
        return reply.status(201).send({ id });
      },
    );
  }
}
