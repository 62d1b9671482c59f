/**
 * A running server picks up a policy version applied elsewhere — by
 * `safekeep policy apply` in another process, or by another replica's
 * policy pages — without a restart (issue 11; decision 0025).
 *
 * The registry (policy/registry.ts) is this process's copy of each
 * organisation's policy in force. The database says which version is in
 * force (versions.ts `inForce`: taking effect by today, and applied). Every
 * few seconds at most, on a request, one small query reads the version
 * number in force per organisation and compares it with the numbers this
 * process last saw; only an organisation whose number moved has its
 * document read, validated and put in the registry. Between checks a
 * request costs a clock comparison. Checking on requests rather than on a
 * timer means an idle server does no work and a test controls the clock.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { registerPolicy } from '../../policy/index.js';
import { inForce, policyOfRow, ukDate } from './versions.js';

/** How long a process may serve a policy after another has replaced it. */
export const POLICY_REFRESH_INTERVAL_MS = 5_000;

export class PolicyRefresh {
  /** The version in force per organisation, as this process last saw it. */
  private readonly seen = new Map<string, number>();
  private checkedAt = Number.NEGATIVE_INFINITY;
  private running: Promise<void> | null = null;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly options: {
      now?: () => Date;
      intervalMs?: number;
      log?: { warn(obj: object, msg: string): void };
    } = {},
  ) {}

  private now(): Date {
    return (this.options.now ?? (() => new Date()))();
  }

  private async versionsInForce(): Promise<Map<string, number>> {
    const rows = await inForce(this.db, ukDate(this.now()))
      .clearSelect()
      .select(['o.slug', (eb) => eb.fn.max('v.version').as('version')])
      .groupBy('o.slug')
      .execute();
    return new Map(rows.map((row) => [row.slug, Number(row.version)]));
  }

  /**
   * What the process holds now: the registry was filled at start-up from
   * the same rule (versions.ts registerVersionsInForce), so only later
   * moves need reading.
   */
  async baseline(): Promise<void> {
    for (const [slug, version] of await this.versionsInForce()) this.seen.set(slug, version);
    this.checkedAt = this.now().getTime();
  }

  /** Reads the database if the interval has passed; one check at a time. */
  refreshIfDue(): Promise<void> {
    const interval = this.options.intervalMs ?? POLICY_REFRESH_INTERVAL_MS;
    if (this.running) return this.running;
    if (this.now().getTime() - this.checkedAt < interval) return Promise.resolve();
    const running = this.refresh().then(
      () => undefined,
      () => undefined,
    );
    this.running = running.finally(() => {
      this.running = null;
    });
    return running;
  }

  /** Puts in the registry every version in force that this process has not seen. */
  async refresh(): Promise<string[]> {
    this.checkedAt = this.now().getTime();
    const moved: string[] = [];
    try {
      for (const [slug, version] of await this.versionsInForce()) {
        if (this.seen.get(slug) === version) continue;
        const row = await this.db
          .selectFrom('policy_version as v')
          .innerJoin('organisation as o', 'o.id', 'v.organisation_id')
          .select('v.document_text')
          .where('o.slug', '=', slug)
          .where('v.version', '=', version)
          .executeTakeFirstOrThrow();
        const result = policyOfRow(slug, version, row.document_text);
        // Stored versions were validated when stored; one that no longer is
        // stays out, and the version before it is served (start-up refuses it).
        if (!result.ok) {
          this.options.log?.warn(
            { organisation: slug, version },
            'stored policy version is invalid',
          );
        } else {
          registerPolicy(result.policy);
          moved.push(slug);
        }
        this.seen.set(slug, version);
      }
    } catch (error) {
      // The next check tries again; until then the policy held is served.
      this.options.log?.warn({ message: (error as Error).message }, 'policy refresh failed');
    }
    return moved;
  }
}
