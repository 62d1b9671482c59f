/**
 * The returns page (issue 17; docs/returns.md): performance and information
 * governance staff of a local authority check the Children in Need census
 * for a year, see what to fix (each failing child linked to the record,
 * only where they may open it) and, once no error remains, produce the file
 * to send to the DfE. The same service as `safekeep returns cin-census`: the
 * role check, the audited read, the disclosure record.
 *
 * For anyone else the page does not exist (404), so no link to it is shown.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Temporal } from 'temporal-polyfill';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { londonToday } from '../casework/retention.js';
import type { StaffContext } from '../platform/auth/service.js';
import { staffInOrganisation } from '../platform/auth/session-hook.js';
import { NotFoundError } from '../platform/errors/errors.js';
import { dateInputValues } from '../platform/http/date-input.js';
import { errorView } from '../platform/http/forms.js';
import { formatDate } from '../platform/http/views.js';
import { parseAsOf } from './annex-a/as-of.js';
import { annexALists, coverageText, listKeys, notRecorded } from './annex-a/lists.js';
import type { AnnexARun, AnnexAService } from './annex-a/service.js';
import { censusPeriod } from './census.js';
import {
  mayProduceReturns,
  returnsCodeOf,
  type ProducedReturn,
  type CensusRun,
  type ReturnsService,
  type Ssda903Run,
} from './service.js';
import { ssda903Tables } from './ssda903/files.js';
import { jobSteps, type ReturnJobs } from './jobs.js';
import { statutoryReturnFileRetentionFor } from '../policy/retention-actions.js';

const VIEW = 'returns/views/returns.njk';
const VIEW_JOB = 'returns/views/job.njk';
const YEAR_MESSAGE = 'Select a census year from the list';
const SSDA_YEAR_MESSAGE = 'Select a collection year from the list';

/** The census years that have ended, newest first: 2026 is the census of 31 March 2026. */
export function censusYearsTo(today: string, count = 5): number[] {
  const year = Number(today.slice(0, 4));
  const latest = today.slice(5) >= '04-01' ? year : year - 1;
  return Array.from({ length: count }, (_, i) => latest - i);
}

/** Whether this person has the returns page: the home page links to it only then. */
export function seesReturns(staff: StaffContext): boolean {
  return mayProduceReturns(staff) && returnsCodeOf(staff) !== undefined;
}

/** The file column of a return made, in words: when it went, or until when it is kept. */
function fileWords(p: ProducedReturn) {
  return {
    fileName: p.file?.name ?? null,
    keptUntil: p.file ? formatDate(p.file.keptUntil) : null,
    destroyedOn: p.fileDestroyedAt ? formatDate(p.fileDestroyedAt) : null,
  };
}

export function registerReturnsRoutes(
  app: FastifyInstance,
  deps: { returns: ReturnsService; annexA: AnnexAService; jobs: ReturnJobs; today?: () => string },
): void {
  const { returns, annexA, jobs } = deps;
  const today = deps.today ?? londonToday;
  const typed = app.withTypeProvider<ZodTypeProvider>();

  const staffWithReturns = (request: Parameters<typeof staffInOrganisation>[0]) => {
    const { staff } = staffInOrganisation(request);
    if (!seesReturns(staff)) throw new NotFoundError();
    return staff;
  };
  const yearFrom = (asked: unknown) => {
    const years = censusYearsTo(today());
    return { years, year: years.find((y) => String(y) === asked) };
  };
  const yearItems = (years: number[], chosen: number | undefined) =>
    years.map((y) => ({
      value: String(y),
      text: `Census of ${formatDate(censusPeriod(y).end)}: ${formatDate(censusPeriod(y).start)} to ${formatDate(censusPeriod(y).end)}`,
      selected: y === chosen,
    }));
  const ssdaYearItems = (years: number[], chosen: number | undefined) =>
    years.map((y) => ({
      value: String(y),
      text: `Year ending ${formatDate(censusPeriod(y).end)}: ${formatDate(censusPeriod(y).start)} to ${formatDate(censusPeriod(y).end)}`,
      selected: y === chosen,
    }));

  async function page(
    reply: FastifyReply,
    staff: StaffContext,
    years: number[],
    view: {
      year?: number;
      run?: CensusRun;
      /** What was typed for the Annex A as-of date (day, month, year). */
      asOfTyped?: unknown;
      annex?: AnnexARun;
      ssdaYear?: number;
      ssda?: Ssda903Run;
      status?: number;
      errors?: ReturnType<typeof errorView>;
    },
  ) {
    const annexRun = view.annex;
    return reply.status(view.status ?? 200).render(VIEW, {
      title: 'Statutory returns',
      yearItems: yearItems(years, view.year),
      ssdaYearItems: ssdaYearItems(years, view.ssdaYear),
      year: view.year,
      ssdaYear: view.ssdaYear,
      ssda: view.ssda && {
        children: view.ssda.children.length,
        errors: view.ssda.errors,
        queries: view.ssda.queries,
        tables: ssda903Tables.map((t) => ({ name: t, rows: view.ssda?.tables[t] ?? 0 })),
        rules: view.ssda.report.filter((r) => r.failures > 0),
      },
      run: view.run && {
        children: view.run.children.length,
        errors: view.run.errors,
        queries: view.run.queries,
        rules: view.run.report.filter((r) => r.failures > 0),
      },
      asOfItems: dateInputValues(view.asOfTyped, 'asOf'),
      annex: annexRun && {
        asOf: formatDate(annexRun.asOf),
        day: String(Number(annexRun.asOf.slice(8, 10))),
        month: String(Number(annexRun.asOf.slice(5, 7))),
        year: annexRun.asOf.slice(0, 4),
        children: annexRun.children,
        errors: annexRun.errors,
        warnings: annexRun.warnings,
        rules: annexRun.report.filter((r) => r.failures > 0),
        lists: listKeys.map((key) => ({
          name: `List ${annexALists[key].number}: ${annexALists[key].title}`,
          covers: coverageText[annexALists[key].covers],
          rows: annexRun.annex.lists[key].length,
          notRecorded: notRecorded[key],
        })),
      },
      produced: (await returns.produced(staff)).map((p) => ({
        ...p,
        ...fileWords(p),
        name:
          p.kind === 'annex-a'
            ? `Ofsted Annex A lists as of ${formatDate(p.referenceDate)}`
            : p.kind === 'ssda903'
              ? `SSDA903 children looked after, year ending ${formatDate(p.referenceDate)}`
              : `Children in Need census of ${formatDate(p.referenceDate)}`,
      })),
      ...(view.errors ?? {}),
    });
  }

  typed.get(
    '/returns',
    { schema: { hide: true, querystring: z.object({ year: z.string().optional() }) } },
    async (request, reply) => {
      const staff = staffWithReturns(request);
      const asked = request.query.year;
      const { years, year } = yearFrom(asked);
      if (asked === undefined) return page(reply, staff, years, {});
      if (year === undefined) {
        return page(reply, staff, years, {
          status: 400,
          errors: errorView([{ field: 'year', message: YEAR_MESSAGE }]),
        });
      }
      const run = await returns.cinCensus(staff, { year, produce: false });
      return page(reply, staff, years, { year, run });
    },
  );

  // The form's fields are read as posted, not through a schema, so the CSRF
  // check (a preHandler) still sees the token a schema would strip.
  app.post('/returns/cin-census', async (request, reply) => {
    const staff = staffWithReturns(request);
    const { years, year } = yearFrom((request.body as Record<string, unknown> | undefined)?.year);
    if (year === undefined) {
      return page(reply, staff, years, {
        status: 400,
        errors: errorView([{ field: 'year', message: YEAR_MESSAGE }]),
      });
    }
    // Made after the page answers (a county's census takes a while); the job's page shows progress.
    return startJob(request, reply, staff, { kind: 'cin-census', year });
  });

  // A return's kept file (migration 0072), audited; once destroyed, the page says when.
  typed.get(
    '/returns/files/:id',
    { schema: { hide: true, params: z.object({ id: z.string() }) } },
    async (request, reply) => {
      const staff = staffWithReturns(request);
      const found = await returns.returnFile(staff, request.params.id);
      if (!found) throw new NotFoundError();
      if (found.kind !== 'file') {
        return page(reply, staff, censusYearsTo(today()), {
          status: 410,
          errors: errorView([
            {
              field: 'returns-made',
              message:
                found.kind === 'destroyed'
                  ? `That return’s file was destroyed on ${formatDate(found.on)}, at the end of the period the retention policy keeps it for`
                  : 'That return was made before Safekeep kept the files it made, so there is no file to download',
            },
          ]),
        });
      }
      return reply
        .type(found.file.mediaType)
        .header('content-disposition', `attachment; filename="${found.file.name}"`)
        .header('cache-control', 'no-store')
        .send(found.file.content);
    },
  );

  /** The as-of date from the form's three fields, or the page again with the error and what was typed. */
  const asOfFrom = (typed: unknown) => {
    const fields = (typeof typed === 'object' && typed !== null ? typed : {}) as Record<
      string,
      unknown
    >;
    const part = (name: string) => (typeof fields[name] === 'string' ? fields[name] : '');
    return parseAsOf(
      { day: part('asOf-day'), month: part('asOf-month'), year: part('asOf-year') },
      today(),
    );
  };

  // Check Ofsted's Annex A lists as of a date: the same audited validation as the command.
  app.get('/returns/annex-a', { schema: { hide: true } }, async (request, reply) => {
    const staff = staffWithReturns(request);
    const years = censusYearsTo(today());
    const parsed = asOfFrom(request.query);
    if ('error' in parsed) {
      return page(reply, staff, years, {
        asOfTyped: request.query,
        status: 400,
        errors: errorView([{ field: 'asOf', message: parsed.error }]),
      });
    }
    const run = await annexA.annexA(staff, { asOf: parsed.asOf, produce: false });
    return page(reply, staff, years, { asOfTyped: request.query, annex: run });
  });

  // Make the workbook. Fields read as posted (no schema), so the CSRF check sees its token.
  app.post('/returns/annex-a', { schema: { hide: true } }, async (request, reply) => {
    const staff = staffWithReturns(request);
    const years = censusYearsTo(today());
    const parsed = asOfFrom(request.body);
    if ('error' in parsed) {
      return page(reply, staff, years, {
        asOfTyped: request.body,
        status: 400,
        errors: errorView([{ field: 'asOf', message: parsed.error }]),
      });
    }
    return startJob(request, reply, staff, { kind: 'annex-a', asOf: parsed.asOf });
  });

  typed.get(
    '/returns/ssda903',
    { schema: { hide: true, querystring: z.object({ year: z.string().optional() }) } },
    async (request, reply) => {
      const staff = staffWithReturns(request);
      const { years, year } = yearFrom(request.query.year);
      if (year === undefined) {
        return page(reply, staff, years, {
          status: 400,
          errors: errorView([{ field: 'ssda-year', message: SSDA_YEAR_MESSAGE }]),
        });
      }
      const ssda = await returns.ssda903(staff, { year, produce: false });
      return page(reply, staff, years, { ssdaYear: year, ssda });
    },
  );

  // Read loosely, as above: a body schema would strip the CSRF token.
  app.post('/returns/ssda903', async (request, reply) => {
    const staff = staffWithReturns(request);
    const { years, year } = yearFrom((request.body as Record<string, unknown> | undefined)?.year);
    if (year === undefined) {
      return page(reply, staff, years, {
        status: 400,
        errors: errorView([{ field: 'ssda-year', message: SSDA_YEAR_MESSAGE }]),
      });
    }
    return startJob(request, reply, staff, { kind: 'ssda903', year });
  });

  /** Records the job, starts it once the page has answered, and sends the browser to its page. */
  async function startJob(
    request: FastifyRequest,
    reply: FastifyReply,
    staff: StaffContext,
    what: Parameters<ReturnJobs['create']>[1],
  ) {
    const id = await jobs.create(staff, what);
    setImmediate(() => {
      jobs
        .run(staff, id)
        .catch((error: unknown) =>
          request.log.error({ err: error, job: id }, 'return job stopped'),
        );
    });
    return reply.redirect(`/returns/jobs/${id}`, 303);
  }

  // A return being made: its steps while it runs (the page refreshes itself), then the file.
  typed.get(
    '/returns/jobs/:id',
    { schema: { hide: true, params: z.object({ id: z.string() }) } },
    async (request, reply) => {
      const staff = staffWithReturns(request);
      const job = await jobs.job(staff, request.params.id);
      if (!job) throw new NotFoundError();
      const referenceDate =
        job.kind === 'annex-a' ? (job.asOf ?? '') : censusPeriod(job.collectionYear ?? 0).end;
      const name =
        job.kind === 'annex-a'
          ? `Ofsted Annex A workbook as of ${formatDate(referenceDate)}`
          : job.kind === 'ssda903'
            ? `SSDA903 files for the year ending ${formatDate(referenceDate)}`
            : `Children in Need census of ${formatDate(referenceDate)}`;
      const working = job.status === 'waiting' || job.status === 'running';
      const fileName = job.returnId ? await returns.fileNameOf(staff, job.returnId) : undefined;
      return reply.render(VIEW_JOB, {
        title: working ? `Making the ${name}` : name,
        backLink: '/returns',
        job: {
          ...job,
          name,
          working,
          fileName: fileName ?? '',
          // "4,000 of 20,007 children checked", while checking.
          progressText:
            working && job.progress && job.stepsDone === 1
              ? `${job.progress.checked.toLocaleString('en-GB')} of ${job.progress.total.toLocaleString('en-GB')} ${job.progress.total === 1 ? 'child' : 'children'} checked`
              : '',
          keptUntil: formatDate(
            Temporal.PlainDate.from(referenceDate || '2000-01-01')
              .add({ years: statutoryReturnFileRetentionFor(staff.organisation?.slug ?? '').years })
              .toString(),
          ),
          checkHref:
            job.kind === 'annex-a'
              ? `/returns/annex-a?asOf-day=${Number(referenceDate.slice(8, 10))}&asOf-month=${Number(referenceDate.slice(5, 7))}&asOf-year=${referenceDate.slice(0, 4)}`
              : `/returns${job.kind === 'ssda903' ? '/ssda903' : ''}?year=${job.collectionYear}`,
          steps: jobSteps.map((step, i) => ({
            title: { text: step },
            status:
              i < job.stepsDone
                ? { text: 'Done' }
                : i === job.stepsDone
                  ? { tag: { text: 'In progress', classes: 'govuk-tag--light-blue' } }
                  : { tag: { text: 'Not yet started', classes: 'govuk-tag--grey' } },
          })),
        },
      });
    },
  );
}
