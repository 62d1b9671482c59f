import type { CategorySlug, OrganisationSlug } from '../../policy/index.js';
import type { StaffContext } from '../auth/service.js';
import { peopleRolesFor, recordRulesFor, type Reach, type RecordAction } from './record-rules.js';
import type { RoleSlug } from './roles.js';

/**
 * The one access decision (design.md principle 1). Every page, API call,
 * search and export asks here; nothing else decides who sees personal data.
 * Deny by default: what record-rules.ts does not grant is refused.
 */

/**
 * A disclosure to an organisation inside Safekeep (src/sharing): its staff
 * may read the shared items of the record, read-only, until it expires or
 * is revoked. The caller loads the grants that name the record; this
 * function decides whether any is in force.
 */
export interface RecordGrant {
  disclosureId: string;
  recipientOrganisationId: string;
  expiresAt: Date;
  revokedAt: Date | null;
}

/** What the decision needs to know about a record. */
export interface RecordScope {
  organisationId: string;
  category: CategorySlug;
  allocatedAccountId: string | null;
  allocatedTeamId: string | null;
  /** Sharing grants on the record, if the caller loaded them; none means none. */
  grants?: readonly RecordGrant[];
  /**
   * A restriction of processing is in force on the record or on a person in
   * it (UK GDPR Art 18; src/rights/restriction.ts loads it). Every path that
   * reads or changes personal data must load it: see decideRecord.
   * Required, so a caller that forgets it does not compile rather than
   * failing open.
   */
  restricted: boolean;
  /**
   * 'active', or kept instead of destroyed when its retention fell due
   * (docs/decisions/0020): 'archived' or 'inaccessible'. Required, like
   * `restricted`, so a caller that forgets it does not compile.
   */
  state: RecordState;
}

/** A record's state (case_record.record_state, migration 0026). */
export type RecordState = 'active' | 'archived' | 'inaccessible';

export type Decision =
  | { allowed: true; via: 'role' | 'break-glass' }
  | { allowed: true; via: 'grant'; disclosureIds: string[] }
  | { allowed: false; breakGlassPossible: boolean; restricted?: true };

/**
 * Art 18(2): restricted data "shall, with the exception of storage, only be
 * processed" with consent, for legal claims or another's rights — none of
 * which a reader, writer or searcher here can claim, so every action is
 * refused. Someone who could otherwise act on the record (or open it with
 * break-glass) is told it is restricted, so they know it exists and why they
 * cannot use it; anyone else gets the ordinary refusal, revealing nothing.
 */
function withRestriction(decision: Decision, record: RecordScope): Decision {
  if (!record.restricted) return decision;
  if (!decision.allowed && !decision.breakGlassPossible) return decision;
  return { allowed: false, breakGlassPossible: false, restricted: true };
}

/**
 * What a kept record's state allows (notices 001 and 004; decision 0020),
 * over what the ordinary rules would give:
 * - archived: read-only, out of everyone's lists and search, visible to
 *   information governance (who may read and find it, never change it);
 * - inaccessible ("made inaccessible to system users"): nobody but
 *   information governance may open it, and they only with a reason — a
 *   break-glass grant, audited and listed for governance — or for a rights
 *   request in progress, whose own record is the reason. They may find it
 *   (a rights request must), never change it.
 * Sharing grants end with the record's active life: nobody elsewhere reads it.
 */
function withRecordState(
  staff: StaffContext,
  action: RecordAction,
  record: RecordScope,
  options: DecideOptions,
): Decision | undefined {
  if (record.state === 'active') return undefined;
  const refused: Decision = { allowed: false, breakGlassPossible: false };
  if (!staff.roles.includes('information-governance')) return refused;
  // Information governance of the record's own organisation, whose role
  // reads the category at all (the adoption team's seal still applies).
  const governance = decideUnrestricted(
    { ...staff, roles: ['information-governance'] },
    'read',
    record,
    {},
  );
  if (!governance.allowed || governance.via !== 'role') return refused;
  if (action === 'write') return refused;
  if (record.state === 'archived' || action === 'search') return { allowed: true, via: 'role' };
  if (options.forRightsRequest) return { allowed: true, via: 'role' };
  if (options.breakGlass) return { allowed: true, via: 'break-glass' };
  return { allowed: false, breakGlassPossible: true };
}

export interface DecideOptions {
  breakGlass?: boolean;
  now?: Date;
  /** The read is for a rights request in progress (src/rights), which is its recorded reason. */
  forRightsRequest?: boolean;
}

export function decideRecord(
  staff: StaffContext,
  action: RecordAction,
  record: RecordScope,
  options: DecideOptions = {},
): Decision {
  const decision =
    withRecordState(staff, action, record, options) ??
    decideUnrestricted(staff, action, record, options);
  return withRestriction(decision, record);
}

function decideUnrestricted(
  staff: StaffContext,
  action: RecordAction,
  record: RecordScope,
  options: { breakGlass?: boolean; now?: Date },
): Decision {
  const refused: Decision = { allowed: false, breakGlassPossible: false };
  const organisation = staff.organisation;
  if (staff.stage !== 'complete' || !organisation) return refused;
  // Each body is its own controller: across organisations only through a
  // sharing grant in force, and only to read.
  if (record.organisationId !== organisation.id) {
    return decideGrant(staff, action, record, options.now) ?? refused;
  }
  const access = recordRulesFor(organisation.slug)[record.category];
  if (!access) return refused;
  if (access.onlyTeam && !staff.teams.some((t) => t.slug === access.onlyTeam)) return refused;

  let breakGlassPossible = false;
  for (const role of staff.roles) {
    const rule = access.roles[role];
    if (!rule) continue;
    if (withinReach(rule[action], staff, record)) return { allowed: true, via: 'role' };
    // Break-glass opens reading only, never writing or searching.
    if (action === 'read' && rule.breakGlass && rule.read !== 'none') breakGlassPossible = true;
  }
  if (breakGlassPossible && options.breakGlass) return { allowed: true, via: 'break-glass' };
  return { allowed: false, breakGlassPossible };
}

/**
 * Staff of the recipient organisation who work with records there (a role
 * that reads some category in record-rules.ts), or its partner-agency
 * accounts, read what was shared with it — so at Maidstone only the
 * Designated Safeguarding Officer and deputies see what social care shared.
 */
export function receivesGrants(staff: StaffContext): boolean {
  const organisation = staff.organisation;
  if (staff.stage !== 'complete' || !organisation) return false;
  if (staff.roles.includes('partner-agency')) return true;
  const rules = recordRulesFor(organisation.slug);
  return Object.values(rules).some((access) =>
    staff.roles.some((role) => {
      const rule = access?.roles[role];
      return rule !== undefined && rule.read !== 'none';
    }),
  );
}

/**
 * A grant is in force from its approval until `expiresAt` (exclusive) unless
 * revoked. Without `now` no grant counts: deny by default, and the decision
 * stays a pure function of its arguments.
 */
function decideGrant(
  staff: StaffContext,
  action: RecordAction,
  record: RecordScope,
  now: Date | undefined,
): Decision | undefined {
  if (action !== 'read' || !now || !record.grants?.length) return undefined;
  if (!receivesGrants(staff)) return undefined;
  const inForce = record.grants.filter(
    (grant) =>
      grant.recipientOrganisationId === staff.organisation?.id &&
      grant.revokedAt === null &&
      now.getTime() < grant.expiresAt.getTime(),
  );
  if (inForce.length === 0) return undefined;
  return { allowed: true, via: 'grant', disclosureIds: inForce.map((g) => g.disclosureId) };
}

export function canRecord(
  staff: StaffContext,
  action: RecordAction,
  record: RecordScope,
  options: { breakGlass?: boolean; now?: Date } = {},
): boolean {
  return decideRecord(staff, action, record, options).allowed;
}

/**
 * What authorises correcting a record's facts for a rectification request
 * (UK GDPR Art 16). The caller loads it, in the transaction that corrects,
 * from the request (locked) and the record.
 */
export interface RectificationAuthority {
  requestOrganisationId: string;
  requestType: string;
  requestState: string;
  /** The person discovery confirmed the request is about; null until confirmed. */
  subjectPersonId: string | null;
  /** Everyone who takes part in the record (record_party). */
  recordPartyIds: readonly string[];
  /**
   * Restrictions in force on the record or anyone in it: none; only Art
   * 18(1)(a) "accuracy contested" ones placed for this same subject; or
   * any other (another ground, or another person's).
   */
  restrictions: 'none' | 'accuracy-contested-by-subject' | 'other';
}

export type RectificationDecision =
  | { allowed: true }
  | { allowed: false; restricted?: true; reason: 'not-authorised' | 'not-in-subject-file' };

const rectifiableStates: readonly string[] = ['in-progress', 'extended'];

/**
 * Correcting a fact of a record for a rectification request. Information
 * governance may not write records (record-rules.ts `write: 'none'`): the
 * only write this opens is a correction of a record in the confirmed
 * subject's file, by a role whose rule for the category says `rectify`, for
 * an open rectification request of the record's own organisation.
 *
 * Restriction: a restriction placed because the subject contests accuracy
 * (Art 18(1)(a)) lasts "for a period enabling the controller to verify the
 * accuracy"; correcting the fact at that subject's own request is the end
 * the restriction exists for, and is processing with their consent (Art
 * 18(2)). Any other restriction on the record or someone in it — another
 * ground, or another person's data — still refuses it.
 */
export function decideRectification(
  staff: StaffContext,
  record: RecordScope,
  authority: RectificationAuthority,
): RectificationDecision {
  const refused: RectificationDecision = { allowed: false, reason: 'not-authorised' };
  const organisation = staff.organisation;
  if (staff.stage !== 'complete' || !organisation) return refused;
  if (record.organisationId !== organisation.id) return refused;
  if (authority.requestOrganisationId !== organisation.id) return refused;
  if (authority.requestType !== 'rectification') return refused;
  if (!rectifiableStates.includes(authority.requestState)) return refused;
  if (!staff.roles.some((role) => rightsRoles['rights.manage'].includes(role))) return refused;
  const access = recordRulesFor(organisation.slug)[record.category];
  if (!access) return refused;
  if (access.onlyTeam && !staff.teams.some((t) => t.slug === access.onlyTeam)) return refused;
  if (!staff.roles.some((role) => access.roles[role]?.rectify === true)) return refused;
  const subject = authority.subjectPersonId;
  if (!subject || !authority.recordPartyIds.includes(subject)) {
    return { allowed: false, reason: 'not-in-subject-file' };
  }
  if (authority.restrictions === 'other') {
    return { allowed: false, restricted: true, reason: 'not-authorised' };
  }
  return { allowed: true };
}

/**
 * Correcting the confirmed subject's own details (name, dates, identifiers,
 * addresses) for their rectification request while a restriction is in
 * force on them. As for records: only when every restriction on them is an
 * Art 18(1)(a) "accuracy contested" one — the correction is what it waits
 * for — by someone who may change people here, for an open rectification
 * request of the person's organisation about this person.
 */
export function mayRectifyRestrictedPerson(
  staff: StaffContext,
  person: { id: string; organisationId: string },
  authority: Omit<RectificationAuthority, 'recordPartyIds'>,
): boolean {
  const organisation = staff.organisation;
  if (staff.stage !== 'complete' || !organisation) return false;
  if (person.organisationId !== organisation.id) return false;
  if (authority.requestOrganisationId !== organisation.id) return false;
  if (authority.requestType !== 'rectification') return false;
  if (!rectifiableStates.includes(authority.requestState)) return false;
  if (!staff.roles.some((role) => rightsRoles['rights.manage'].includes(role))) return false;
  if (!canPeople(staff, 'person.write', organisation.id)) return false;
  if (authority.subjectPersonId !== person.id) return false;
  return authority.restrictions === 'accuracy-contested-by-subject';
}

function withinReach(reach: Reach, staff: StaffContext, record: RecordScope): boolean {
  switch (reach) {
    case 'any':
      return true;
    case 'team':
      return (
        record.allocatedAccountId === staff.accountId ||
        (record.allocatedTeamId !== null &&
          staff.teams.some((t) => t.id === record.allocatedTeamId))
      );
    case 'none':
      return false;
  }
}

/**
 * Categories the staff member may search or read at all in their current
 * organisation, with the reach — for building search queries that never
 * return (or count) what the searcher may not see.
 */
export function searchableCategories(
  staff: StaffContext,
): { category: CategorySlug; reach: Reach }[] {
  const organisation = staff.organisation;
  if (staff.stage !== 'complete' || !organisation) return [];
  const rules = recordRulesFor(organisation.slug);
  const result: { category: CategorySlug; reach: Reach }[] = [];
  for (const [category, access] of Object.entries(rules) as [
    CategorySlug,
    (typeof rules)[CategorySlug],
  ][]) {
    if (!access) continue;
    if (access.onlyTeam && !staff.teams.some((t) => t.slug === access.onlyTeam)) continue;
    const reaches = staff.roles.map((role) => access.roles[role]?.search ?? 'none');
    const best: Reach = reaches.includes('any')
      ? 'any'
      : reaches.includes('team')
        ? 'team'
        : 'none';
    if (best !== 'none') result.push({ category, reach: best });
  }
  return result;
}

/**
 * People are listed to staff who work with people's records in the
 * organisation (to find a person and avoid duplicates); what each person's
 * records say stays behind decideRecord. Which roles: the organisation's
 * policy document, `access.people`.
 */
export type PeopleAction = 'person.list' | 'person.read' | 'person.write';

export function canPeople(
  staff: StaffContext,
  _action: PeopleAction,
  organisationId: string,
): boolean {
  const organisation = staff.organisation;
  if (staff.stage !== 'complete' || !organisation || organisation.id !== organisationId)
    return false;
  const roles = peopleRolesFor(organisation.slug);
  return staff.roles.some((role) => roles.includes(role));
}

/**
 * Governance oversight of records: who has seen a record, break-glass use,
 * access monitoring (design.md principle 2; issue 3 "Need-to-know"). It shows
 * who opened what and why, never a record's contents, so it needs no
 * category rule — only a governance role in the record's organisation.
 */
const governanceRoles: readonly RoleSlug[] = ['information-governance', 'data-protection-officer'];

export function canGovernRecords(staff: StaffContext, organisationId: string): boolean {
  const organisation = staff.organisation;
  if (staff.stage !== 'complete' || !organisation || organisation.id !== organisationId)
    return false;
  return staff.roles.some((role) => governanceRoles.includes(role));
}

/**
 * Sharing agreements (issue 6): information governance and the DPO manage
 * the agreements their organisation leads. Any staff member of a party may
 * read one (terms, not personal data), which the sharing service decides.
 */
export function canManageAgreements(staff: StaffContext, leadOrganisationId: string): boolean {
  return canGovernRecords(staff, leadOrganisationId);
}

/**
 * Retention work: information governance and the DPO run it for their
 * organisation; the LADO decides the reviews of allegations (the notice's
 * "unless the LADO records a decision to keep because a pattern is emerging").
 */
export type RetentionAction = 'retention.view' | 'retention.decide' | 'retention.hold';

const retentionRoles: Record<RetentionAction, readonly RoleSlug[]> = {
  'retention.view': ['information-governance', 'data-protection-officer', 'lado-officer'],
  'retention.decide': ['information-governance', 'lado-officer'],
  'retention.hold': ['information-governance', 'data-protection-officer'],
};

export function canRetention(staff: StaffContext, action: RetentionAction): boolean {
  if (staff.stage !== 'complete' || !staff.organisation) return false;
  return staff.roles.some((role) => retentionRoles[action].includes(role));
}

/**
 * The breach register (issue 11; UK GDPR Art 33/34): information governance
 * and the DPO of the organisation, and nobody else — a breach names the
 * people it affected and what went wrong, so even the staff whose account
 * or disclosure it concerns do not see it. Closing one is the DPO's sign-off
 * (a different person from whoever recorded it: the service checks that).
 */
export type BreachAction = 'breach.view' | 'breach.manage' | 'breach.close';

const breachRoles: Record<BreachAction, readonly RoleSlug[]> = {
  'breach.view': ['information-governance', 'data-protection-officer'],
  'breach.manage': ['information-governance', 'data-protection-officer'],
  'breach.close': ['data-protection-officer'],
};

export function canBreach(
  staff: StaffContext,
  action: BreachAction,
  organisationId?: string,
): boolean {
  const organisation = staff.organisation;
  if (staff.stage !== 'complete' || !organisation) return false;
  if (organisationId !== undefined && organisationId !== organisation.id) return false;
  return staff.roles.some((role) => breachRoles[action].includes(role));
}

/**
 * The partnerships' own services — training, newsletter, surveys, meetings
 * (issue 6; KSCMP and SSCP notices): their partnership business team, in
 * KSCMP or SSCP only. The caller scopes every query to the staff member's
 * current organisation, so each partnership sees only its own data.
 */
const partnershipOrganisations: readonly OrganisationSlug[] = ['kscmp', 'sscp'];

export function canPartnership(staff: StaffContext): boolean {
  const organisation = staff.organisation;
  if (staff.stage !== 'complete' || !organisation) return false;
  if (!partnershipOrganisations.includes(organisation.slug as OrganisationSlug)) return false;
  return staff.roles.includes('partnership-business');
}

/**
 * Data subject rights requests (issue 5): information governance and the
 * DPO of the organisation run them. Requests hold the requester's and the
 * subject's details as given, so nobody else sees them; a request is always
 * the current organisation's (each body is its own controller).
 */
export type RightsAction = 'rights.view' | 'rights.manage' | 'rights.approve' | 'rights.gather';

const rightsRoles: Record<RightsAction, readonly RoleSlug[]> = {
  'rights.view': ['information-governance', 'data-protection-officer'],
  'rights.manage': ['information-governance', 'data-protection-officer'],
  // Approval is by a second person (enforced by the service), who must
  // also hold one of these roles.
  'rights.approve': ['information-governance', 'data-protection-officer'],
  // Gathering an access request's items from records only named officers
  // may read (Maidstone's concern log), when governance asks: see
  // decideReviewWork and decision record 0023.
  'rights.gather': ['designated-safeguarding-officer'],
};

export function canRights(
  staff: StaffContext,
  action: RightsAction,
  organisationId?: string,
): boolean {
  const organisation = staff.organisation;
  if (staff.stage !== 'complete' || !organisation) return false;
  if (organisationId !== undefined && organisationId !== organisation.id) return false;
  return staff.roles.some((role) => rightsRoles[action].includes(role));
}

/**
 * Working on an access request's review: discovery, confirming the subject,
 * gathering the items, redacting and deciding them ('work'), or seeing the
 * review ('read'). Information governance and the DPO always may. An
 * officer with the gathering role (Maidstone's Designated Safeguarding
 * Officer and deputies) may only while governance has asked them to gather
 * that request, and reads it until governance has it back — never the
 * request's other pages, dashboard or requester (decision record 0023).
 */
export interface ReviewWorkScope {
  organisationId: string;
  /** The request's gathering by named officers, if governance asked for one. */
  gathering: 'requested' | 'submitted' | null;
}

export function decideReviewWork(
  staff: StaffContext,
  request: ReviewWorkScope,
  action: 'work' | 'read',
): boolean {
  const organisation = staff.organisation;
  if (staff.stage !== 'complete' || !organisation || organisation.id !== request.organisationId)
    return false;
  if (canRights(staff, action === 'work' ? 'rights.manage' : 'rights.view')) return true;
  if (!canRights(staff, 'rights.gather') || request.gathering === null) return false;
  return action === 'work' ? request.gathering === 'requested' : true;
}

/**
 * How a review item's text may be shown to this staff member: 'held' (the
 * text as recorded, to redact and decide), 'as-disclosed' (only what the
 * bundle would carry: the redacted text of a decided item), or 'none'.
 *
 * Held text is for whoever may read the record (record-rules.ts), and for
 * information governance and the DPO where governance reads the category at
 * all (they answer rights requests there). Where no governance role may
 * read a category — Maidstone's concern log, "only the Designated
 * Safeguarding Officer and two deputy" — governance sees an item only once
 * an officer who may read it has decided it, and only as disclosed: the
 * rights process does not widen who reads the log (decision record 0023).
 */
export function decideReviewItemText(
  staff: StaffContext,
  record: Omit<RecordScope, 'restricted' | 'grants'>,
  item: { decided: boolean },
): 'held' | 'as-disclosed' | 'none' {
  const organisation = staff.organisation;
  if (staff.stage !== 'complete' || !organisation || organisation.id !== record.organisationId)
    return 'none';
  // Restrictions are applied by the review itself (rights/restriction.ts
  // restrictedFor: the subject's own request may see their own data).
  // A kept record is still held: the rights request is the reason to open it.
  if (
    decideRecord(staff, 'read', { ...record, restricted: false }, { forRightsRequest: true })
      .allowed
  )
    return 'held';
  if (!canRights(staff, 'rights.view')) return 'none';
  const access = recordRulesFor(organisation.slug)[record.category];
  const governanceReads = governanceRoles.some(
    (role) => (access?.roles[role]?.read ?? 'none') !== 'none',
  );
  if (governanceReads && !access?.onlyTeam) return 'held';
  if (governanceReads && access?.onlyTeam) {
    return staff.teams.some((t) => t.slug === access.onlyTeam) ? 'held' : 'none';
  }
  return item.decided ? 'as-disclosed' : 'none';
}

/**
 * Whether the organisation holds records no governance role may read (the
 * concern log at Maidstone): its access requests are gathered by the
 * officers who may (decision record 0023).
 */
export function needsGathering(staff: StaffContext): boolean {
  const organisation = staff.organisation;
  if (!organisation) return false;
  const rules = recordRulesFor(organisation.slug);
  return Object.values(rules).some(
    (access) =>
      access !== undefined &&
      !governanceRoles.some((role) => (access.roles[role]?.read ?? 'none') !== 'none'),
  );
}

/**
 * Statistics (issue 14; src/statistics; decision 0040): counts by period,
 * every small count hidden, so they identify no one — but they are still
 * shown only to those whose work is to evaluate the service or report on it
 * (Kent SCS: "evaluate and quality assure the services we provide"; KSCMP:
 * "analyse effectiveness of the wider safeguarding system"): managers, the
 * LADO, the partnership business team and governance. Deny by default:
 * practitioners and partner agencies do not need them.
 */
const statisticsRoles: readonly RoleSlug[] = [
  'team-manager',
  'lado-officer',
  'partnership-business',
  'information-governance',
  'data-protection-officer',
];

export function canStatistics(staff: StaffContext): boolean {
  if (staff.stage !== 'complete' || !staff.organisation) return false;
  return staff.roles.some((role) => statisticsRoles.includes(role));
}
