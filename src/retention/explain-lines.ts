import { explainRetention } from './engine.js';

/**
 * The what-if tool behind `safekeep retention explain`: one JSON object per
 * input line in, one JSON line out, in order. A bad line gets an error line
 * of its own and the rest still run. Needs no database.
 *
 * Input:  {"id": "...", "organisation": "kent-scs", "category": "...", "facts": {...}}
 * Output: {"id": "...", "due": "YYYY-MM-DD" | null, "action", "rule", "needsReview",
 *          "explanation", "status", "trigger", "missingFacts"?}
 *    or:  {"id": "...", "error": "..."}   (valid JSON, invalid request)
 *    or:  {"line": N, "error": "..."}     (not JSON)
 */
export type ExplainOutput = Record<string, unknown> & { error?: string };

export function explainLine(text: string, lineNumber: number): ExplainOutput {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : 'not JSON';
    return { line: lineNumber, error: `line ${lineNumber} is not valid JSON: ${reason}` };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return { line: lineNumber, error: `line ${lineNumber} is not a JSON object` };
  }
  const { id = null, ...request } = parsed as Record<string, unknown>;
  const result = explainRetention(request);
  return result.ok ? { id, ...result.value } : { id, error: result.error };
}

/** Explains every non-blank line; blank lines (e.g. a trailing newline) are skipped. */
export async function explainStream(
  lines: AsyncIterable<string>,
  write: (output: string) => void,
): Promise<{ lines: number; failed: number }> {
  let lineNumber = 0;
  let count = 0;
  let failed = 0;
  for await (const text of lines) {
    lineNumber += 1;
    if (text.trim() === '') continue;
    count += 1;
    const output = explainLine(text, lineNumber);
    if (output.error !== undefined) failed += 1;
    write(JSON.stringify(output));
  }
  return { lines: count, failed };
}
