import type { CensusPeriod } from '../census.js';
import type { Finding } from '../rules.js';
import type { Ssda903Child } from './child.js';
import type { EpisodeRow } from './episodes.js';

/** What the SSDA903 rules share, so the rules can live in files by concept. */

/** A check of each of the year's episodes: one finding per episode for which `broken` holds. */
export const perEpisode =
  (broken: (e: EpisodeRow, child: Ssda903Child, period: CensusPeriod) => boolean) =>
  (child: Ssda903Child, period: CensusPeriod): Finding[] =>
    child.episodes.filter((e) => broken(e, child, period)).map((e) => ({ recordId: e.recordId }));
export const addYears = (date: string, years: number) =>
  `${String(Number(date.slice(0, 4)) + years).padStart(4, '0')}${date.slice(4)}`;
export const addDays = (date: string, days: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
