import type { Actor } from './actor.ts';
import { ForbiddenError, NotFoundError } from './errors.ts';

type Recorder = (actor: Actor, error: ForbiddenError | NotFoundError, where: string) => Promise<void>;

function isActor(value: unknown): value is Actor {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Actor).userId === 'string' &&
    typeof (value as Actor).requestId === 'string' &&
    Array.isArray((value as Actor).roles)
  );
}

/**
 * Every refusal is audited at the edge of the services, whoever called them (the web, the command
 * line): a service method whose first argument is the acting person, and which refuses with "not
 * found" or "forbidden", leaves one audit row (and one in the owning school, for another school's
 * record) before the refusal goes on to the caller.
 */
export function auditRefusals<T extends Record<string, unknown>>(
  area: string,
  service: T,
  record: Recorder,
): T {
  const wrapped: Record<string, unknown> = {};
  for (const [name, member] of Object.entries(service)) {
    if (typeof member !== 'function') {
      wrapped[name] = member;
      continue;
    }
    wrapped[name] = function (this: unknown, ...args: unknown[]) {
      const actor = args[0];
      const onRefusal = async (error: unknown) => {
        if (isActor(actor) && (error instanceof NotFoundError || error instanceof ForbiddenError)) {
          await record(actor, error, `${area}.${name}`);
        }
        throw error;
      };
      try {
        const result = (member as (...a: unknown[]) => unknown).apply(service, args);
        return result instanceof Promise ? result.catch(onRefusal) : result;
      } catch (error) {
        if (isActor(actor) && (error instanceof NotFoundError || error instanceof ForbiddenError)) {
          // A synchronous refusal (a capability check) is audited without holding up the caller.
          void record(actor, error, `${area}.${name}`).catch(() => {});
        }
        throw error;
      }
    };
  }
  return wrapped as T;
}
