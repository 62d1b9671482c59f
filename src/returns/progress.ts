/**
 * Progress of a return's check, in children (issue 17): what a job shows
 * while it works ("4,000 of 20,007 children checked").
 */

/** How far a check has got, in children: counts only, for a job's page. */
export type ReturnProgress = (progress: { checked: number; total: number }) => void;

/** Children checked between two progress reports. */
const PROGRESS_EVERY = 1000;

/**
 * Checks the children against the rules. Without `onProgress`, in one go;
 * with it, in slices (each with the context of all the children, so the
 * failures are the same), reporting after each and letting the event loop
 * run between them, so a job's heartbeat and progress are written as it
 * works.
 */
export async function checkChildren<Child, Failure>(
  children: readonly Child[],
  validate: (slice: readonly Child[]) => Failure[],
  onProgress?: ReturnProgress,
): Promise<Failure[]> {
  if (!onProgress) return validate(children);
  const total = children.length;
  onProgress({ checked: 0, total });
  const failures: Failure[] = [];
  for (let i = 0; i < total; i += PROGRESS_EVERY) {
    await new Promise((resolve) => setImmediate(resolve));
    failures.push(...validate(children.slice(i, i + PROGRESS_EVERY)));
    onProgress({ checked: Math.min(i + PROGRESS_EVERY, total), total });
  }
  return failures;
}
