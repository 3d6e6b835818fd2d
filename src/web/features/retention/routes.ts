import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  RETENTION_BASIS_EXPLANATIONS,
  RETENTION_BASIS_LABELS,
  type RetentionBasis,
} from '../../../domain/retention.ts';
import type { Services } from '../../../services/index.ts';
import { dateAnchors, formRoute } from '../../form-route.ts';
import { idParam, pupilIdOf } from '../../params.ts';
import { paths } from '../../paths.ts';
import { parseErase, parseKeep, parseYears } from './schemas.ts';

const reviewIdOf = (request: FastifyRequest) => idParam(request, 'retentionReviewId');

/** What the page says of each rule, with the school's years. */
export function ruleText(basis: RetentionBasis, years: { pupil: number; sen: number }) {
  return `${RETENTION_BASIS_LABELS[basis]}: ${basis === 'sen' ? years.sen : years.pupil} years after birth`;
}

/**
 * Records past their retention date: the list the nightly review keeps, each erased (after a page
 * saying exactly what goes) or kept with a reason and a date to look again; and the school's years.
 */
export async function retentionRoutes(app: FastifyInstance, services: Services) {
  const retention = services.retention;

  app.get(paths.retention.pattern, async (request, reply) => {
    const list = await retention.list(request.actor!);
    const withRule = <T extends { basis: RetentionBasis }>(r: T) => ({
      ...r,
      rule: ruleText(r.basis, list.years),
    });
    return reply.page('features/retention/views/list.njk', {
      pageTitle: 'Records past their retention date',
      waiting: list.waiting.map(withRule),
      kept: list.kept.map(withRule),
      erased: list.erased,
      years: list.years,
      explanations: RETENTION_BASIS_EXPLANATIONS,
    });
  });

  async function reviewPage(request: FastifyRequest, audit: boolean) {
    const found = await retention.get(request.actor!, reviewIdOf(request), { audit });
    const years = await retention.years(request.actor!);
    const r = found.review;
    return {
      ...found,
      rule: ruleText(r.basis, years),
      explanation: RETENTION_BASIS_EXPLANATIONS[r.basis],
      version: r.version,
    };
  }

  formRoute(app, {
    path: paths.retentionErase,
    template: 'features/retention/views/erase.njk',
    anchors: { confirm: 'confirm' },
    async load(request, { audit }) {
      const data = await reviewPage(request, audit);
      return { ...data, pageTitle: `Erase the record of ${data.review.forename} ${data.review.surname}` };
    },
    initial: (data) => ({ version: String(data.version) }),
    parse: (body) => parseErase(body),
    submit: (request, input) => retention.erase(request.actor!, reviewIdOf(request), input.version),
    done: () => ({
      redirect: paths.retention.to(),
      flash: 'The record was erased. Its id and the date it was erased are kept.',
    }),
  });

  formRoute(app, {
    path: paths.retentionKeep,
    template: 'features/retention/views/keep.njk',
    anchors: dateAnchors('lookAgainOn'),
    async load(request, { audit }) {
      const data = await reviewPage(request, audit);
      return { ...data, pageTitle: `Keep the record of ${data.review.forename} ${data.review.surname}` };
    },
    initial: (data) => ({ version: String(data.version) }),
    parse: (body) => parseKeep(body),
    submit: (request, input) => retention.keep(request.actor!, reviewIdOf(request), input),
    done: () => ({
      redirect: paths.retention.to(),
      flash: 'The record is kept. It is listed again on the date you gave.',
    }),
  });

  app.get(paths.erasedRecord.pattern, async (request, reply) => {
    const record = await retention.erased(request.actor!, pupilIdOf(request));
    return reply.page('features/retention/views/erased.njk', { pageTitle: 'An erased record', record });
  });

  formRoute(app, {
    path: paths.settingsRetention,
    template: 'features/retention/views/settings.njk',
    async load(request) {
      const years = await retention.years(request.actor!);
      return { pageTitle: 'How long records are kept', current: years, version: years.version };
    },
    initial: ({ current }) => ({
      retentionYears: String(current.pupil),
      senRetentionYears: String(current.sen),
      version: String(current.version),
    }),
    parse: (body) => parseYears(body),
    submit: (request, { version, ...years }) => retention.saveYears(request.actor!, version, years),
    done: () => ({ redirect: paths.settings.to('#retention'), flash: 'How long records are kept: saved.' }),
  });
}
