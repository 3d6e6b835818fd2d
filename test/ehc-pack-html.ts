import path from 'node:path';
import nunjucks from 'nunjucks';
import type { EvidencePack } from '../src/domain/ehc-pack.ts';
import { packDocument } from '../src/presenters/ehc-pack.ts';
import { ROOT } from '../src/root.ts';
import { configureNunjucks } from '../src/web/shared/filters.ts';

/** The `ehcPack` macro (src/web/views/ehc-pack.njk) rendered as the app renders its templates. */
export function renderPackHtml(
  pack: EvidencePack,
  options: { headingLevel?: number; leftOut?: string[] } = {},
): string {
  const env = new nunjucks.Environment(
    new nunjucks.FileSystemLoader([
      path.join(ROOT, 'src/web'),
      path.join(ROOT, 'node_modules/govuk-frontend/dist'),
    ]),
    { autoescape: true, throwOnUndefined: false, trimBlocks: true, lstripBlocks: true },
  );
  configureNunjucks(env);
  return env.renderString('{% from "views/ehc-pack.njk" import ehcPack %}{{ ehcPack(document, options) }}', {
    document: packDocument(pack),
    options,
  });
}
