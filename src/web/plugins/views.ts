import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyView from '@fastify/view';
import type { FastifyInstance } from 'fastify';
import nunjucks from 'nunjucks';
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
import {
  CONCERN_KIND_LABELS,
  CONCERN_OUTCOME_LABELS,
  type ConcernKind,
  type ConcernOutcome,
} from '../../domain/concerns.ts';
import { formatDate, formatDateTime } from '../../domain/dates.ts';
import { type ContextFlag, FLAG_LABELS } from '../../domain/flags.ts';
import {
  CHANGE_LABELS,
  type RegisterChangeKind,
  type SenStage,
  STAGE_LABELS,
  stageLabel,
} from '../../domain/register.ts';
import { ROLE_LABELS, type Role } from '../../domain/roles.ts';
import { dateItems } from '../forms.ts';

export const WEB_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const GOVUK_ROOT = path.resolve(WEB_ROOT, '../../node_modules/govuk-frontend/dist');

export function configureNunjucks(env: nunjucks.Environment): void {
  env.addFilter('date', (d: string | null | undefined) => formatDate(d));
  env.addFilter('dateTime', (d: Date | string | null | undefined) => (d ? formatDateTime(new Date(d)) : ''));
  env.addFilter('stage', (s: SenStage) => stageLabel(s));
  env.addFilter('stageShort', (s: SenStage) => STAGE_LABELS[s]);
  env.addFilter('need', (c: string | null) => (c && isNeedCode(c) ? needLabel(c) : ''));
  env.addFilter('needShort', (c: string | null) => (c && isNeedCode(c) ? NEEDS[c].label : ''));
  env.addFilter('area', (c: NeedCode | null) => areaLabelOf(c));
  env.addFilter('areaName', (a: AreaOfNeed) => AREA_LABELS[a] ?? a);
  env.addFilter('ncYear', (n: number | null) => (n === null || n === undefined ? '' : ncYearLabel(n)));
  env.addFilter('role', (r: Role) => ROLE_LABELS[r] ?? r);
  env.addFilter('flag', (f: ContextFlag) => FLAG_LABELS[f] ?? f);
  env.addFilter('concernKind', (k: ConcernKind) => CONCERN_KIND_LABELS[k] ?? k);
  env.addFilter('concernOutcome', (o: ConcernOutcome | null) => (o ? CONCERN_OUTCOME_LABELS[o] : ''));
  env.addFilter('change', (k: RegisterChangeKind) => CHANGE_LABELS[k] ?? k);
  env.addFilter('plural', (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`);
  env.addGlobal('dateItems', dateItems);
}

export async function registerViews(app: FastifyInstance): Promise<void> {
  await app.register(fastifyView, {
    engine: { nunjucks },
    templates: [WEB_ROOT, GOVUK_ROOT],
    production: true,
    options: {
      onConfigure: (env: nunjucks.Environment) => configureNunjucks(env),
      autoescape: true,
      throwOnUndefined: false,
      trimBlocks: true,
      lstripBlocks: true,
    },
  });
}
