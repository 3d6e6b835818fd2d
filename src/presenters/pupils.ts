import { CONTEXT_FLAGS, type ContextFlag, FLAG_LABELS } from '../domain/flags.ts';

/** The contextual factors recorded for a pupil, as they read on every page and export. */
export function flagsOf(p: Record<ContextFlag, boolean>): string[] {
  return CONTEXT_FLAGS.filter((f) => p[f]).map((f) => FLAG_LABELS[f]);
}
