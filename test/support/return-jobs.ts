import type { LightMyRequestResponse } from 'fastify';
import type { Agent } from './app.js';

/**
 * Follows a return made from the page (src/returns/jobs.ts): the form's
 * post answers at once with the job's page, which the test reads again, as
 * the page's script does, until the job has finished. Returns the last
 * page and, when the return was made, its file as downloaded from it.
 */
export async function followReturnJob(
  agent: Agent,
  posted: LightMyRequestResponse,
  timeoutMs = 60_000,
): Promise<{ page: LightMyRequestResponse; file?: LightMyRequestResponse; jobUrl: string }> {
  if (posted.statusCode !== 303) {
    throw new Error(`the form did not start a job: ${posted.statusCode}`);
  }
  const jobUrl = String(posted.headers.location ?? '');
  const until = Date.now() + timeoutMs;
  for (;;) {
    const page = await agent.get(jobUrl);
    if (!page.body.includes('data-job-status="working"')) {
      const link = /href="(\/returns\/files\/[^"]+)" data-testid="job-download"/.exec(page.body);
      return link?.[1] ? { page, file: await agent.get(link[1]), jobUrl } : { page, jobUrl };
    }
    if (Date.now() > until) throw new Error(`the job at ${jobUrl} did not finish`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
