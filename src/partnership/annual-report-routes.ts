import { stringify } from 'csv-stringify/sync';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { staffOf } from '../platform/auth/session-hook.js';
import { errorView } from '../platform/http/forms.js';
import { annualReportRows, reportingYear } from './annual-report.js';
import type { PartnershipService } from './service.js';
import { SUPPRESSED_MARK } from './statistics.js';

/**
 * The annual report page, with a year picker, and the same figures as a
 * CSV file for the report's authors. Only reporting years that have ended
 * are offered; anything else in the address gets the picker back with a
 * plain-English error.
 */
export function registerAnnualReportRoutes(
  app: FastifyInstance,
  deps: {
    partnership: PartnershipService;
    page: (
      reply: FastifyReply,
      template: string,
      section: string,
      context: Record<string, unknown>,
    ) => unknown;
    sectorLabel: (sector: string) => string;
  },
): void {
  const { partnership, page, sectorLabel } = deps;
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const query = z.object({ year: z.string().optional() });

  /** The year asked for, if it is one offered; undefined asks for the latest. */
  const chosenYear = (asked: string | undefined) => {
    const years = partnership.reportingYears();
    if (asked === undefined || asked === '') return { years, year: years[0] ?? 0 };
    const year = years.find((y) => String(y) === asked);
    return { years, year, error: year === undefined };
  };

  const yearItems = (years: number[], chosen: number | undefined) =>
    years.map((y) => ({ value: String(y), text: reportingYear(y).label, selected: y === chosen }));

  typed.get(
    '/partnership/annual-report',
    { schema: { hide: true, querystring: query } },
    async (request, reply) => {
      const { years, year, error } = chosenYear(request.query.year);
      if (error || year === undefined) {
        // Refused before anything is read; the service refuses non-partnership staff as not found.
        await partnership.annualReport(staffOf(request), years[0] ?? 0);
        return page(reply.status(400), 'annual-report.njk', '/partnership/annual-report', {
          title: 'Annual report',
          yearItems: yearItems(years, undefined),
          ...errorView([{ field: 'year', message: 'Select a reporting year from the list' }]),
        });
      }
      const report = await partnership.annualReport(staffOf(request), year);
      return page(reply, 'annual-report.njk', '/partnership/annual-report', {
        title: 'Annual report',
        yearItems: yearItems(years, year),
        report,
        year,
        mark: SUPPRESSED_MARK,
      });
    },
  );

  typed.get(
    '/partnership/annual-report.csv',
    { schema: { hide: true, querystring: query } },
    async (request, reply) => {
      const { year } = chosenYear(request.query.year);
      if (year === undefined) {
        return reply
          .status(400)
          .type('text/plain; charset=utf-8')
          .send(
            'Choose a reporting year that has ended, for example year=2025 for April 2025 to March 2026.',
          );
      }
      const report = await partnership.annualReport(staffOf(request), year);
      const slug = staffOf(request).organisation?.slug ?? 'partnership';
      return reply
        .type('text/csv; charset=utf-8')
        .header(
          'content-disposition',
          `attachment; filename="${slug}-annual-report-${year}-${year + 1}.csv"`,
        )
        .send(stringify(annualReportRows(report, sectorLabel)));
    },
  );
}
