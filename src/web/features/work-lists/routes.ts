import type { FastifyInstance, FastifyRequest } from 'fastify';
import { formatDate } from '../../../domain/dates.ts';
import {
  isWorkList,
  type ProvisionList,
  WORK_LIST_DATE_LABELS,
  type WorkList,
} from '../../../domain/work-lists.ts';
import type { Services } from '../../../services/index.ts';
import { paths } from '../../paths.ts';
import { ownWorkModel } from '../../shared/own-work.ts';

const listOf = (request: FastifyRequest): WorkList | null => {
  const list = (request.query as Record<string, unknown>).list;
  return isWorkList(list) ? list : null;
};

type Result = Awaited<ReturnType<Services['workLists']['dashboard']>>;

/** Where the SENCo acts on each provision list: its part of the provision page. */
const PROVISION_LIST_ANCHORS: Record<ProvisionList, string> = {
  groups_unchecked: 'unchecked',
  groups_without_exit_measures: 'no-exit',
  over_threshold: 'over-threshold',
};

/** The page model: the counts, and the opened list with a link for each pupil to what put them there. */
function page(result: Result, mine: boolean) {
  const list = mine ? paths.myPupils : paths.dashboard;
  const opened = result.opened;
  return {
    pageTitle: opened ? opened.label : mine ? 'My pupils' : 'Dashboard',
    mine,
    homeHref: list.to(),
    counts: result.counts.map((c) => ({ ...c, href: list.to({ list: c.list }) })),
    provision: result.provision?.map((c) => ({
      ...c,
      href: paths.provision.to(`#${PROVISION_LIST_ANCHORS[c.list]}`),
    })),
    opened: opened && {
      ...opened,
      dateLabel: WORK_LIST_DATE_LABELS[opened.list],
      rows: opened.rows.map((r) => ({
        ...r,
        name: `${r.surname}, ${r.forename}`,
        date: r.date ? formatDate(r.date) : '',
        href:
          opened.list === 'target_checks_due' && r.recordId
            ? paths.plan.to({ planId: r.recordId })
            : opened.list === 'annual_reviews_due'
              ? paths.annualReviewNew.to({ pupilId: r.pupilId })
              : opened.list === 'annual_review_reports_to_send' && r.recordId
                ? paths.annualReview.to({ annualReviewId: r.recordId })
                : opened.section === 'concerns' && r.recordId
                  ? paths.concern.to({ concernId: r.recordId })
                  : opened.section === 'agencies' && r.recordId
                    ? paths.referral.to({ referralId: r.recordId })
                    : opened.section === 'letters' && r.recordId
                      ? paths.letter.to({ letterId: r.recordId })
                      : paths.pupil.to({ pupilId: r.pupilId }),
      })),
    },
  };
}

/** The SENCo's dashboard for the whole school, and "my pupils" for a class teacher or an assistant. */
export async function workListRoutes(app: FastifyInstance, services: Services) {
  app.get(paths.dashboard.pattern, async (request, reply) => {
    const result = await services.workLists.dashboard(request.actor!, listOf(request));
    return reply.page('features/work-lists/views/work-lists.njk', page(result, false));
  });

  app.get(paths.myPupils.pattern, async (request, reply) => {
    const list = listOf(request);
    const result = await services.workLists.myPupils(request.actor!, list);
    // With the counts, the pupils themselves and the groups (not with one list opened).
    const ownWork = list ? null : await services.home.ownWork(request.actor!, 'my-pupils');
    return reply.page('features/work-lists/views/work-lists.njk', {
      ...page(result, true),
      ownWork: ownWorkModel(ownWork),
    });
  });
}
