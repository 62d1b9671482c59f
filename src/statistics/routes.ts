/**
 * The statistics page and its CSV (issue 14; decision 0040): a reporting
 * year chosen from a list, each measure as a chart and a table, and the same
 * suppressed figures to download. The service refuses anyone without a role
 * that may see them, as not found, and audits every view and download.
 */
import { stringify } from 'csv-stringify/sync';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { londonToday } from '../casework/retention.js';
import { staffInOrganisation } from '../platform/auth/session-hook.js';
import { errorView } from '../platform/http/forms.js';
import { SUPPRESSED_MARK } from '../partnership/statistics.js';
import { barChart } from './chart.js';
import { reportingYear, reportingYearsTo } from './periods.js';
import { statisticsRows, type StatisticsService } from './service.js';

export function registerStatisticsRoutes(
  app: FastifyInstance,
  deps: { statistics: StatisticsService; today?: () => string },
): void {
  const { statistics } = deps;
  const today = deps.today ?? londonToday;
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const query = z.object({ year: z.string().optional() });

  const chosenYear = (asked: string | undefined) => {
    const years = reportingYearsTo(today());
    if (asked === undefined || asked === '') return { years, year: years[0] };
    return { years, year: years.find((y) => String(y) === asked) };
  };
  const yearItems = (years: number[], chosen: number | undefined) =>
    years.map((y) => ({ value: String(y), text: reportingYear(y).label, selected: y === chosen }));

  typed.get(
    '/statistics',
    { schema: { hide: true, querystring: query } },
    async (request, reply) => {
      const { staff } = staffInOrganisation(request);
      const { years, year } = chosenYear(request.query.year);
      if (year === undefined) {
        // Refused first, as not found, for anyone who may not see statistics.
        await statistics.view(staff, years[0] ?? 0);
        return reply.status(400).render('statistics/views/statistics.njk', {
          title: 'Statistics',
          yearItems: yearItems(years, undefined),
          ...errorView([{ field: 'year', message: 'Select a reporting year from the list' }]),
        });
      }
      const figures = await statistics.view(staff, year);
      return reply.render('statistics/views/statistics.njk', {
        title: 'Statistics',
        yearItems: yearItems(years, year),
        year,
        figures,
        charts: Object.fromEntries(figures.tables.map((t) => [t.id, barChart(t)])),
        mark: SUPPRESSED_MARK,
      });
    },
  );

  typed.get(
    '/statistics.csv',
    { schema: { hide: true, querystring: query } },
    async (request, reply) => {
      const { staff } = staffInOrganisation(request);
      const { year } = chosenYear(request.query.year);
      if (year === undefined) {
        return reply
          .status(400)
          .type('text/plain; charset=utf-8')
          .send(
            'Choose a reporting year that has ended, for example year=2025 for April 2025 to March 2026.',
          );
      }
      const figures = await statistics.download(staff, year);
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="statistics-${year}-${year + 1}.csv"`)
        .send(stringify(statisticsRows(figures)));
    },
  );
}
