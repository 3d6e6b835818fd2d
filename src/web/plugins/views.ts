import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyView from '@fastify/view';
import type { FastifyInstance } from 'fastify';
import nunjucks from 'nunjucks';
import { configureNunjucks } from '../shared/filters.ts';

export const WEB_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const GOVUK_ROOT = path.resolve(WEB_ROOT, '../../node_modules/govuk-frontend/dist');

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
