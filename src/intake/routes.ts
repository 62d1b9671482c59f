import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { acceptMultipart, type MultipartBody } from '../casework/multipart.js';
import { renderPersonPage } from '../people/routes.js';
import type { PeopleService, PersonView } from '../people/service.js';
import { staffOf } from '../platform/auth/session-hook.js';
import { NotFoundError, ValidationError, type FieldError } from '../platform/errors/errors.js';
import { submitForm } from '../platform/http/form-route.js';
import { errorView } from '../platform/http/forms.js';
import { formatDate } from '../platform/http/views.js';
import { kindsFor, type IntakeKind } from './kinds.js';
import { factWords } from './partner-facts.js';
import { FileProblem } from './read-file.js';
import { actorOf, type IntakeService, type JobSummary, type RowView } from './service.js';
import type { Waterfall } from '../people/linkage/score.js';

const views = 'intake/views';
const FILE_LIMIT = 20 * 1024 * 1024;
/** Files up to this many rows are matched before the page answers; larger ones in the background. */
const WAIT_FOR_ROWS = 5_000;
const idParams = z.object({ id: z.string() });

const statusWords: Record<RowView['status'], string> = {
  unmapped: 'Columns not yet mapped',
  invalid: 'Needs correcting',
  pending: 'Waiting to be matched',
  review: 'Waiting for review',
  linked: 'Attached to a person held',
  created: 'New person added',
  rejected: 'Rejected',
};

const sexWords: Record<string, string> = {
  female: 'Female',
  male: 'Male',
  other: 'Other',
  'not-known': 'Not known',
};

/**
 * The imports pages (issue 15): upload a partner's file, map its columns,
 * see the job's progress and its rows, correct a held row, review an
 * uncertain match side by side with the waterfall of why; and a person's
 * "From partners" tab. Every id is resolved within the signed-in staff
 * member's organisation by the service: another's answers as not found.
 */
export function registerIntakeRoutes(
  app: FastifyInstance,
  deps: { intake: IntakeService; people: PeopleService },
): void {
  const { intake, people } = deps;
  const typed = app.withTypeProvider<ZodTypeProvider>();

  app.get('/imports', { schema: { hide: true } }, async (request, reply) => {
    const actor = actorOf(staffOf(request));
    const jobs = await intake.jobs(actor);
    return reply.render(`${views}/imports.njk`, {
      title: 'Imports from partners',
      kinds: kindsFor(actor.organisationSlug),
      jobs: jobs.map(jobWords),
    });
  });

  const uploadPage = (
    reply: FastifyReply,
    values: Record<string, string>,
    errors: FieldError[],
  ) => {
    const actor = actorOf(staffOf(reply.request));
    const kinds = kindsFor(actor.organisationSlug);
    if (kinds.length === 0) throw new NotFoundError();
    return reply.render(`${views}/upload.njk`, {
      title: 'Import a file from a partner',
      backLink: '/imports',
      kinds,
      agencies: kinds.flatMap((k) => k.partners ?? []),
      values,
      ...errorView(errors),
    });
  };

  app.get('/imports/new', { schema: { hide: true } }, async (_request, reply) =>
    uploadPage(reply, {}, []),
  );

  app.register(async (scope) => {
    acceptMultipart(scope, FILE_LIMIT);
    scope.post(
      '/imports/new',
      { schema: { hide: true }, bodyLimit: FILE_LIMIT },
      async (request, reply) => {
        const actor = actorOf(staffOf(request));
        const body = (request.body ?? {}) as MultipartBody;
        const values = Object.fromEntries(
          Object.entries(body).filter((e): e is [string, string] => typeof e[1] === 'string'),
        );
        const file = body.file;
        const errors: FieldError[] = [];
        if (!values.kind) errors.push({ field: 'kind', message: 'Select what kind of file it is' });
        const partner = values.kind === 'lado-referral' ? values.agency : values.partner;
        if (!partner?.trim()) {
          errors.push(
            values.kind === 'lado-referral'
              ? { field: 'agency', message: 'Select which agency sent the file' }
              : { field: 'partner', message: 'Enter who sent the file' },
          );
        }
        if (!file || typeof file === 'string' || file.content.length === 0) {
          errors.push({ field: 'file', message: 'Select a CSV or Excel file' });
        }
        let jobId = '';
        return submitForm(reply, {
          errors,
          save: async () => {
            if (!file || typeof file === 'string') return;
            try {
              jobId = await intake.upload(actor, {
                kind: values.kind ?? '',
                partner: partner ?? '',
                fileName: file.filename,
                content: file.content,
              });
            } catch (error) {
              if (error instanceof FileProblem) {
                throw new ValidationError([{ field: 'file', message: error.message }]);
              }
              throw error;
            }
          },
          redirectTo: () => `/imports/${jobId}/columns`,
          render: (r, refusal) => uploadPage(r.status(400), values, refusal.errors),
        });
      },
    );
  });

  const columnsPage = async (
    reply: FastifyReply,
    jobId: string,
    chosen: Record<string, string> | null,
    errors: FieldError[],
  ) => {
    const actor = actorOf(staffOf(reply.request));
    const proposed = await intake.proposedMapping(actor, jobId);
    const mapping = chosen ?? proposed.mapping;
    return reply.render(`${views}/columns.njk`, {
      title: 'Match the file’s columns',
      backLink: '/imports',
      jobId,
      savedForPartner: proposed.savedForPartner,
      fields: proposed.kind.fields.map((field) => ({
        ...field,
        items: [
          { value: '', text: field.required ? 'Choose a column' : 'Not in this file' },
          ...proposed.headers.map((h) => ({
            value: h,
            text: h,
            selected: mapping[field.key] === h,
          })),
        ],
      })),
      ...errorView(errors),
    });
  };

  typed.get(
    '/imports/:id/columns',
    { schema: { hide: true, params: idParams } },
    async (request, reply) => columnsPage(reply, request.params.id, null, []),
  );

  typed.post(
    '/imports/:id/columns',
    { schema: { hide: true, params: idParams } },
    async (request, reply) => {
      const actor = actorOf(staffOf(request));
      const body = (request.body ?? {}) as Record<string, unknown>;
      const chosen = Object.fromEntries(
        Object.entries(body).flatMap(([k, v]) =>
          k.startsWith('column-') && typeof v === 'string' ? [[k.slice(7), v]] : [],
        ),
      );
      return submitForm(reply, {
        errors: [],
        save: async () => {
          await intake.applyMapping(actor, request.params.id, chosen);
          const { job } = await intake.job(actor, request.params.id);
          const matching = intake.run(actor, job.id);
          if (job.rowsTotal <= WAIT_FOR_ROWS) await matching;
          // A large file carries on after the page answers; its page shows progress.
          else
            matching.catch((error: unknown) =>
              request.log.error({ err: error }, 'import job stopped'),
            );
        },
        redirectTo: `/imports/${request.params.id}`,
        mapErrors: (errors) => errors.map((e) => ({ ...e, field: `column-${e.field}` })),
        render: (r, refusal) => columnsPage(r, request.params.id, chosen, refusal.errors),
      });
    },
  );

  typed.get(
    '/imports/:id',
    { schema: { hide: true, params: idParams } },
    async (request, reply) => {
      const actor = actorOf(staffOf(request));
      const { job, rows } = await intake.job(actor, request.params.id);
      if (job.status === 'mapping') return reply.redirect(`/imports/${job.id}/columns`, 303);
      const label = (row: RowView) =>
        `${row.values.givenName ?? ''} ${row.values.familyName ?? ''}`.trim() || 'No name given';
      return reply.render(`${views}/job.njk`, {
        title: job.kind.name,
        backLink: '/imports',
        job: jobWords(job),
        corrections: rows
          .filter((r) => r.status === 'invalid')
          .map((r) => ({ ...r, name: label(r) })),
        reviews: rows
          .filter((r) => r.status === 'review')
          .map((r) => ({ ...r, name: label(r), percent: percent(r.probability) })),
        done: rows
          .filter((r) => ['linked', 'created', 'rejected'].includes(r.status))
          .map((r) => ({
            ...r,
            name: label(r),
            statusText: statusWords[r.status],
            percent: percent(r.probability),
          })),
      });
    },
  );

  const correctPage = async (
    reply: FastifyReply,
    rowId: string,
    values: Record<string, string> | null,
    errors: FieldError[] | null,
  ) => {
    const actor = actorOf(staffOf(reply.request));
    const { job, row } = await intake.row(actor, rowId);
    if (row.status !== 'invalid') throw new NotFoundError();
    return reply.render(`${views}/correct.njk`, {
      title: `Correct row ${row.rowNumber}`,
      backLink: `/imports/${job.id}`,
      row,
      fields: job.kind.fields,
      values: values ?? row.values,
      ...errorView(errors ?? row.errors),
    });
  };

  typed.get(
    '/imports/rows/:id/correct',
    { schema: { hide: true, params: idParams } },
    async (request, reply) => correctPage(reply, request.params.id, null, null),
  );

  typed.post(
    '/imports/rows/:id/correct',
    { schema: { hide: true, params: idParams } },
    async (request, reply) => {
      const actor = actorOf(staffOf(request));
      const { job } = await intake.row(actor, request.params.id);
      const body = (request.body ?? {}) as Record<string, unknown>;
      const values = Object.fromEntries(
        job.kind.fields.map((f) => [
          f.key,
          typeof body[f.key] === 'string' ? (body[f.key] as string) : '',
        ]),
      );
      return submitForm(reply, {
        errors: [],
        save: () => intake.correct(actor, request.params.id, values),
        redirectTo: `/imports/${job.id}?saved=corrected`,
        render: (r, refusal) => correctPage(r, request.params.id, values, refusal.errors),
      });
    },
  );

  const reviewPage = async (reply: FastifyReply, rowId: string, errors: FieldError[]) => {
    const staff = staffOf(reply.request);
    const actor = actorOf(staff);
    const { job, row } = await intake.row(actor, rowId);
    if (row.status !== 'review') throw new NotFoundError();
    const candidate =
      row.candidatePersonId && (await people.isVisible(staff, row.candidatePersonId))
        ? await people.get(staff, row.candidatePersonId)
        : null;
    return reply.render(`${views}/review.njk`, {
      title: `Is this someone we hold? Row ${row.rowNumber}`,
      backLink: `/imports/${job.id}`,
      row,
      percent: percent(row.probability),
      comparison: comparison(job.kind, row, candidate),
      candidate,
      waterfall: steps(row.waterfall),
      ...errorView(errors),
    });
  };

  typed.get(
    '/imports/rows/:id/review',
    { schema: { hide: true, params: idParams } },
    async (request, reply) => reviewPage(reply, request.params.id, []),
  );

  typed.post(
    '/imports/rows/:id/review',
    { schema: { hide: true, params: idParams } },
    async (request, reply) => {
      const actor = actorOf(staffOf(request));
      const { job } = await intake.row(actor, request.params.id);
      const decision = (request.body as Record<string, unknown> | undefined)?.decision;
      const valid = decision === 'link' || decision === 'new' || decision === 'reject';
      return submitForm(reply, {
        errors: valid
          ? []
          : [{ field: 'decision', message: 'Select whether this is the person we hold' }],
        save: () => (valid ? intake.decide(actor, request.params.id, decision) : Promise.resolve()),
        redirectTo: `/imports/${job.id}?saved=reviewed`,
        render: (r, refusal) => reviewPage(r.status(400), request.params.id, refusal.errors),
      });
    },
  );

  typed.get(
    '/people/:id/from-partners',
    { schema: { hide: true, params: idParams } },
    async (request, reply) => {
      const staff = staffOf(request);
      const person = await people.get(staff, request.params.id);
      const facts = await intake.factsFor(person.organisationId, person.id);
      return renderPersonPage(reply, `${views}/from-partners.njk`, person, 'from-partners', {
        title: 'From partners',
        facts: facts.map((f) => ({ ...f, factText: factWords[f.fact] ?? f.fact })),
      });
    },
  );
}

function jobWords(job: JobSummary) {
  const c = job.counts;
  const matched = c.linked + c.created + c.review + c.rejected;
  return {
    ...job,
    kindName: job.kind.name,
    statusText:
      job.status === 'mapping'
        ? 'Columns to match'
        : job.status === 'running'
          ? `Matching: ${matched + c.invalid} of ${job.rowsTotal - job.rowsRepeated} rows done`
          : c.invalid + c.review > 0
            ? 'Finished: rows need you'
            : 'Finished',
  };
}

function percent(p: number | null): string {
  if (p === null) return '';
  const value = Math.floor(p * 1000) / 10;
  return `${value >= 99.9 ? 'over 99.9' : value}%`;
}

function steps(waterfall: unknown): { field: string; text: string; towards: string }[] {
  const w = waterfall as Waterfall | null;
  return (w?.steps ?? []).map((s) => ({
    field: s.field,
    text: s.text,
    towards: s.weight > 0.07 ? 'Same person' : s.weight < -0.07 ? 'Different people' : 'Neither',
  }));
}

/** The row and the person held, field by field, as a person compares them. */
function comparison(kind: IntakeKind, row: RowView, candidate: PersonView | null) {
  const upn = candidate?.identifiers?.find((i) => i.type === 'upn')?.value ?? '';
  const nhs = candidate?.identifiers?.find((i) => i.type === 'nhs-number')?.value ?? '';
  const address = candidate?.addresses?.[0];
  const held: Record<string, string> = {
    givenName: candidate?.givenName ?? '',
    familyName: candidate?.familyName ?? '',
    dateOfBirth: candidate?.dateOfBirth ? formatDate(candidate.dateOfBirth) : '',
    sex: sexWords[candidate?.gender ?? ''] ?? '',
    addressLine1: address?.line1 ?? '',
    postcode: address?.postcode ?? '',
    nhsNumber: nhs,
    upn,
  };
  return kind.fields
    .filter((f) => f.key in held)
    .map((f) => {
      const raw = row.values[f.key] ?? '';
      const fromFile =
        f.type === 'date' && raw
          ? formatDate(raw)
          : f.type === 'sex'
            ? (sexWords[raw] ?? raw)
            : raw;
      return { label: f.label, fromFile: fromFile || 'Not given', held: held[f.key] || 'Not held' };
    });
}
