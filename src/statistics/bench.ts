import type { Benchmark } from '../bench/run.js';
import { measure } from '../bench/run.js';
import { fillTo } from '../casework/bench-fixtures.js';
import { londonToday } from '../casework/retention.js';
import { reportingYear, reportingYearsTo } from './periods.js';
import { StatisticsService } from './service.js';

/**
 * The statistics page's figures (issue 14; decision 0040) at the requested
 * population: every measure for KSCMP's area (the partnership and the
 * organisations whose records it counts), for the current reporting year,
 * counted, then suppressed. Through the service, as the page and the annual
 * report call it; the page adds its audit event and rendering.
 */
export const statisticsBenchmarks: Benchmark[] = [
  {
    name: 'statistics.year',
    description: "a reporting year's statistics for KSCMP's area, every measure",
    async run(db, options) {
      await fillTo(db, options.size, options.log);
      const kscmp = await db
        .selectFrom('organisation')
        .select('id')
        .where('slug', '=', 'kscmp')
        .executeTakeFirstOrThrow();
      const [year] = reportingYearsTo(londonToday());
      if (year === undefined) return [];
      const statistics = new StatisticsService(db);
      return [
        await measure(
          `statistics for KSCMP's area, ${reportingYear(year).label}`,
          options.iterations,
          () => statistics.forOrganisation({ id: kscmp.id, slug: 'kscmp' }, year),
        ),
      ];
    },
  },
];
