import { ServiceUnavailableError } from '../platform/errors/errors.js';

/**
 * Recognises the errors that mean "the database cannot serve this now",
 * as opposed to a fault in the request or the code, so that they become a
 * 503 with Retry-After (platform/http/error-handler.ts) or one clear line
 * from the CLI, never a 500 or a stack trace.
 *
 * - `busy`: a timeout the server enforced (decision record 0015) — the
 *   statement ran too long, a lock was not granted in time, or a transaction
 *   sat idle; PostgreSQL rolled the transaction back.
 * - `unreachable`: no connection, or the connection was lost or refused.
 */
export type DatabaseUnavailability = 'busy' | 'unreachable';

const busyCodes = new Set([
  '57014', // query_canceled: statement_timeout
  '55P03', // lock_not_available: lock_timeout (and NOWAIT)
  '25P03', // idle_in_transaction_session_timeout
]);

const unreachableCodes = new Set([
  '57P01', // admin_shutdown: the server is stopping, or pg_terminate_backend
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now: starting up or in recovery
  '53300', // too_many_connections
  // Socket errors from node:net, for the server's host and port.
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
]);

// node-postgres reports a lost or timed-out connection by message only.
const unreachableMessages = [
  /^Connection terminated/,
  /^timeout exceeded when trying to connect$/,
  /is not queryable$/,
];

export function databaseUnavailability(error: unknown): DatabaseUnavailability | null {
  for (let cause = error, depth = 0; cause && depth < 5; depth++) {
    if (typeof cause !== 'object') return null;
    const code = 'code' in cause && typeof cause.code === 'string' ? cause.code : '';
    if (busyCodes.has(code)) return 'busy';
    // Class 08: connection exceptions.
    if (unreachableCodes.has(code) || code.startsWith('08')) return 'unreachable';
    const message = cause instanceof Error ? cause.message : '';
    if (unreachableMessages.some((m) => m.test(message))) {
      return 'unreachable';
    }
    // Connecting to a name with several addresses fails with every one.
    if (cause instanceof AggregateError) {
      const inner = cause.errors.map(databaseUnavailability);
      if (inner.length > 0 && inner.every((u) => u === 'unreachable')) return 'unreachable';
    }
    cause = cause instanceof Error ? cause.cause : undefined;
  }
  return null;
}

/** The 503 for a database error that is one of the above; null for any other error. */
export function serviceUnavailableFor(error: unknown): ServiceUnavailableError | null {
  if (error instanceof ServiceUnavailableError) return error;
  switch (databaseUnavailability(error)) {
    case 'busy':
      return new ServiceUnavailableError(
        'Sorry, the service is busy. Try again in a few seconds.',
        5,
      );
    case 'unreachable':
      return new ServiceUnavailableError(
        'Sorry, the service cannot reach its database. Try again in a minute.',
        30,
      );
    default:
      return null;
  }
}
