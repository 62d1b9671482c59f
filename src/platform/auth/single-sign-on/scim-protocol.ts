import { parse as parseFilterText, type Filter } from 'scim2-parse-filter';

/**
 * The parts of SCIM 2.0 (RFC 7643, RFC 7644) that Safekeep speaks, as pure
 * functions: reading a filter and a PATCH body, and the shapes of what it
 * answers. Everything else is refused with the RFC's error, never guessed at.
 */

export const SCIM_CONTENT_TYPE = 'application/scim+json; charset=utf-8';
export const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const LIST_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
export const PATCH_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
export const ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';

/** The longest filter read: Entra's are one `attr eq "value"`, well under this. */
const MAX_FILTER_LENGTH = 1_000;

/** RFC 7644 §3.12: an error with its HTTP status and, for a 400, its scimType. */
export class ScimError extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
    readonly scimType?:
      | 'invalidFilter'
      | 'invalidSyntax'
      | 'invalidPath'
      | 'invalidValue'
      | 'mutability'
      | 'noTarget',
  ) {
    super(detail);
  }

  body(): Record<string, unknown> {
    return {
      schemas: [ERROR_SCHEMA],
      status: String(this.status),
      ...(this.scimType ? { scimType: this.scimType } : {}),
      detail: this.detail,
    };
  }
}

/** The attributes a filter may name: both carry the provider's subject. */
export type IdentityAttribute = 'externalId' | 'userName';

/**
 * A filter Safekeep answers: `externalId eq "…"` or `userName eq "…"`
 * (attribute names in any case, with or without the User schema's URN),
 * which is what Entra ID's provisioning service sends to find a person.
 * Any other filter, however valid in SCIM, is `invalidFilter`.
 */
export function readFilter(text: string): { attribute: IdentityAttribute; value: string } {
  if (text.length > MAX_FILTER_LENGTH) {
    throw new ScimError(400, 'The filter is too long.', 'invalidFilter');
  }
  let filter: Filter;
  try {
    filter = parseFilterText(text);
  } catch {
    throw new ScimError(400, 'The filter could not be read.', 'invalidFilter');
  }
  const attribute = filter.op === 'eq' ? identityAttribute(filter.attrPath) : undefined;
  if (filter.op !== 'eq' || !attribute || typeof filter.compValue !== 'string') {
    throw new ScimError(
      400,
      'Only externalId eq "value" and userName eq "value" filters are supported.',
      'invalidFilter',
    );
  }
  return { attribute, value: filter.compValue };
}

/** A User attribute name as Safekeep knows it, or undefined (names are case-insensitive). */
function attributeName(path: string): string {
  const lower = path.toLowerCase();
  const prefix = `${USER_SCHEMA.toLowerCase()}:`;
  return lower.startsWith(prefix) ? lower.slice(prefix.length) : lower;
}

function identityAttribute(path: string): IdentityAttribute | undefined {
  const name = attributeName(path);
  if (name === 'externalid') return 'externalId';
  if (name === 'username') return 'userName';
  return undefined;
}

/**
 * What a PATCH asks of Safekeep: whether the person is active, when it says
 * so. Entra ID sends `{"op":"Replace","path":"active","value":false}` (the
 * value sometimes the string "False"), or the same with no path and
 * `{"active":false}` as the value. The provider's subject may be restated
 * (externalId, userName) but not changed; no other attribute is taken from
 * the provider by SCIM (names and roles come at sign-in), so one is
 * `invalidPath` and nothing in the request is applied.
 */
export function readPatch(body: unknown, subject: string): { active?: boolean } {
  if (!isObject(body) || !Array.isArray(body.schemas) || !body.schemas.includes(PATCH_SCHEMA)) {
    throw new ScimError(400, `A PATCH request must be a ${PATCH_SCHEMA} message.`, 'invalidSyntax');
  }
  const operations = body.Operations;
  if (!Array.isArray(operations) || operations.length === 0 || operations.length > 100) {
    throw new ScimError(
      400,
      'A PATCH request needs between 1 and 100 Operations.',
      'invalidSyntax',
    );
  }
  let active: boolean | undefined;
  for (const operation of operations as unknown[]) {
    if (!isObject(operation) || typeof operation.op !== 'string') {
      throw new ScimError(400, 'Each operation needs an op.', 'invalidSyntax');
    }
    const op = operation.op.toLowerCase();
    if (op !== 'replace' && op !== 'add' && op !== 'remove') {
      throw new ScimError(400, 'An op must be add, remove or replace.', 'invalidSyntax');
    }
    const changes: [string, unknown][] = [];
    if (operation.path === undefined) {
      if (op === 'remove' || !isObject(operation.value)) {
        throw new ScimError(
          400,
          'An operation without a path needs an object as its value.',
          'invalidSyntax',
        );
      }
      changes.push(...Object.entries(operation.value));
    } else if (typeof operation.path === 'string') {
      if (op === 'remove') {
        throw new ScimError(400, 'Safekeep does not remove User attributes.', 'invalidPath');
      }
      changes.push([operation.path, operation.value]);
    } else {
      throw new ScimError(400, 'A path must be a string.', 'invalidPath');
    }
    for (const [path, value] of changes) {
      const name = attributeName(path);
      if (name === 'active') active = readBoolean(value);
      else if (name === 'externalid' || name === 'username') {
        if (value !== subject) {
          throw new ScimError(
            400,
            'The provider’s subject for a person cannot change.',
            'mutability',
          );
        }
      } else if (name !== 'schemas') {
        throw new ScimError(
          400,
          'Safekeep takes only active from the provider by SCIM (names and roles come at sign-in).',
          'invalidPath',
        );
      }
    }
  }
  return active === undefined ? {} : { active };
}

function readBoolean(value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string' && /^(true|false)$/i.test(value)) {
    return value.toLowerCase() === 'true';
  }
  throw new ScimError(400, 'active must be true or false.', 'invalidValue');
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A person as the provider sees them: the link between its subject and a Safekeep account. */
export interface ScimUserRow {
  id: string;
  subject: string;
  createdAt: Date;
  active: boolean;
}

/**
 * A User resource. It carries the subject (as externalId and userName) and
 * whether the person is active, nothing more: the provider knows the rest,
 * and Safekeep sends back no name or email address it does not need to.
 */
export function userResource(user: ScimUserRow): Record<string, unknown> {
  return {
    schemas: [USER_SCHEMA],
    id: user.id,
    externalId: user.subject,
    userName: user.subject,
    active: user.active,
    meta: { resourceType: 'User', created: user.createdAt.toISOString() },
  };
}

export function listResponse(
  users: ScimUserRow[],
  page: { totalResults: number; startIndex: number },
): Record<string, unknown> {
  return {
    schemas: [LIST_SCHEMA],
    totalResults: page.totalResults,
    startIndex: page.startIndex,
    itemsPerPage: users.length,
    Resources: users.map(userResource),
  };
}

/** RFC 7644 §3.4.2.4: 1-based startIndex, count up to the most Safekeep sends at once. */
export function readPage(query: Record<string, unknown>): { startIndex: number; count: number } {
  return {
    startIndex: Math.max(1, wholeNumber(query.startIndex) ?? 1),
    count: Math.min(MAX_PAGE, Math.max(0, wholeNumber(query.count) ?? MAX_PAGE)),
  };
}

export const MAX_PAGE = 200;

function wholeNumber(value: unknown): number | undefined {
  if (typeof value !== 'string' || !/^-?\d{1,9}$/.test(value)) return undefined;
  return Number(value);
}

/** RFC 7643 §5: what this service provider supports, for a client that asks. */
export function serviceProviderConfig(): Record<string, unknown> {
  return {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig'],
    patch: { supported: true },
    bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
    filter: { supported: true, maxResults: MAX_PAGE },
    changePassword: { supported: false },
    sort: { supported: false },
    etag: { supported: false },
    authenticationSchemes: [
      {
        type: 'oauthbearertoken',
        name: 'Bearer token',
        description:
          'The token an administrator issued for the organisation’s provider with `safekeep sso scim-token`.',
        primary: true,
      },
    ],
    meta: { resourceType: 'ServiceProviderConfig' },
  };
}
