import type { ColumnType, Generated } from 'kysely';
import type { CaseworkTables } from '../casework/tables.js';
import type { ComplaintTables } from '../governance/complaints/tables.js';
import type { PartnershipTables } from '../partnership/tables.js';
import type { DuplicateDecisionTables, PeopleTables } from '../people/tables.js';
import type { RetentionTables } from '../retention/tables.js';
import type { RightsTables } from '../rights/tables.js';
import type { SharingTables } from '../sharing/tables.js';
import type { PracticeReviewTables } from '../practice-reviews/tables.js';
import type { BreachTables } from '../governance/breaches/tables.js';
import type { PolicyTables } from '../governance/policy/tables.js';
import type { IntakeTables } from '../intake/tables.js';
import type { SsoTables } from '../platform/auth/single-sign-on/tables.js';
import type { PublicationTables } from '../publication/tables.js';
import type { ReturnsTables } from '../returns/tables.js';
import type { OpsTables } from '../platform/ops/tables.js';

/**
 * Table types for Kysely, kept by hand beside the migrations that create
 * them (src/db/migrations). Calendar dates are 'YYYY-MM-DD' strings.
 */
export type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
export type Timestamp = ColumnType<Date, Date | string, Date | string>;
export type CalendarDate = string;

export interface OrganisationTable {
  id: Generated<string>;
  slug: string;
  name: string;
  short_name: string;
  created_at: CreatedAt;
}

export interface TeamTable {
  id: Generated<string>;
  organisation_id: string;
  slug: string;
  name: string;
}

export interface RoleTable {
  slug: string;
  name: string;
  description: string;
  /** Privileged roles must pass two-factor authentication. */
  privileged: boolean;
  /** Only these may be given to a service account (migration 0017). */
  for_integrations: Generated<boolean>;
}

/** A policy's cap on the holders of a group of roles in one organisation (migration 0017). */
export interface RoleHolderLimitTable {
  id: Generated<string>;
  organisation_id: string;
  roles: string[];
  max_holders: number;
  source: string;
}

export interface AccountTable {
  id: Generated<string>;
  email: string;
  display_name: string;
  password_hash: string;
  failed_sign_ins: Generated<number>;
  locked_until: Timestamp | null;
  totp_secret: string | null;
  totp_enabled_at: Timestamp | null;
  totp_last_step: number | null;
  /** 'service' accounts act only through API tokens, never a password. */
  kind: Generated<'staff' | 'service'>;
  created_at: CreatedAt;
  /** A leaver, disabled by single sign-on (migration 0055): no route signs them in. */
  disabled_at: Timestamp | null;
}

export interface ApiTokenTable {
  id: Generated<string>;
  account_id: string;
  organisation_id: string;
  /** SHA-256 of the bearer token; the token itself is shown once, at creation. */
  token_hash: string;
  created_at: CreatedAt;
  expires_at: Timestamp;
  revoked_at: Timestamp | null;
  last_used_at: Timestamp | null;
}

export interface MembershipTable {
  id: Generated<string>;
  account_id: string;
  organisation_id: string;
  team_id: string | null;
  role_slug: string;
  /** 'sso' memberships follow the provider's groups at each sign-in (migration 0055). */
  source: Generated<'local' | 'sso'>;
}

export interface RecoveryCodeTable {
  id: Generated<string>;
  account_id: string;
  code_hash: string;
  used_at: Timestamp | null;
}

export interface SessionTable {
  /** SHA-256 of the cookie token: a stolen database copy cannot be replayed. */
  token_hash: string;
  id: Generated<string>;
  account_id: string;
  organisation_id: string | null;
  created_at: CreatedAt;
  last_seen_at: Timestamp;
  expires_at: Timestamp;
  mfa_verified_at: Timestamp | null;
  ended_at: Timestamp | null;
}

/** Migration 0036: a staff member's acknowledgement of the confidentiality statement. */
export interface StaffConfidentialityAcknowledgementTable {
  id: Generated<string>;
  account_id: string;
  organisation_id: string;
  statement_version: string;
  acknowledged_at: CreatedAt;
}

export interface AuditEventTable {
  seq: Generated<number>;
  id: string;
  /** The database clock at insert, to the microsecond (migration 0019). */
  occurred_at: CreatedAt;
  actor_account_id: string | null;
  organisation_id: string | null;
  action: string;
  object_type: string | null;
  object_ids: string[];
  purpose: string | null;
  outcome: string;
  request_id: string | null;
  /** The old in-transaction chain's hashes: set on events before migration 0019 only. */
  prev_hash: string | null;
  hash: string | null;
  /** The inserting transaction (xid8, as text): the chainer's way to see what is still in flight. */
  xact_id: Generated<string>;
  /** The app's signature over the event (audit-log.ts), when a checkpoint key is configured. */
  seal: string | null;
}

/** The chain over audit events, in commit order, made by the chainer (audit/chainer.ts). */
export interface AuditChainLinkTable {
  seq: number;
  event_seq: number;
  /** With event_seq, the event's key in the partitioned log (migration 0070); written as the exact UTC text. */
  event_occurred_at: ColumnType<Date, string, never>;
  event_id: string;
  prev_hash: string;
  hash: string;
  horizon: string;
}

/** A signed statement of the chain's head (audit/checkpoints.ts); also written outside the database. */
export interface AuditCheckpointTable {
  id: Generated<number>;
  link_seq: number;
  head_hash: string;
  signed_at: Timestamp;
  key_id: string;
  signature: string;
}

/** Each month of the audit log dropped by retention, and where verify starts after it (migration 0074). */
export interface AuditRetentionCutTable {
  id: Generated<number>;
  cut_at: Generated<Date>;
  dropped_before: Timestamp;
  months: string[];
  through_link: number;
  head_hash: string;
  links_removed: number;
}

/** An event the chainer would not link: its seal missing or not verifying (migration 0078). */
export interface AuditChainRefusalTable {
  event_seq: number;
  refused_at: Generated<Date>;
  reason: 'seal-missing' | 'seal-fails';
}

/** The chainer's signed word that it checked every seal in links from_link–to_link (migration 0078). */
export interface AuditSealAttestationTable {
  id: Generated<number>;
  from_link: number;
  to_link: number;
  head_hash: string;
  key_id: string;
  signature: string;
}

/** Failed sign-ins per hashed account key or client address (migration 0017). */
export interface SignInThrottleTable {
  key: string;
  failures: number;
  last_failure_at: Timestamp;
  blocked_until: Timestamp | null;
}

/** The platform's own tables; each capability declares its tables beside its code. */
export interface PlatformTables {
  organisation: OrganisationTable;
  team: TeamTable;
  role: RoleTable;
  account: AccountTable;
  membership: MembershipTable;
  recovery_code: RecoveryCodeTable;
  session: SessionTable;
  staff_confidentiality_acknowledgement: StaffConfidentialityAcknowledgementTable;
  audit_event: AuditEventTable;
  audit_chain_link: AuditChainLinkTable;
  audit_checkpoint: AuditCheckpointTable;
  audit_retention_cut: AuditRetentionCutTable;
  audit_chain_refusal: AuditChainRefusalTable;
  audit_seal_attestation: AuditSealAttestationTable;
  api_token: ApiTokenTable;
  sign_in_throttle: SignInThrottleTable;
  role_holder_limit: RoleHolderLimitTable;
}

/** Every table, for Kysely: the platform's and each capability's. */
export interface Database
  extends
    PlatformTables,
    SsoTables,
    PeopleTables,
    CaseworkTables,
    RetentionTables,
    PartnershipTables,
    RightsTables,
    SharingTables,
    PracticeReviewTables,
    ComplaintTables,
    BreachTables,
    PolicyTables,
    IntakeTables,
    DuplicateDecisionTables,
    PublicationTables,
    ReturnsTables,
    OpsTables {}
