import path from 'node:path';
import fastifyView from '@fastify/view';
import type { FastifyInstance } from 'fastify';
import nunjucks from 'nunjucks';
import { ROOT } from '../../root.ts';
import { configureNunjucks } from '../shared/filters.ts';

export const WEB_ROOT = path.join(ROOT, 'src/web');
const GOVUK_ROOT = path.join(ROOT, 'node_modules/govuk-frontend/dist');

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
