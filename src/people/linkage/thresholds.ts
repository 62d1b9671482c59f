import { DEFAULT_MATCH_THRESHOLD, DEFAULT_THRESHOLD } from './link.js';
import { isOrganisationSlug, policyFor } from '../../policy/index.js';

/**
 * Where a matched row is attached without a person, and where it waits for
 * one: policy (`matching` in the organisation's document), defaulting to
 * the matcher's own thresholds (decision 0027).
 */
export interface Thresholds {
  autoLink: number;
  review: number;
}

export function thresholdsFor(organisationSlug: string): Thresholds {
  const policy = isOrganisationSlug(organisationSlug) ? policyFor(organisationSlug) : null;
  return {
    autoLink: policy?.matching?.autoLink ?? DEFAULT_MATCH_THRESHOLD,
    review: policy?.matching?.review ?? DEFAULT_THRESHOLD,
  };
}
