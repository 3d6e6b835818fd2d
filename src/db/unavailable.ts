/**
 * PostgreSQL error codes that mean the connection, not the request, failed: the server shut down,
 * crashed, is starting up, or dropped the connection. Class 08 is "connection exception"; 57P01–03
 * an administrator or crash shutdown, or a server not yet accepting connections; 53300 too many
 * connections; 57P05 an idle session timed out.
 */
const POSTGRES_CODES = new Set([
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
  '08007',
  '53300',
  '57P01',
  '57P02',
  '57P03',
  '57P05',
]);

/** Network errors from Node's sockets and resolver on the way to the database. */
const NODE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/**
 * What the PostgreSQL driver says when a connection ends under it ("Connection terminated
 * unexpectedly"), when a query is sent on a connection that has already failed ("… is not
 * queryable"), and when no connection could be made in time.
 */
const DRIVER_MESSAGES = [
  /^Connection terminated/,
  /is not queryable$/,
  /^timeout exceeded when trying to connect$/,
  /^timeout expired$/,
];

/**
 * True when an error means OpenSEND cannot reach its database just now (PostgreSQL restarted, was
 * stopped, or dropped the connection), as opposed to a fault in the request or in OpenSEND. Looks
 * through wrapped errors (a failed query wraps the driver's error as its cause) and through every
 * error of an AggregateError (one per address tried).
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  const seen = new Set<unknown>();
  const look = (e: unknown, depth: number): boolean => {
    if (!e || typeof e !== 'object' || depth > 8 || seen.has(e)) return false;
    seen.add(e);
    const { code, message, cause, errors } = e as {
      code?: unknown;
      message?: unknown;
      cause?: unknown;
      errors?: unknown;
    };
    if (typeof code === 'string' && (POSTGRES_CODES.has(code) || NODE_CODES.has(code))) return true;
    if (typeof message === 'string' && DRIVER_MESSAGES.some((m) => m.test(message))) return true;
    if (Array.isArray(errors) && errors.some((inner) => look(inner, depth + 1))) return true;
    return look(cause, depth + 1);
  };
  return look(error, 0);
}
