/**
 * The JSON Lines what-if tools (`retention explain`, `rights deadline`) share
 * one contract: one object per input line, one JSON line out per line, in
 * order. A line that is not a JSON object is answered `{"line": N, "error"}`;
 * the handler answers the rest, with `{"id", "error"}` for bad input. Every
 * line runs; the caller exits 1 if any failed. Blank lines are skipped.
 */
export type LineOutput = Record<string, unknown> & { error?: string };

export function answerLine(
  text: string,
  lineNumber: number,
  handle: (request: Record<string, unknown>, id: unknown) => LineOutput,
): LineOutput {
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
  return handle(request, id);
}

export async function answerLines(
  lines: AsyncIterable<string>,
  handle: (request: Record<string, unknown>, id: unknown) => LineOutput,
  write: (output: string) => void,
): Promise<{ lines: number; failed: number }> {
  let lineNumber = 0;
  let count = 0;
  let failed = 0;
  for await (const text of lines) {
    lineNumber += 1;
    if (text.trim() === '') continue;
    count += 1;
    const output = answerLine(text, lineNumber, handle);
    if (output.error !== undefined) failed += 1;
    write(JSON.stringify(output));
  }
  return { lines: count, failed };
}

/** Runs a JSON Lines tool over stdin and stdout, setting the exit status. */
export async function runJsonLinesTool(
  handle: (request: Record<string, unknown>, id: unknown) => LineOutput,
): Promise<void> {
  const { createInterface } = await import('node:readline');
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  const { failed } = await answerLines(lines, handle, (out) => process.stdout.write(`${out}\n`));
  if (failed > 0) process.exitCode = 1;
}
