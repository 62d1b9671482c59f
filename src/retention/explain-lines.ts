import { answerLine, type LineOutput } from '../platform/cli/json-lines.js';
import { explainRetention } from './engine.js';

/**
 * The what-if tool behind `safekeep retention explain` (contract in
 * platform/cli/json-lines.ts). Needs no database.
 *
 * Input:  {"id": "...", "organisation": "kent-scs", "category": "...", "facts": {...}}
 * Output: {"id": "...", "due": "YYYY-MM-DD" | null, "action", "rule", "needsReview",
 *          "explanation", "status", "trigger", "missingFacts"?}
 */
export function explainRequest(request: Record<string, unknown>, id: unknown): LineOutput {
  const result = explainRetention(request);
  return result.ok ? { id, ...result.value } : { id, error: result.error };
}

export function explainLine(text: string, lineNumber: number): LineOutput {
  return answerLine(text, lineNumber, explainRequest);
}
