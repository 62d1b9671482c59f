import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { canBreach } from '../../platform/access/access.js';
import { staffInOrganisation } from '../../platform/auth/session-hook.js';
import { NotFoundError, type FieldError } from '../../platform/errors/errors.js';
import { dateInputValues } from '../../platform/http/date-input.js';
import { submitForm, type FormRefusal } from '../../platform/http/form-route.js';
import { errorView } from '../../platform/http/forms.js';
import { textProblem } from '../../platform/validation/text.js';
import { clockWords } from './clock.js';
import { icoReportFields, letterParagraphs, organisationName } from './notices.js';
import { breachClocksFor } from './reminders.js';
import {
  asRecord,
  parseAction,
  parseAssessment,
  parseClose,
  parseDisclosure,
  parseIcoDecision,
  parsePicked,
  parseReport,
  parseStaffAccount,
  parseSubjectsDecision,
} from './schemas.js';
import type { BreachService } from './service.js';
import type { ComplaintsService } from '../complaints/service.js';
import {
  dataCategories,
  exemptions,
  likelihoods,
  risks,
  severities,
  subjectSources,
} from './tables.js';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';

const views = 'governance/breaches/views';
const base = '/governance/breaches';
/** Ids are checked by the service (a malformed one is "not found" like any other). */
const idParams = z.object({ id: z.string() });
const searchQuery = z.object({ name: z.string().optional(), added: z.string().optional() });

/** Everything the pages say in words, never codes. */
const labels = { dataCategories, likelihoods, severities, risks, exemptions, subjectSources };

/**
 * The breach register's pages (issue 11), for information governance and
 * the DPO of the organisation only; to anyone else every page is "not
 * found", as a breach that does not exist.
 */
export function registerBreachRoutes(
  app: FastifyInstance,
  deps: {
    breaches: BreachService;
    db: Kysely<Database>;
    now?: (() => Date) | undefined;
    /** For the complaints linked to a breach, shown to whoever may see both. */
    complaints?: ComplaintsService;
  },
): void {
  const { breaches } = deps;
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const now = deps.now ?? (() => new Date());

  typed.get(base, { schema: { hide: true } }, async (request, reply) => {
    const { staff } = staffInOrganisation(request);
    const register = await breaches.register(staff);
    const clocks = await breachClocksFor(deps.db, staff, now());
    return reply.render(`${views}/register.njk`, {
      title: 'Personal data breaches',
      register: register.map((b) => ({ ...b, clockWords: clockWords(b.clock) })),
      clocks,
      mayReport: canBreach(staff, 'breach.manage'),
      labels,
    });
  });

  function renderReport(reply: FastifyReply, refusal: FormRefusal, body: unknown = {}) {
    const values = asRecord(body);
    const chosen = [values.dataCategories ?? []].flat().map(String);
    return reply.render(`${views}/report.njk`, {
      title: 'Report a breach',
      backLink: base,
      values,
      occurredAtItems: dateInputValues(body, 'occurredAt'),
      awareAtItems: dateInputValues(body, 'awareAt'),
      categoryItems: Object.entries(dataCategories).map(([value, text]) => ({
        value,
        text,
        checked: chosen.includes(value),
      })),
      ...errorView(refusal.errors),
    });
  }

  typed.get(`${base}/new`, { schema: { hide: true } }, async (request, reply) => {
    const { staff } = staffInOrganisation(request);
    if (!canBreach(staff, 'breach.manage')) throw new NotFoundError();
    return renderReport(reply, { errors: [], conflict: false });
  });

  typed.post(`${base}/new`, { schema: { hide: true } }, async (request, reply) => {
    const { staff } = staffInOrganisation(request);
    if (!canBreach(staff, 'breach.manage')) throw new NotFoundError();
    const form = parseReport(request.body);
    let id = '';
    return submitForm(reply, {
      errors: form.ok ? [] : form.errors,
      save: async () => {
        if (form.ok) id = await breaches.report(staff, form.data);
      },
      redirectTo: () => `${base}/${id}`,
      render: (r, refusal) => renderReport(r, refusal, request.body),
    });
  });

  async function renderBreach(
    reply: FastifyReply,
    id: string,
    refusal: FormRefusal,
    body: unknown = {},
  ) {
    const { staff } = staffInOrganisation(reply.request);
    const breach = await breaches.get(staff, id);
    const linkedComplaints =
      (await deps.complaints?.linkedToBreach(staff, breach.id, breach.organisationId)) ?? [];
    return reply.render(`${views}/breach.njk`, {
      title: `Breach ${breach.reference}`,
      backLink: base,
      breach,
      linkedComplaints,
      clockWords: clockWords(breach.clock),
      values: asRecord(body),
      labels,
      ...errorView(refusal.errors),
    });
  }

  typed.get(`${base}/:id`, { schema: { params: idParams, hide: true } }, async (request, reply) =>
    renderBreach(reply, request.params.id, { errors: [], conflict: false }),
  );

  /**
   * The forms that change a breach from a page of their own (assessment,
   * the two decisions): one shape, so declared as a table and registered
   * in one loop. The breach is loaded (and access decided) before the form
   * is read, so another organisation's id is "not found" whatever is sent.
   */
  const decisionPages: {
    path: string;
    template: string;
    title: string;
    parse: (body: unknown) => { ok: true; data: never } | { ok: false; errors: FieldError[] };
    save: (
      staff: ReturnType<typeof staffInOrganisation>['staff'],
      id: string,
      data: never,
    ) => Promise<void>;
  }[] = [
    {
      path: 'assessment',
      template: 'assess.njk',
      title: 'Assess the risk',
      parse: parseAssessment as never,
      save: (staff, id, data) => breaches.assess(staff, id, data),
    },
    {
      path: 'ico-decision',
      template: 'ico-decision.njk',
      title: 'Decide whether to tell the ICO',
      parse: parseIcoDecision as never,
      save: (staff, id, data) => breaches.decideIco(staff, id, data),
    },
    {
      path: 'people-decision',
      template: 'people-decision.njk',
      title: 'Decide whether to tell the people affected',
      parse: parseSubjectsDecision as never,
      save: (staff, id, data) => breaches.decideSubjects(staff, id, data),
    },
  ];

  for (const page of decisionPages) {
    const render = async (
      reply: FastifyReply,
      id: string,
      refusal: FormRefusal,
      body?: unknown,
    ) => {
      const { staff } = staffInOrganisation(reply.request);
      const breach = await breaches.get(staff, id);
      if (!canBreach(staff, 'breach.manage', breach.organisationId)) throw new NotFoundError();
      const stored: Record<string, unknown> = {
        likelihood: breach.likelihood,
        severity: breach.severity,
        consequences: breach.consequences,
        measures: breach.measures,
        dpoContact: breach.dpoContact,
      };
      return reply.render(`${views}/${page.template}`, {
        title: `${page.title} – breach ${breach.reference}`,
        heading: page.title,
        backLink: `${base}/${breach.id}`,
        action: `${base}/${breach.id}/${page.path}`,
        breach,
        clockWords: clockWords(breach.clock),
        values: body === undefined ? stored : asRecord(body),
        labels,
        ...errorView(refusal.errors),
      });
    };
    typed.get(
      `${base}/:id/${page.path}`,
      { schema: { params: idParams, hide: true } },
      async (request, reply) => render(reply, request.params.id, { errors: [], conflict: false }),
    );
    typed.post(
      `${base}/:id/${page.path}`,
      { schema: { params: idParams, hide: true } },
      async (request, reply) => {
        const { staff } = staffInOrganisation(request);
        const { id } = request.params;
        // Access first: a refused id answers "not found" before the form is read.
        await breaches.get(staff, id);
        const form = page.parse(request.body);
        return submitForm(reply, {
          errors: form.ok ? [] : form.errors,
          save: () => (form.ok ? page.save(staff, id, form.data) : Promise.resolve()),
          redirectTo: `${base}/${id}`,
          conflictField: 'decision',
          render: (r, refusal) => render(r, id, refusal, request.body),
        });
      },
    );
  }

  /** Forms on the breach page itself: actions, removing a person, closing. */
  const breachPageForms: {
    path: string;
    parse: (body: unknown) => { ok: true; data: unknown } | { ok: false; errors: FieldError[] };
    save: (
      staff: ReturnType<typeof staffInOrganisation>['staff'],
      id: string,
      data: never,
      body: Record<string, unknown>,
    ) => Promise<unknown>;
    conflictField: string;
    redirect?: string;
  }[] = [
    {
      path: 'actions',
      parse: parseAction,
      save: (staff, id, data) => breaches.addAction(staff, id, data),
      conflictField: 'description',
      redirect: '#actions',
    },
    {
      path: 'actions/done',
      parse: (body) => ({ ok: true, data: String(asRecord(body).actionId ?? '') }),
      save: (staff, id, data) => breaches.completeAction(staff, id, data),
      conflictField: 'description',
      redirect: '#actions',
    },
    {
      path: 'affected/remove',
      parse: (body) => ({ ok: true, data: String(asRecord(body).personId ?? '') }),
      save: (staff, id, data) => breaches.removeSubject(staff, id, data),
      conflictField: 'lessons',
      redirect: '#affected',
    },
    {
      path: 'close',
      parse: (body) => {
        const form = parseClose(body);
        return form.ok ? { ok: true, data: form.data.lessons } : form;
      },
      save: (staff, id, data) => breaches.close(staff, id, data),
      conflictField: 'lessons',
    },
  ];

  for (const form of breachPageForms) {
    typed.post(
      `${base}/:id/${form.path}`,
      { schema: { params: idParams, hide: true } },
      async (request, reply) => {
        const { staff } = staffInOrganisation(request);
        const { id } = request.params;
        await breaches.get(staff, id);
        const parsed = form.parse(request.body);
        return submitForm(reply, {
          errors: parsed.ok ? [] : parsed.errors,
          save: () =>
            parsed.ok
              ? form.save(staff, id, parsed.data as never, asRecord(request.body))
              : Promise.resolve(),
          redirectTo: `${base}/${id}${form.redirect ?? ''}`,
          conflictField: form.conflictField,
          render: (r, refusal) => renderBreach(r, id, refusal, request.body),
        });
      },
    );
  }

  /* -------------------------------------------------------------- */
  /* Finding who is affected                                         */

  async function renderAffected(
    reply: FastifyReply,
    id: string,
    refusal: FormRefusal,
    body: unknown = {},
  ) {
    const { staff } = staffInOrganisation(reply.request);
    const query = asRecord(reply.request.query);
    const choices = await breaches.findingChoices(staff, id);
    const name = typeof query.name === 'string' ? query.name.trim() : '';
    const errors = [...refusal.errors];
    let found: Awaited<ReturnType<BreachService['searchPeople']>> | null = null;
    if (name) {
      const problem =
        textProblem(name, 'the name', { multiLine: false }) ??
        (name.length > 100 ? 'The name must be 100 characters or fewer' : null);
      if (problem) errors.push({ field: 'name', message: problem });
      else found = await breaches.searchPeople(staff, id, name);
    }
    if (errors.length && reply.statusCode < 400) reply.status(400);
    const values = asRecord(body);
    return reply.render(`${views}/affected.njk`, {
      title: `Find who is affected – breach ${choices.breach.reference}`,
      backLink: `${base}/${id}`,
      base: `${base}/${id}`,
      breach: choices.breach,
      disclosureItems: [
        { value: '', text: 'Choose a disclosure' },
        ...choices.disclosures.map((d) => ({
          value: d.id,
          text: `${d.recipient} – ${d.purpose} (${d.records} record${d.records === 1 ? '' : 's'})`,
          on: d.on,
          selected: values.disclosureId === d.id,
        })),
      ],
      disclosures: choices.disclosures,
      accountItems: [
        { value: '', text: 'Choose a staff account' },
        ...choices.accounts.map((a) => ({
          value: a.id,
          text: `${a.name} (${a.email})`,
          selected: values.accountId === a.id,
        })),
      ],
      values,
      fromItems: dateInputValues(body, 'from'),
      toItems: dateInputValues(body, 'to'),
      name,
      found,
      added:
        typeof query.added === 'string' && /^\d{1,6}$/.test(query.added)
          ? Number(query.added)
          : null,
      ...errorView(errors),
    });
  }

  typed.get(
    `${base}/:id/affected`,
    { schema: { params: idParams, querystring: searchQuery, hide: true } },
    async (request, reply) =>
      renderAffected(reply, request.params.id, { errors: [], conflict: false }),
  );

  const finders: {
    path: string;
    parse: (body: unknown) => { ok: true; data: unknown } | { ok: false; errors: FieldError[] };
    add: (
      staff: ReturnType<typeof staffInOrganisation>['staff'],
      id: string,
      data: never,
    ) => Promise<{ added: number }>;
  }[] = [
    {
      path: 'disclosure',
      parse: (body) => {
        const form = parseDisclosure(body);
        return form.ok ? { ok: true, data: form.data.disclosureId } : form;
      },
      add: (staff, id, data) => breaches.addFromDisclosure(staff, id, data),
    },
    {
      path: 'staff-account',
      parse: parseStaffAccount,
      add: (staff, id, data) => breaches.addFromStaffAccount(staff, id, data),
    },
    {
      path: 'people',
      parse: parsePicked,
      add: (staff, id, data) => breaches.addPicked(staff, id, data),
    },
  ];

  for (const finder of finders) {
    typed.post(
      `${base}/:id/affected/${finder.path}`,
      { schema: { params: idParams, hide: true } },
      async (request, reply) => {
        const { staff } = staffInOrganisation(request);
        const { id } = request.params;
        await breaches.findingChoices(staff, id);
        const parsed = finder.parse(request.body);
        let added = 0;
        return submitForm(reply, {
          errors: parsed.ok ? [] : parsed.errors,
          save: async () => {
            if (parsed.ok) added = (await finder.add(staff, id, parsed.data as never)).added;
          },
          redirectTo: () => `${base}/${id}/affected?added=${added}`,
          conflictField: 'disclosureId',
          render: (r, refusal) => renderAffected(r, id, refusal, request.body),
        });
      },
    );
  }

  /* -------------------------------------------------------------- */
  /* What goes out                                                   */

  typed.get(
    `${base}/:id/ico-report`,
    { schema: { params: idParams, hide: true } },
    async (request, reply) => {
      const { staff } = staffInOrganisation(request);
      const breach = await breaches.get(staff, request.params.id);
      const organisation = organisationName(staff.organisation?.slug ?? '');
      const fields = icoReportFields(breach, organisation);
      return reply.render(`${views}/ico-report.njk`, {
        title: `Report to the ICO – breach ${breach.reference}`,
        backLink: `${base}/${breach.id}`,
        breach,
        fields,
        text: fields.map((f) => `${f.label}:\n${f.value}`).join('\n\n'),
      });
    },
  );

  typed.get(
    `${base}/:id/letters`,
    { schema: { params: idParams, hide: true } },
    async (request, reply) => {
      const { staff } = staffInOrganisation(request);
      const { breach, letters } = await breaches.letters(staff, request.params.id);
      const organisation = organisationName(staff.organisation?.slug ?? '');
      return reply.render(`${views}/letters.njk`, {
        title: `Letters to the people affected – breach ${breach.reference}`,
        backLink: `${base}/${breach.id}`,
        breach,
        letters,
        paragraphs: letterParagraphs(breach, organisation),
        today: now(),
      });
    },
  );
}
