import type { KeyObject } from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import { GENESIS_HASH, LINK_HASH_SQL, selectStoredEvents, storedEvent } from './audit-chain.js';
import { attestedSpans, coverage, covers, type LinkSpan } from './attestations.js';
import { sealHolds, type SealedContent } from './seals.js';

/** One thing wrong with the log: where, and what, in words an operator can act on. */
export interface AuditFinding {
  /** The event concerned (its seq and id), when there is one. */
  seq: number | null;
  id: string | null;
  /** The chain link concerned, when there is one. */
  linkSeq: number | null;
  reason: string;
}

export type VerifyResult =
  | { ok: true; events: number }
  | { ok: false; events: number; brokenAt: AuditFinding; findings: AuditFinding[] };

export interface VerifyOptions {
  /** Links read per query. */
  pageSize?: number;
  /**
   * An event may wait this long to be linked (its transaction may still be
   * in flight, or the chainer not yet run) before its absence from the chain
   * is a finding.
   */
  graceSeconds?: number;
  /**
   * Check each event's seal with the checkpoint public key (seals.ts).
   * Events linked after `requiredAfterLink` (the first signed checkpoint:
   * from then on the app had the key) must carry one. Links a chainer with
   * the key attested (attestations.ts, decision 0052) had their seals
   * checked as they were linked and are not checked again, unless
   * `everySeal` (the bench's figure for a log with no attestations, as one
   * linked before 0052 is).
   */
  seals?: { publicKey: KeyObject; requiredAfterLink: number | null; everySeal?: boolean };
  /**
   * Checkpoints exist but this verify has no key, so its chainer linked
   * nothing (chainer.ts): an event waiting is named as such.
   */
  linkedOnlyWithKey?: boolean;
  /**
   * Start after this link instead of the beginning: a signed checkpoint's
   * link and head hash, already held to the chain (verifyCheckpoints). What
   * lies before it is the full walk's business (issue 16: a year of audit
   * is 100 million events; the incremental walk takes seconds).
   */
  from?: { linkSeq: number; headHash: string };
  /**
   * Walk the chain as this many ranges of links at once, each on its own
   * connection, each starting from the stored link before it: the joins
   * between ranges are checked exactly as any other link. WALK_RANGES unless given.
   */
  ranges?: number;
}

/**
 * Links per page where seals are verified in Node (about 4,000 a second a
 * core): small enough that, while one range's page is checked, the other
 * ranges' queries are read before the statement timeout. With pages of
 * 20,000 the bench's every-seal walk timed out on a loaded machine.
 */
const SEALED_PAGE = 2000;

/** Enough to act on; a log rewritten wholesale would otherwise list every row. */
const MAX_FINDINGS = 100;

/**
 * Ranges a full walk checks at once. The database does the checking
 * (checkPage), so four connections keep its cores busy; on PGlite (one
 * connection) they take turns and cost nothing.
 */
export const WALK_RANGES = 4;

/**
 * Walks the chain link by link and checks that each link follows the one
 * before, that its event is there and hashes, as stored now, to what the
 * link says, and that every event is linked exactly once. Names what is
 * wrong (a row altered, removed, swapped or inserted) rather than stopping
 * at the first fault. Run the chainer first (chainAuditEvents), or recent
 * events are merely waiting.
 *
 * This cannot see the newest events removed together with their links, nor
 * a chain rewritten and rehashed from some point on: signed checkpoints kept
 * outside the database can (checkpoints.ts).
 */
export async function verifyAuditChain(
  db: Kysely<Database>,
  options: VerifyOptions = {},
): Promise<VerifyResult> {
  const pageSize = options.pageSize ?? 20_000;
  const graceSeconds = options.graceSeconds ?? 300;
  const findings: AuditFinding[] = [];
  const note = (finding: AuditFinding) => {
    if (findings.length < MAX_FINDINGS) findings.push(finding);
  };
  // A full walk starts where the audit log's own retention last cut it
  // (migration 0074): the months before were dropped whole, with their links.
  const cut = options.from ? undefined : await latestRetentionCut(db);
  const startLink = options.from ?? cut;
  const firstSeq = (startLink?.linkSeq ?? 0) + 1;
  const start: WalkState = {
    prevHash: startLink?.headHash ?? GENESIS_HASH,
    expectedSeq: firstSeq,
  };
  // From a checkpoint, only events whose transaction was still in flight at
  // the checkpoint's link, or began later, can be waiting to be linked: every
  // older one was linked before it (chainer.ts), and is the full walk's.
  const horizon = options.from
    ? ((
        await db
          .selectFrom('audit_chain_link')
          .select(sql<string>`horizon::text`.as('horizon'))
          .where('seq', '=', options.from.linkSeq)
          .executeTakeFirst()
      )?.horizon ?? null)
    : null;
  const head = await db
    .selectFrom('audit_chain_link')
    .select(sql<number | null>`max(seq)`.as('seq'))
    .executeTakeFirst();
  const headSeq = Number(head?.seq ?? 0);
  // Each range walks on its own connection: the database checks several
  // ranges at once (issue 16: a full verify of 10 million events in under
  // 2 minutes; decision 0051).
  const ranges = splitRange(firstSeq, headSeq, options.ranges ?? WALK_RANGES, pageSize);
  // The links whose seals the chainer checked and signed for (decision 0052).
  const attested =
    options.seals && options.seals.everySeal !== true
      ? await attestedSpans(db, options.seals.publicKey, { from: firstSeq, to: headSeq })
      : [];
  const seals = options.seals ? { ...options.seals, attested } : undefined;
  const walked = await Promise.all(
    ranges.map(async (range, index) =>
      walkRange(
        db,
        range,
        index === 0 ? start : await stateBefore(db, range.from, firstSeq, start),
        pageSize,
        seals,
      ),
    ),
  );
  let events = 0;
  for (const range of walked) {
    events += range.events;
    for (const finding of range.findings) note(finding);
  }

  const twice = await db
    .selectFrom('audit_chain_link')
    .select(['event_seq', sql<number>`count(*)::int`.as('times')])
    .where(({ eb, selectFrom }) =>
      firstSeq === 1
        ? sql<boolean>`true`
        : eb(
            'event_seq',
            'in',
            selectFrom('audit_chain_link as recent')
              .select('recent.event_seq')
              .where('recent.seq', '>=', firstSeq),
          ),
    )
    .groupBy('event_seq')
    .having(sql<boolean>`count(*) > 1`)
    .limit(MAX_FINDINGS)
    .execute();
  for (const row of twice) {
    note({
      seq: row.event_seq,
      id: null,
      linkSeq: null,
      reason: `it is linked ${row.times} times (links were forged)`,
    });
  }

  // Events waiting past the grace period, and every event the chainer
  // refused, whatever its date: a forged one may claim to be from tomorrow.
  const unlinked = await selectStoredEvents(db)
    .leftJoin('audit_chain_refusal as r', 'r.event_seq', 'e.seq')
    .select(sql<boolean>`r.event_seq is not null`.as('refused'))
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('audit_chain_link as l').select('l.seq').whereRef('l.event_seq', '=', 'e.seq'),
        ),
      ),
    )
    .where((eb) =>
      eb.or([
        eb('r.event_seq', 'is not', null),
        eb.and([
          sql<boolean>`e.occurred_at < clock_timestamp() - make_interval(secs => ${graceSeconds})`,
          horizon !== null ? sql<boolean>`e.xact_id >= ${horizon}::xid8` : sql<boolean>`true`,
        ]),
      ]),
    )
    .orderBy('e.seq')
    .limit(MAX_FINDINGS)
    .execute();
  for (const row of unlinked) {
    note({
      seq: row.seq,
      id: row.id,
      linkSeq: null,
      reason: whyUnlinked(
        { content: storedEvent(row), seal: row.seal, refused: row.refused },
        options,
        graceSeconds,
      ),
    });
  }

  const [first] = findings;
  return first ? { ok: false, events, brokenAt: first, findings } : { ok: true, events };
}

/**
 * Why an event is not linked, as far as this verify can tell. With the
 * public key it can see what the chainer saw: a seal that does not verify,
 * or none once sealing began, means the chainer refused it (decision 0052).
 */
function whyUnlinked(
  event: { content: SealedContent; seal: string | null; refused: boolean },
  options: VerifyOptions,
  graceSeconds: number,
): string {
  const byOther = '(written into the database other than by the app)';
  if (options.seals) {
    if (event.seal === null && options.seals.requiredAfterLink !== null) {
      return `it was refused at linking and left unlinked: it has no seal although it was recorded after checkpoints began ${byOther}`;
    }
    if (event.seal !== null && !sealHolds(event.content, event.seal, options.seals.publicKey)) {
      return `it was refused at linking and left unlinked: its seal does not verify ${byOther}`;
    }
    if (event.refused) {
      return 'it was refused at linking although its seal verifies (the refusal was written into the database other than by the chainer)';
    }
  } else if (event.refused) {
    return `it was refused at linking and left unlinked: its seal is missing or does not verify ${byOther}; verify with the public key to confirm`;
  }
  if (options.linkedOnlyWithKey) {
    return `it was never linked into the chain: once checkpoints began only a chainer with the checkpoint key links, none has run for ${graceSeconds} seconds, and this verify has no key`;
  }
  return `it was never linked into the chain (inserted after the chain was made, or the chainer has not run for ${graceSeconds} seconds)`;
}

/** The seals a walk checks: with the key, and the links the chainer attested it checked. */
type SealCheck = NonNullable<VerifyOptions['seals']> & { attested: readonly LinkSpan[] };

/** The newest retention cut: the checkpoint a full walk starts after, and what went before it. */
export async function latestRetentionCut(
  db: Kysely<Database>,
): Promise<
  | { linkSeq: number; headHash: string; droppedBefore: Date; cutAt: Date; months: string[] }
  | undefined
> {
  const row = await db
    .selectFrom('audit_retention_cut')
    .select(['through_link', 'head_hash', 'dropped_before', 'cut_at', 'months'])
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row
    ? {
        linkSeq: row.through_link,
        headHash: row.head_hash,
        droppedBefore: row.dropped_before,
        cutAt: row.cut_at,
        months: row.months,
      }
    : undefined;
}

interface WalkState {
  prevHash: string;
  expectedSeq: number;
}

interface LinkRange {
  from: number;
  to: number;
}

/** [from, to] cut into at most `count` ranges, none smaller than a page. */
export function splitRange(from: number, to: number, count: number, pageSize: number): LinkRange[] {
  if (to < from) return [];
  const total = to - from + 1;
  const parts = Math.max(1, Math.min(Math.floor(count), Math.ceil(total / pageSize)));
  const size = Math.ceil(total / parts);
  const ranges: LinkRange[] = [];
  for (let at = from; at <= to; at += size)
    ranges.push({ from: at, to: Math.min(to, at + size - 1) });
  return ranges;
}

/**
 * Where a walk from the start would stand on reaching `rangeFrom`: after the
 * last stored link before it (its hash as stored, as the walk carries it
 * whether or not that link's own content held), or at the start if none.
 */
async function stateBefore(
  db: Kysely<Database>,
  rangeFrom: number,
  firstSeq: number,
  start: WalkState,
): Promise<WalkState> {
  const before = await db
    .selectFrom('audit_chain_link')
    .select(['seq', 'hash'])
    .where('seq', '<', rangeFrom)
    .where('seq', '>=', firstSeq)
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  return before ? { prevHash: before.hash, expectedSeq: before.seq + 1 } : start;
}

/** A link of a page the database found something wrong with, or the page's last. */
interface WalkedLink {
  seq: number;
  event_seq: number;
  event_id: string;
  hash: string;
  /** The link before it in the page (or the page before), whatever its seq. */
  prev_seq: number;
  joined: boolean;
  present: boolean;
  same: boolean;
  holds: boolean | null;
  last: boolean;
  links: number;
  /** The event's sealed content, when seals are checked (every link then comes back). */
  id: string | null;
  actor_account_id: string | null;
  organisation_id: string | null;
  action: string | null;
  object_type: string | null;
  object_ids: string[] | null;
  purpose: string | null;
  outcome: string | null;
  request_id: string | null;
  seal: string | null;
}

/**
 * One page of links, `from` to `to`, checked by the database itself: each
 * link's seq and previous hash against the link before it (a window over
 * the primary key), its event found by seq and its id compared, and the
 * event re-hashed as stored with PostgreSQL's sha256 (LINK_HASH_SQL, the
 * same bytes hashLink hashes). Only the links with something wrong come
 * back, and the page's last, which the next page starts from; with seals
 * to check, every link comes back with its sealed content.
 *
 * The chainer links events within seconds of their commit, so a page of
 * links names a narrow band of event seqs: one range scan of each month's
 * primary key reads them all. A page whose band is wide (events linked long
 * after, or a forged link) finds its events by the list of seqs instead.
 */
async function checkPage(
  db: Kysely<Database>,
  page: LinkRange,
  state: WalkState,
  withSeals: boolean,
): Promise<WalkedLink[]> {
  return db.transaction().execute(async (trx) => {
    await catalogFirst(trx);
    return checkPageIn(trx, page, state, withSeals);
  });
}

/**
 * The database checks what it holds, so it must not be talked round: with
 * pg_catalog first on the path for this transaction, "=", "||", lag and the
 * rest are PostgreSQL's own, whatever schema an owner put ahead of it
 * (ALTER DATABASE … SET search_path; full-walk.test.ts shows an "=" that
 * always agrees failing to hide an edit). Tables still resolve as before.
 */
async function catalogFirst(trx: Transaction<Database>): Promise<void> {
  await sql`select pg_catalog.set_config('search_path',
    pg_catalog.concat('pg_catalog, ', pg_catalog.current_setting('search_path')), true)`.execute(
    trx,
  );
}

async function checkPageIn(
  db: Transaction<Database>,
  page: LinkRange,
  state: WalkState,
  withSeals: boolean,
): Promise<WalkedLink[]> {
  const band = await db
    .selectFrom('audit_chain_link')
    .select([
      sql<number | null>`min(event_seq)`.as('low'),
      sql<number | null>`max(event_seq)`.as('high'),
      sql<number>`count(*)::int`.as('links'),
    ])
    .where('seq', '>=', page.from)
    .where('seq', '<=', page.to)
    .executeTakeFirst();
  if (!band || band.low === null || band.high === null || band.links === 0) return [];
  const low = Number(band.low);
  const high = Number(band.high);
  const narrow = high - low < band.links * 4 + 1000;
  const events = narrow
    ? sql`e.seq between ${low} and ${high}`
    : sql`e.seq in (select p.event_seq from l p)`;
  const sealed = withSeals
    ? sql`e.id::text as id, e.actor_account_id::text as actor_account_id,
        e.organisation_id::text as organisation_id, e.action, e.object_type, e.object_ids,
        e.purpose, e.outcome, e.request_id, e.seal`
    : sql`null as id, null as actor_account_id, null as organisation_id, null as action,
        null as object_type, null as object_ids, null as purpose, null as outcome,
        null as request_id, null as seal`;
  const { rows } = await sql<WalkedLink>`
    with l as materialized (
      select seq, event_seq, event_id, prev_hash, hash, horizon,
        lag(seq, 1, ${state.expectedSeq - 1}::bigint) over w as prev_seq,
        prev_hash = lag(hash, 1, ${state.prevHash}::text) over w as joined,
        lead(seq) over w is null as last,
        (count(*) over ())::int as links
      from audit_chain_link
      where seq >= ${page.from} and seq <= ${page.to}
      window w as (order by seq)
    ),
    checked as (
      select l.seq, l.event_seq, l.event_id::text as event_id, l.hash, l.prev_seq, l.joined,
        l.last, l.links, e.seq is not null as present, coalesce(e.id = l.event_id, false) as same,
        ${LINK_HASH_SQL} = l.hash as holds, ${sealed}
      from l left join audit_event e on e.seq = l.event_seq and ${events}
    )
    select * from checked
    where ${withSeals ? sql`true` : sql`false`} or last or seq <> prev_seq + 1 or not joined
      or not present or not same or holds is not true
    order by seq`.execute(db);
  return rows;
}

/**
 * Walks links `range.from` to `range.to` a page at a time: each link
 * follows the one before, its event is there and hashes, as stored now, to
 * what the link says, and carries a seal that holds where one is due.
 */
async function walkRange(
  db: Kysely<Database>,
  range: LinkRange,
  state: WalkState,
  pageSize: number,
  seals: SealCheck | undefined,
): Promise<{ events: number; findings: AuditFinding[] }> {
  const findings: AuditFinding[] = [];
  const note = (finding: AuditFinding) => {
    if (findings.length < MAX_FINDINGS) findings.push(finding);
  };
  let { prevHash, expectedSeq } = state;
  let events = 0;
  // Pages by seq, not by a limit: the links' seqs are 1, 2, 3…, so a page is
  // one narrow range of the primary key whatever the planner knows of the
  // table (with `limit` and no statistics it sorted the whole rest of the
  // range for every page).
  for (let from = range.from; from <= range.to;) {
    let page = { from, to: Math.min(range.to, from + pageSize - 1) };
    // A page the chainer attested throughout needs no seal, nor the sealed
    // content from the database.
    let withSeals = seals !== undefined && coverage(seals.attested, page) !== 'all';
    if (withSeals && page.to - page.from + 1 > SEALED_PAGE) {
      page = { from, to: from + SEALED_PAGE - 1 };
      withSeals = seals !== undefined && coverage(seals.attested, page) !== 'all';
    }
    from = page.to + 1;
    const links = await checkPage(db, page, { prevHash, expectedSeq }, withSeals);
    for (const link of links) {
      if (link.last) events += link.links;
      const at = { seq: link.event_seq, id: link.event_id, linkSeq: link.seq };
      if (link.seq !== link.prev_seq + 1) {
        note({
          ...at,
          reason: `links ${link.prev_seq + 1} to ${link.seq - 1} are missing before it (removed)`,
        });
      }
      if (!link.joined) {
        note({
          ...at,
          reason:
            'its link to the previous event is broken (an event before it was removed, altered or reordered)',
        });
      }
      if (!link.present) {
        note({ ...at, reason: 'its event is missing (removed)' });
      } else if (!link.same) {
        note({ ...at, reason: 'a different event stands in its place (replaced or swapped)' });
      } else {
        if (link.holds !== true) {
          note({ ...at, reason: 'its content does not match its hash (it was altered)' });
        }
        if (seals && withSeals && !covers(seals.attested, link.seq)) {
          checkSeal(link, seals, note, at);
        }
      }
      if (link.last) {
        prevHash = link.hash;
        expectedSeq = link.seq + 1;
      }
    }
  }
  return { events, findings };
}

function checkSeal(
  link: WalkedLink,
  seals: NonNullable<VerifyOptions['seals']>,
  note: (finding: AuditFinding) => void,
  at: Pick<AuditFinding, 'seq' | 'id' | 'linkSeq'>,
): void {
  if (link.seal !== null) {
    const content = {
      id: link.id ?? '',
      actorAccountId: link.actor_account_id,
      organisationId: link.organisation_id,
      action: link.action ?? '',
      objectType: link.object_type,
      objectIds: link.object_ids ?? [],
      purpose: link.purpose,
      outcome: link.outcome ?? '',
      requestId: link.request_id,
    };
    if (!sealHolds(content, link.seal, seals.publicKey)) {
      note({
        ...at,
        reason: 'its seal does not verify (not recorded by the app, or altered before linking)',
      });
    }
  } else if (seals.requiredAfterLink !== null && link.seq > seals.requiredAfterLink) {
    note({
      ...at,
      reason:
        'it has no seal although it was recorded after checkpoints began (written into the database other than by the app)',
    });
  }
}
