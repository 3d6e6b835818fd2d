import nunjucks from 'nunjucks';
import { ROLE_LABELS, type Role, rolesLabel, SCHOOL_ROLES } from '../../domain/access.ts';
import { describeAuditEvent } from '../../domain/audit.ts';
import { ncYearLabel } from '../../domain/calendar.ts';
import {
  AREA_LABELS,
  type AreaOfNeed,
  areaLabelOf,
  isNeedCode,
  NEEDS,
  type NeedCode,
  needLabel,
} from '../../domain/census.ts';
import { yearGroupsLabel } from '../../domain/classes.ts';
import {
  CONCERN_KIND_LABELS,
  CONCERN_OUTCOME_LABELS,
  CONCERN_SOURCE_LABELS,
  CONCERN_VIA_LABELS,
  type ConcernKind,
  type ConcernOutcome,
  type ConcernSource,
  type ConcernVia,
} from '../../domain/concerns.ts';
import { formatDate, formatDateTime } from '../../domain/dates.ts';
import { type ContextFlag, FLAG_LABELS } from '../../domain/flags.ts';
import { formatPence } from '../../domain/provision-costs.ts';
import {
  CHANGE_LABELS,
  type RegisterChangeKind,
  type SenStage,
  STAGE_LABELS,
  stageLabel,
} from '../../domain/register.ts';
import type { ShownCount } from '../../domain/suppression.ts';
import { planView } from '../../presenters/ehc-plan.ts';
import { dateItems } from '../forms/dates.ts';
import { templateLinks } from '../paths.ts';

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);

/** Long text as the user typed it: escaped, with its line breaks kept. */
export function lines(value: unknown): nunjucks.runtime.SafeString {
  const text = value === null || value === undefined ? '' : String(value);
  return new nunjucks.runtime.SafeString(escapeHtml(text).replace(/\r?\n/g, '<br>'));
}

/** The filters and globals every template may use: the words of the domain, one wording each. */
export function configureNunjucks(env: nunjucks.Environment): void {
  env.addFilter('date', (d: string | null | undefined) => formatDate(d));
  // A name within a sentence: "Support plan" → "support plan", but "SEN support plan" keeps its capitals.
  env.addFilter('inSentence', (s: string | null | undefined) =>
    !s ? '' : /^[A-Z]{2,}\b/.test(s) ? s : s.charAt(0).toLowerCase() + s.slice(1),
  );
  env.addFilter('dateTime', (d: Date | string | null | undefined) => (d ? formatDateTime(new Date(d)) : ''));
  env.addFilter('stage', (s: SenStage) => stageLabel(s));
  env.addFilter('stageShort', (s: SenStage) => STAGE_LABELS[s]);
  env.addFilter('need', (c: string | null) => (c && isNeedCode(c) ? needLabel(c) : ''));
  env.addFilter('needShort', (c: string | null) => (c && isNeedCode(c) ? NEEDS[c].label : ''));
  env.addFilter('area', (c: NeedCode | null) => areaLabelOf(c));
  env.addFilter('areaName', (a: AreaOfNeed) => AREA_LABELS[a] ?? a);
  env.addFilter('ncYear', (n: number | null) => (n === null || n === undefined ? '' : ncYearLabel(n)));
  env.addFilter('yearGroups', (ncYears: number[] | null) => yearGroupsLabel(ncYears ?? []));
  env.addFilter('role', (r: Role) => ROLE_LABELS[r] ?? r);
  env.addFilter('roles', (r: Role[]) => rolesLabel(r ?? []));
  env.addFilter('flag', (f: ContextFlag) => FLAG_LABELS[f] ?? f);
  env.addFilter('concernKind', (k: ConcernKind) => CONCERN_KIND_LABELS[k] ?? k);
  env.addFilter('concernOutcome', (o: ConcernOutcome | null) => (o ? CONCERN_OUTCOME_LABELS[o] : ''));
  env.addFilter('concernSource', (s: ConcernSource) => CONCERN_SOURCE_LABELS[s] ?? s);
  env.addFilter('concernVia', (v: ConcernVia | null) => (v ? CONCERN_VIA_LABELS[v] : ''));
  env.addFilter('change', (k: RegisterChangeKind) => CHANGE_LABELS[k] ?? k);
  env.addFilter('auditEvent', (action: string, detail: Record<string, unknown> | null) =>
    describeAuditEvent(action, detail),
  );
  env.addFilter('count', (n: ShownCount) =>
    n === 'suppressed' ? 'Hidden' : n === 'withheld' ? 'Not shown' : String(n),
  );
  env.addFilter('plural', (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`);
  env.addFilter('lines', lines);
  env.addFilter('pounds', (pence: number | null | undefined) =>
    pence === null || pence === undefined ? '' : formatPence(pence),
  );
  env.addGlobal('dateItems', dateItems);
  /** An EHC plan's sections as a document to read (the `ehcPlan` macro, views/ehc-plan.njk). */
  env.addGlobal('ehcPlanView', planView);
  /** Is this value among those a form sent for the field (one value, or several)? Never a substring. */
  env.addGlobal('isChosen', (values: Record<string, unknown> | undefined, name: string, value: string) => {
    const v = values?.[name];
    return Array.isArray(v) ? v.includes(value) : v === value;
  });
  env.addGlobal('paths', templateLinks);
  env.addGlobal('schoolRoles', SCHOOL_ROLES);
}
