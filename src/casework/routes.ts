import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { canGovernRecords } from '../platform/access/access.js';
import { auditActionWords, auditOutcomeWords, auditPurposeWords } from '../platform/audit/words.js';
import { staffInOrganisation } from '../platform/auth/session-hook.js';
import { ValidationError, type FieldError } from '../platform/errors/errors.js';
import { submitForm } from '../platform/http/form-route.js';
import { errorView } from '../platform/http/forms.js';
import { formatDate } from '../platform/http/views.js';
import {
  dateFactNames,
  findCategory,
  isCategorySlug,
  isOrganisationSlug,
  type CategorySlug,
} from '../policy/index.js';
import {
  detailListFormsFor,
  detailObjectFormsFor,
  factLabels,
  formFieldsFor,
  humanise,
  recordFactsFor,
  type DetailField,
  type RecordFact,
} from './categories.js';
// Form values are cast to each input's type only to reach the service, which
// parses every input with its zod schema before using it.
import { dateParts, detailFormValues, readForm } from './form-input.js';
import { acceptMultipart, type MultipartBody } from './multipart.js';
import { registerCaseworkApiRoutes } from './api-routes.js';
import { registerDetailRoutes } from './detail-routes.js';
import { capitalise, options, shownValue, withArticle } from './page-model.js';
import { sendDocument } from './document-download.js';
import {
  documentParams,
  idParams,
  listQuery,
  monitoringQuery,
  personParams,
} from './route-params.js';
import {
  allowedDocumentTypes,
  MAX_DOCUMENT_BYTES,
  noteKinds,
  partyRoles,
  sourceKinds,
  type CreateRecordInput,
  type NoteInput,
  type PartyInput,
  type SourceInput,
} from './schemas.js';
import { BreakGlassRequiredError, type CaseworkService, type RecordView } from './service.js';
import { registerChooseRoutes, renderChooseSubject } from './choose-routes.js';
import type { PeopleService } from '../people/service.js';

import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { RefileService } from './refile-service.js';
import { registerRefileRoutes } from './refile-routes.js';
import { registerVisitRoutes } from './entries/visit-routes.js';
import { VisitService } from './entries/visit-service.js';
import { visitsSection } from './entries/visit-section.js';
import { registerOutcomeRoutes } from './entries/outcome-routes.js';
import { OutcomeService } from './entries/outcome-service.js';
import { registerReviewRoutes } from './entries/review-routes.js';
import { ReviewService } from './entries/review-service.js';
import { reviewsSection } from './entries/review-section.js';
import { registerSummaryRoutes } from './entries/summary-routes.js';
import { registerEntryApiRoutes } from './entries/api-routes.js';
import { SummaryService } from './entries/summary-service.js';
import { summarySection } from './entries/summary-section.js';
import { registerTeamRoutes } from './team/team-routes.js';
import { TeamService } from './team/team-service.js';
import { chronologyFilterFrom, kindItems, registerExportRoutes } from './export/export-routes.js';
import { ExportService, filterChronology } from './export/export-service.js';

const views = 'casework/views';

/* ------------------------------------------------------------------ */
/* Page helpers                                                        */
/* ------------------------------------------------------------------ */

/** The fields a record form shows for its category, with values and errors. */
function formModel(
  organisation: string,
  category: CategorySlug,
  values: Record<string, unknown>,
  errors: FieldError[],
) {
  const facts = (values.facts ?? {}) as Record<string, unknown>;
  const detail = (values.detail ?? {}) as Record<string, unknown>;
  const { fieldErrors } = errorView(errors);
  const factNames = isOrganisationSlug(organisation) ? recordFactsFor(organisation, category) : [];
  return {
    openedOn: dateParts(values.openedOn),
    closedOn: dateParts(values.closedOn),
    facts: factNames.map((name: RecordFact) => ({
      name,
      label: factLabels[name],
      kind: name === 'childDied' ? 'yes-no' : name === 'outcome' ? 'select' : 'date',
      options:
        name === 'outcome'
          ? options(
              [
                'no-further-action',
                'unfounded',
                'false',
                'malicious',
                'unsubstantiated',
                'substantiated',
              ],
              facts.outcome,
            )
          : name === 'childDied'
            ? [
                { value: '', text: 'Not recorded', selected: facts.childDied == null },
                { value: 'yes', text: 'Yes', selected: facts.childDied === true },
                { value: 'no', text: 'No', selected: facts.childDied === false },
              ]
            : [],
      value: dateParts(facts[name]),
      error: fieldErrors[`facts.${name}-day`] ?? fieldErrors[`facts.${name}`],
    })),
    detail: formFieldsFor(category).map((field) => ({
      ...field,
      value: detail[field.name] ?? '',
      dateValue: dateParts(detail[field.name]),
      items:
        field.kind === 'checkboxes'
          ? (field.options ?? []).map((o) => ({
              value: o,
              text: humanise(o),
              checked:
                Array.isArray(detail[field.name]) && (detail[field.name] as unknown[]).includes(o),
            }))
          : options(field.options ?? [], detail[field.name]),
      error: fieldErrors[`detail.${field.name}-day`] ?? fieldErrors[`detail.${field.name}`],
    })),
    fieldErrors,
  };
}

function checkboxFields(category: CategorySlug): string[] {
  return formFieldsFor(category)
    .filter((f) => f.kind === 'checkboxes')
    .map((f) => `detail.${f.name}`);
}

/**
 * The detail's lists and objects on the record page: each item a GOV.UK
 * summary card (a plain-text list a summary list row) with Change and
 * Remove for those who may write.
 */
function detailSections(view: RecordView) {
  const canWrite = view.access.canWrite;
  const base = `/records/${view.id}/details`;
  const rowsOf = (fields: readonly DetailField[], item: Record<string, unknown>) =>
    fields
      .filter((f) => item[f.name] !== undefined && item[f.name] !== '')
      .map((f) => ({ key: { text: f.label }, value: { text: shownValue(f, item[f.name]) } }));
  const lists = detailListFormsFor(view.category).map((list) => {
    const stored = Array.isArray(view.detail[list.name])
      ? (view.detail[list.name] as unknown[])
      : [];
    const items = stored.map((item, index) => {
      const title = `${capitalise(list.itemLabel)} ${index + 1}`;
      const actions = canWrite
        ? [
            {
              href: `${base}/${list.name}/${index}/edit`,
              text: 'Change',
              visuallyHiddenText: title,
            },
            {
              href: `${base}/${list.name}/${index}/remove`,
              text: 'Remove',
              visuallyHiddenText: title,
            },
          ]
        : [];
      return {
        title,
        text: typeof item === 'string' ? item : '',
        rows: rowsOf(list.fields, detailFormValues(list, item)),
        actions,
      };
    });
    return {
      name: list.name,
      label: list.label,
      text: list.items === 'text',
      items,
      add: canWrite
        ? { href: `${base}/${list.name}/new`, text: `Add ${withArticle(list.itemLabel)}` }
        : null,
    };
  });
  const objects = detailObjectFormsFor(view.category).map((part) => {
    const stored = detailFormValues(part, view.detail[part.name]);
    return {
      name: part.name,
      label: part.label,
      rows: rowsOf(part.fields, stored),
      change: canWrite
        ? {
            href: `${base}/${part.name}/edit`,
            text: Object.keys(stored).length ? 'Change' : 'Record',
            visuallyHiddenText: part.label.toLowerCase(),
          }
        : null,
    };
  });
  return { lists: lists.filter((l) => l.items.length > 0 || l.add), objects };
}

async function renderRecord(
  reply: FastifyReply,
  deps: { casework: CaseworkService },
  request: FastifyRequest,
  view: RecordView,
  extra: Record<string, unknown> = {},
) {
  const { staff, organisation } = staffInOrganisation(request);
  const subject = view.parties.find((p) => p.role === 'subject');
  const category = isOrganisationSlug(organisation.slug)
    ? findCategory(organisation.slug, view.category)
    : undefined;
  const detailRows = formFieldsFor(view.category)
    .filter((f) => view.detail[f.name] !== undefined && view.detail[f.name] !== '')
    .map((f) => {
      const value = view.detail[f.name];
      return {
        key: { text: f.label },
        value: {
          text: Array.isArray(value)
            ? value.map((v) => humanise(String(v))).join(', ')
            : shownValue(f, value),
        },
      };
    });
  return reply.render(`${views}/record.njk`, {
    title: `${view.categoryName}${subject ? ` – ${subject.givenName} ${subject.familyName}` : ''}`,
    record: view,
    subject,
    purpose: category?.purpose,
    detailRows,
    detailSections: detailSections(view),
    factRows: view.factNames.map((name) => ({
      key: { text: factLabels[name] },
      value: {
        text:
          view.facts[name] === null || view.facts[name] === undefined
            ? 'Not recorded'
            : typeof view.facts[name] === 'boolean'
              ? view.facts[name]
                ? 'Yes'
                : 'No'
              : // Words, not codes: "3 June 2026"; "No further action".
                (dateFactNames as readonly string[]).includes(name)
                ? formatDate(view.facts[name])
                : humanise(String(view.facts[name])),
      },
    })),
    canGovern: canGovernRecords(staff, view.organisationId),
    // Re-filing is information governance's, on a record they read by role.
    canRefile:
      staff.roles.includes('information-governance') &&
      view.state === 'active' &&
      view.access.via === 'role',
    noteKinds: options(noteKinds, 'note', false),
    sourceKinds: options(sourceKinds, undefined),
    partyRoles: options(
      partyRoles.filter((r) => r !== 'subject'),
      undefined,
    ),
    documentTypes: Object.values(allowedDocumentTypes).join(', '),
    maxDocumentMb: MAX_DOCUMENT_BYTES / 1024 / 1024,
    today: dateParts(new Date().toISOString().slice(0, 10)),
    visits: visitsSection(view),
    reviews: reviewsSection(view),
    caseSummary: summarySection(view, staff),
    ...extra,
  });
}

/** Runs a form post; on a validation error shows the record again with the error summary. */
async function recordFormPost(
  request: FastifyRequest,
  reply: FastifyReply,
  deps: { casework: CaseworkService },
  recordId: string,
  action: () => Promise<unknown>,
  anchor: string,
) {
  return submitForm(reply, {
    errors: [],
    save: action,
    redirectTo: `/records/${recordId}#${anchor}`,
    render: async (shown, refusal) => {
      const view = await deps.casework.open(staffInOrganisation(request).staff, recordId);
      return renderRecord(shown, deps, request, view, {
        ...errorView(refusal.errors),
        submitted: request.body,
      });
    },
  });
}

export function registerCaseworkRoutes(
  app: FastifyInstance,
  deps: {
    casework: CaseworkService;
    people: PeopleService;
    db: Kysely<Database>;
    refile?: RefileService;
  },
): void {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const { casework } = deps;
  registerChooseRoutes(app, deps);
  registerRefileRoutes(app, { refile: deps.refile ?? new RefileService(deps.db) });
  const visits = new VisitService(casework);
  const summaries = new SummaryService(casework);
  registerVisitRoutes(app, { visits });
  const outcomes = new OutcomeService(casework);
  const reviews = new ReviewService(casework);
  registerOutcomeRoutes(app, { outcomes });
  registerReviewRoutes(app, { reviews });
  registerSummaryRoutes(app, { summaries });
  registerEntryApiRoutes(app, { visits, summaries, reviews, outcomes });
  registerTeamRoutes(app, { team: new TeamService(deps.db, casework) });
  registerExportRoutes(app, { exports: new ExportService(deps.db, casework, deps.people) });
  registerCaseworkApiRoutes(app, { casework });
  registerDetailRoutes(app, { casework });

  /* ---------------------------------------------------------------- */
  /* Pages                                                             */
  /* ---------------------------------------------------------------- */

  typed.get(
    '/records',
    { schema: { querystring: listQuery, hide: true } },
    async (request, reply) => {
      const { staff } = staffInOrganisation(request);
      const result = await casework.list(staff, request.query);
      const pages = Math.max(1, Math.ceil(result.total / result.pageSize));
      const categoryParam = request.query.category ? `&category=${request.query.category}` : '';
      return reply.render(`${views}/list.njk`, {
        title: 'Records',
        ...result,
        pages,
        previous: result.page > 1 ? `/records?page=${result.page - 1}${categoryParam}` : null,
        next: result.page < pages ? `/records?page=${result.page + 1}${categoryParam}` : null,
      });
    },
  );

  const newQuery = z.object({
    category: z.string().optional(),
    person: z.string().optional(),
    find: z.string().optional(),
  });

  typed.get(
    '/records/new',
    { schema: { querystring: newQuery, hide: true } },
    async (request, reply) => {
      const { staff } = staffInOrganisation(request);
      const choices = await casework.formChoices(staff);
      // A person the staff member may not see is treated as not given.
      const subject = await casework.newRecordSubject(staff, request.query.person);
      // The person first, found by searching, never typed as an id (issue 13 item 4).
      if (!subject) return renderChooseSubject(reply, deps.people, staff, request.query);
      const category = request.query.category;
      if (
        !category ||
        !choices.categories.some((c) => c.slug === category) ||
        !isCategorySlug(category)
      ) {
        return reply.render(`${views}/choose-category.njk`, {
          title: 'Create a record',
          subject,
          categories: choices.categories.map((c) => ({
            value: c.slug,
            text: c.name,
            hint: { text: c.purpose },
          })),
          ...(category ? errorView([{ field: 'category', message: 'Select a category' }]) : {}),
        });
      }
      return renderNewForm(
        reply,
        staff.organisation?.slug ?? '',
        category,
        choices,
        {
          subjectPersonId: subject?.id ?? '',
          openedOn: new Date().toISOString().slice(0, 10),
          allocatedAccountId: staff.accountId,
          allocatedTeamId: staff.teams[0]?.id ?? '',
        },
        [],
        subject,
      );
    },
  );

  function renderNewForm(
    reply: FastifyReply,
    organisation: string,
    category: CategorySlug,
    choices: Awaited<ReturnType<CaseworkService['formChoices']>>,
    values: Record<string, unknown>,
    errors: FieldError[],
    subject: Awaited<ReturnType<CaseworkService['newRecordSubject']>>,
  ) {
    const name = choices.categories.find((c) => c.slug === category)?.name ?? category;
    return reply.render(`${views}/record-form.njk`, {
      title: `New ${name.toLowerCase()} record`,
      heading: `New record: ${name}`,
      action: '/records/new',
      category,
      subject,
      changeSubject: `/records/new?category=${category}`,
      values,
      form: formModel(organisation, category, values, errors),
      workers: [
        { value: '', text: 'Not allocated' },
        ...choices.workers.map((w) => ({
          value: w.id,
          text: w.display_name,
          selected: w.id === values.allocatedAccountId,
        })),
      ],
      teams: [
        { value: '', text: 'No team' },
        ...choices.teams.map((t) => ({
          value: t.id,
          text: t.name,
          selected: t.id === values.allocatedTeamId,
        })),
      ],
      ...errorView(errors),
    });
  }

  app.post('/records/new', { schema: { hide: true } }, async (request, reply) => {
    const { staff } = staffInOrganisation(request);
    const rawCategory = (request.body as Record<string, unknown> | undefined)?.category;
    const category =
      typeof rawCategory === 'string' && isCategorySlug(rawCategory) ? rawCategory : null;
    const form = readForm(request.body, { arrays: category ? checkboxFields(category) : [] });
    const values = form.values;
    if (!category) return reply.redirect('/records/new', 303);
    let id = '';
    return submitForm(reply, {
      errors: form.errors,
      save: async () => {
        id = await casework.create(staff, values as CreateRecordInput);
      },
      redirectTo: () => `/records/${id}`,
      render: async (shown, { errors }) => {
        const choices = await casework.formChoices(staff);
        const subjectId = typeof values.subjectPersonId === 'string' ? values.subjectPersonId : '';
        const subject = await casework.newRecordSubject(staff, subjectId);
        return renderNewForm(
          shown,
          staff.organisation?.slug ?? '',
          category,
          choices,
          values,
          errors,
          // Shown by name only while the error is not about who the record is for.
          errors.some((e) => e.field === 'subjectPersonId') ? null : subject,
        );
      },
    });
  });

  typed.get(
    '/records/:id',
    { schema: { params: idParams, hide: true } },
    async (request, reply) => {
      const { staff } = staffInOrganisation(request);
      try {
        const view = await casework.open(staff, request.params.id);
        return await renderRecord(reply, deps, request, view);
      } catch (error) {
        if (!(error instanceof BreakGlassRequiredError)) throw error;
        reply.status(403);
        return reply.render(`${views}/break-glass.njk`, {
          title: 'Give a reason to open this record',
          recordId: request.params.id,
        });
      }
    },
  );

  typed.post(
    '/records/:id/break-glass',
    { schema: { params: idParams, hide: true } },
    async (request, reply) => {
      const { staff } = staffInOrganisation(request);
      const reason = String((request.body as Record<string, unknown> | undefined)?.reason ?? '');
      try {
        await casework.breakGlass(staff, request.params.id, { reason });
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error;
        reply.status(400);
        return reply.render(`${views}/break-glass.njk`, {
          title: 'Give a reason to open this record',
          recordId: request.params.id,
          reason,
          ...errorView(error.fieldErrors),
        });
      }
      return reply.redirect(`/records/${request.params.id}`, 303);
    },
  );

  typed.get(
    '/records/:id/edit',
    { schema: { params: idParams, hide: true } },
    async (request, reply) => {
      const { staff } = staffInOrganisation(request);
      const view = await casework.open(staff, request.params.id);
      if (!view.access.canWrite) return reply.redirect(`/records/${view.id}`, 303);
      return renderEditForm(
        reply,
        request,
        view,
        {
          version: view.version,
          openedOn: view.openedOn,
          closedOn: view.closedOn,
          allocatedAccountId: view.allocatedAccountId ?? '',
          allocatedTeamId: view.allocatedTeamId ?? '',
          facts: view.facts,
          detail: view.detail,
        },
        [],
      );
    },
  );

  async function renderEditForm(
    reply: FastifyReply,
    request: FastifyRequest,
    view: RecordView,
    values: Record<string, unknown>,
    errors: FieldError[],
    conflict = false,
  ) {
    const { staff } = staffInOrganisation(request);
    const choices = await casework.formChoices(staff);
    return reply.render(`${views}/record-form.njk`, {
      title: `Change ${view.categoryName.toLowerCase()} record`,
      heading: `Change record: ${view.categoryName}`,
      action: `/records/${view.id}/edit`,
      editing: true,
      recordId: view.id,
      conflict,
      category: view.category,
      values,
      form: formModel(staff.organisation?.slug ?? '', view.category, values, errors),
      workers: [
        { value: '', text: 'Not allocated' },
        ...choices.workers.map((w) => ({
          value: w.id,
          text: w.display_name,
          selected: w.id === values.allocatedAccountId,
        })),
      ],
      teams: [
        { value: '', text: 'No team' },
        ...choices.teams.map((t) => ({
          value: t.id,
          text: t.name,
          selected: t.id === values.allocatedTeamId,
        })),
      ],
      ...errorView(errors),
    });
  }

  typed.post(
    '/records/:id/edit',
    { schema: { params: idParams, hide: true } },
    async (request, reply) => {
      const { staff } = staffInOrganisation(request);
      const view = await casework.open(staff, request.params.id);
      const form = readForm(request.body, { emptyAs: null, arrays: checkboxFields(view.category) });
      const values = form.values;
      // A field the form did not send is left as it is; one sent empty is cleared.
      const sent = <T>(name: string): T | undefined =>
        name in values ? ((values[name] ?? null) as T) : undefined;
      return submitForm(reply, {
        errors: form.errors,
        save: () =>
          casework.update(staff, view.id, {
            version: Number(values.version),
            openedOn: sent<string>('openedOn'),
            closedOn: sent<string | null>('closedOn'),
            allocatedAccountId: sent<string | null>('allocatedAccountId'),
            allocatedTeamId: sent<string | null>('allocatedTeamId'),
            facts: sent<Record<string, never>>('facts'),
            detailPatch: sent<Record<string, unknown>>('detail'),
          }),
        redirectTo: `/records/${view.id}`,
        conflictField: 'version',
        render: (shown, { errors, conflict }) =>
          renderEditForm(shown, request, view, values, errors, conflict),
      });
    },
  );

  /* ---------------------------------------------------------------- */
  /* The detail's lists and objects, one page per item                 */
  /* ---------------------------------------------------------------- */

  typed.post(
    '/records/:id/notes',
    { schema: { params: idParams, hide: true } },
    async (request, reply) => {
      const { staff } = staffInOrganisation(request);
      const form = readForm(request.body);
      return recordFormPost(
        request,
        reply,
        deps,
        request.params.id,
        async () => {
          if (form.errors.length) throw new ValidationError(form.errors);
          await casework.addNote(staff, request.params.id, form.values as NoteInput);
        },
        'notes',
      );
    },
  );

  typed.post(
    '/records/:id/sources',
    { schema: { params: idParams, hide: true } },
    async (request, reply) => {
      const { staff } = staffInOrganisation(request);
      const form = readForm(request.body);
      return recordFormPost(
        request,
        reply,
        deps,
        request.params.id,
        async () => {
          if (form.errors.length) throw new ValidationError(form.errors);
          await casework.addSource(staff, request.params.id, form.values as SourceInput);
        },
        'sources',
      );
    },
  );

  typed.post(
    '/records/:id/parties',
    { schema: { params: idParams, hide: true } },
    async (request, reply) => {
      const { staff } = staffInOrganisation(request);
      const form = readForm(request.body);
      return recordFormPost(
        request,
        reply,
        deps,
        request.params.id,
        () => casework.addParty(staff, request.params.id, form.values as PartyInput),
        'people',
      );
    },
  );

  // Uploads accept multipart bodies, up to the document limit plus the form's own fields.
  app.register(async (scope) => {
    acceptMultipart(scope, MAX_DOCUMENT_BYTES + 64 * 1024);
    scope
      .withTypeProvider<ZodTypeProvider>()
      .post(
        '/records/:id/documents',
        { schema: { params: idParams, hide: true }, bodyLimit: MAX_DOCUMENT_BYTES + 64 * 1024 },
        async (request, reply) => {
          const { staff } = staffInOrganisation(request);
          const body = (request.body ?? {}) as MultipartBody;
          const file = body.document;
          return recordFormPost(
            request,
            reply,
            deps,
            request.params.id,
            async () => {
              if (!file || typeof file === 'string' || file.content.length === 0) {
                throw new ValidationError([{ field: 'document', message: 'Select a file' }]);
              }
              await casework.addDocument(staff, request.params.id, file);
            },
            'documents',
          );
        },
      );
  });

  typed.get(
    '/records/:id/documents/:documentId',
    { schema: { params: documentParams, hide: true } },
    async (request, reply) => {
      const { staff } = staffInOrganisation(request);
      const document = await casework.readDocument(
        staff,
        request.params.id,
        request.params.documentId,
      );
      return sendDocument(reply, document);
    },
  );

  typed.get(
    '/records/:id/history',
    { schema: { params: idParams, hide: true } },
    async (request, reply) => {
      const { staff } = staffInOrganisation(request);
      const history = await casework.history(staff, request.params.id);
      return reply.render(`${views}/history.njk`, {
        title: `Change history – ${history.categoryName}`,
        ...history,
      });
    },
  );

  typed.get(
    '/records/:id/access-log',
    { schema: { params: idParams, hide: true } },
    async (request, reply) => {
      const { staff } = staffInOrganisation(request);
      const log = await casework.accessLog(staff, request.params.id);
      return reply.render(`${views}/access-log.njk`, {
        title: `Who has seen this record – ${log.categoryName}`,
        ...log,
        // The API keeps the audit codes; people read words.
        entries: log.entries.map((e) => ({
          ...e,
          action: auditActionWords(e.action),
          purpose: auditPurposeWords(e.purpose),
          outcome: auditOutcomeWords(e.outcome),
        })),
      });
    },
  );

  typed.get(
    '/chronologies/:personId',
    { schema: { params: personParams, hide: true } },
    async (request, reply) => {
      const { staff } = staffInOrganisation(request);
      const chronology = await casework.chronology(staff, request.params.personId);
      // Filtered by date and kind (issue 13 item 10); the export links carry the same filter.
      const query = (
        typeof request.query === 'object' && request.query !== null ? request.query : {}
      ) as Record<string, unknown>;
      const { filter, errors, values } = chronologyFilterFrom(query);
      const search = new URLSearchParams(
        Object.entries(query).flatMap(([key, value]) =>
          (Array.isArray(value) ? value : [value])
            .filter((v): v is string => typeof v === 'string' && v !== '')
            .map((v): [string, string] => [key, v]),
        ),
      ).toString();
      return reply.status(errors.length ? 400 : 200).render(`${views}/chronology.njk`, {
        title: `Chronology – ${chronology.person.name}`,
        ...chronology,
        entries: filterChronology(chronology.entries, filter),
        filtered: filter.from !== undefined || filter.to !== undefined || filter.kinds.length > 0,
        filterValues: values,
        kindItems: kindItems(filter.kinds),
        exportQuery: search ? `?${search}` : '',
        ...errorView(errors),
      });
    },
  );

  typed.get(
    '/governance/access-monitoring',
    { schema: { querystring: monitoringQuery, hide: true } },
    async (request, reply) => {
      const { staff } = staffInOrganisation(request);
      const report = await casework.accessMonitoring(staff, request.query);
      return reply.render(`${views}/monitoring.njk`, { title: 'Access monitoring', ...report });
    },
  );
}
