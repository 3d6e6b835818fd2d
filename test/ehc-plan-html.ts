import path from 'node:path';
import nunjucks from 'nunjucks';
import type { PlanSectionKey, PlanSections } from '../src/domain/ehc-plan.ts';
import { ROOT } from '../src/root.ts';
import { configureNunjucks } from '../src/web/shared/filters.ts';

/** The `ehcPlan` macro (src/web/views/ehc-plan.njk) rendered as the app renders its templates. */
export function renderPlanHtml(
  sections: PlanSections,
  options: { headingLevel?: number; idPrefix?: string; only?: PlanSectionKey[] } = {},
): string {
  const env = new nunjucks.Environment(
    new nunjucks.FileSystemLoader([
      path.join(ROOT, 'src/web'),
      path.join(ROOT, 'node_modules/govuk-frontend/dist'),
    ]),
    { autoescape: true, throwOnUndefined: false, trimBlocks: true, lstripBlocks: true },
  );
  configureNunjucks(env);
  return env.renderString('{% from "views/ehc-plan.njk" import ehcPlan %}{{ ehcPlan(sections, options) }}', {
    sections,
    options,
  });
}
