import type { FastifyRequest } from 'fastify';

/*
 * What the pages that sign a person in share (the sign-in pages, and joining with an invitation code):
 * the browser's cookies of a sign-in, and the one answer to a failed one.
 */

/** The browser's remembered devices (tokens joined by dots): one per account signed in here, at most five. */
export const DEVICE_COOKIE = 'opensend_device';
/** A sign-in waiting for its code (ten minutes). */
export const CHALLENGE_COOKIE = 'opensend_challenge';
export const MAX_DEVICE_TOKENS = 5;

/** The remembered-device tokens this browser holds. */
export function deviceTokensOf(request: FastifyRequest): string[] {
  const raw = request.cookies[DEVICE_COOKIE] ?? '';
  return raw
    .split('.')
    .filter((t) => /^[A-Za-z0-9_-]{20,100}$/.test(t))
    .slice(0, MAX_DEVICE_TOKENS);
}

/** The same answer for every failure: it tells a stranger nothing about which accounts exist. */
export const SIGN_IN_FAILED =
  'Enter a correct email address and password. After several failed attempts, sign-in is paused for 15 minutes: wait, or ask your SENCo to reset your password.';
