import type { Generated } from 'kysely';
import type { CreatedAt, Timestamp } from '../../../db/schema.js';

/** One organisation's OpenID Connect provider (migration 0055). */
export interface SsoProviderTable {
  id: Generated<string>;
  organisation_id: string;
  issuer: string;
  client_id: string;
  /** The environment variable that holds the client secret; null for a public client. */
  client_secret_env: string | null;
  redirect_uri: string;
  scopes: Generated<string>;
  subject_claim: Generated<string>;
  groups_claim: Generated<string>;
  name_claim: Generated<string>;
  email_claim: Generated<string>;
  mfa_amr_values: Generated<string[]>;
  mfa_acr_values: Generated<string[]>;
  created_at: CreatedAt;
}

/** A provider group that grants a Safekeep role (and optionally a team). */
export interface SsoRoleMappingTable {
  id: Generated<string>;
  provider_id: string;
  group_value: string;
  role_slug: string;
  team_id: string | null;
}

/** A staff account's identity at a provider: matched by subject, never by email. */
export interface AccountIdentityTable {
  id: Generated<string>;
  account_id: string;
  provider_id: string;
  subject: string;
  created_at: CreatedAt;
  last_sign_in_at: Timestamp | null;
}

/** A sign-in in flight, keyed by a hash of its state. */
export interface SsoPendingTable {
  state_hash: string;
  provider_id: string;
  code_verifier: string;
  nonce: string;
  expires_at: Timestamp;
}

/** The bearer token a provider's SCIM client presents, stored only as its SHA-256 (migration 0077). */
export interface SsoScimTokenTable {
  provider_id: string;
  token_hash: string;
  /** Set again when a new token replaces the old. */
  issued_at: Timestamp;
}

export interface SsoTables {
  sso_provider: SsoProviderTable;
  sso_role_mapping: SsoRoleMappingTable;
  account_identity: AccountIdentityTable;
  sso_pending: SsoPendingTable;
  sso_scim_token: SsoScimTokenTable;
}
