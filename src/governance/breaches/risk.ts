import type { Likelihood, Risk, Severity } from './tables.js';

/**
 * The risk to people's rights and freedoms from how likely harm is and how
 * severe it would be (Recital 76: "determined by reference to the nature,
 * scope, context and purposes … on the basis of an objective assessment").
 * A 3 × 3 matrix, scored 1–3 each way: 1–2 unlikely to result in a risk,
 * 3–4 a risk (tell the ICO, Art 33), 6–9 a high risk (tell the people too,
 * Art 34). Whoever decides may depart from it, with reasons; the matrix
 * only proposes.
 */
const likelihoodScore: Record<Likelihood, number> = { remote: 1, possible: 2, likely: 3 };
const severityScore: Record<Severity, number> = { minimal: 1, significant: 2, severe: 3 };

export function assessRisk(likelihood: Likelihood, severity: Severity): Risk {
  const score = likelihoodScore[likelihood] * severityScore[severity];
  if (score <= 2) return 'unlikely';
  if (score <= 4) return 'risk';
  return 'high';
}
