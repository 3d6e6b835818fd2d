import { atLeast } from '../../../domain/access.ts';
import { RECOMMENDATION_KIND_LABELS, recommendationSource } from '../../../domain/agencies.ts';
import { AUDIT_ACTION_LABELS } from '../../../domain/audit.ts';
import { ageOn, effectiveNcYear, ncYearLabel } from '../../../domain/calendar.ts';
import { AREA_LABELS, NEEDS, needLabel } from '../../../domain/census.ts';
import { CLASS_MOVE_SOURCE_LABELS, classMoveTitle } from '../../../domain/classes.ts';
import {
  CONCERN_KIND_LABELS,
  CONCERN_OUTCOME_IN_TEXT,
  CONCERN_SOURCE_LABELS,
} from '../../../domain/concerns.ts';
import { formatDate, type IsoDate, todayInEngland } from '../../../domain/dates.ts';
import { CONTEXT_FLAGS } from '../../../domain/flags.ts';
import { LETTER_KIND_LABELS, SENT_VIA_IN_TEXT } from '../../../domain/letters.ts';
import {
  cyclesInOrder,
  PLAN_STATUS_LABELS,
  REVIEW_DECISION_LABELS,
  REVIEW_STATE_LABELS,
  reviewState,
  withArticle,
} from '../../../domain/plans.ts';
import { CHANGE_LABELS, STAGE_IN_TEXT, STAGE_LABELS, stageLabel } from '../../../domain/register.ts';
import { pupilProvisionModel } from '../../../presenters/provision.ts';
import { flagsOf } from '../../../presenters/pupils.ts';
import type { PupilRow } from '../../../repositories/pupils.ts';
import type { PupilService } from '../../../services/pupils/index.ts';
import { dateParts } from '../../forms/dates.ts';
import type { FormBody } from '../../forms/fields.ts';
import { paths } from '../../paths.ts';
import { pupilEhcModel } from '../../shared/ehc.ts';
import { pupilEhcPlanPanel } from '../../shared/ehc-plans.ts';
import { pupilReferralsModel, referralChronology } from '../../shared/referrals.ts';
import { pupilTopUpModel } from '../../shared/top-up.ts';

type PupilPage = Awaited<ReturnType<PupilService['view']>>;

export interface ChronologyItem {
  date: IsoDate;
  title: string;
  detail: string;
  by: string;
  href?: string;
}

/**
 * The graduated approach in the chronology: each plan drafted, agreed and put in place, reviewed (with
 * its decision) and closed; each provision group joined and left. Built from the plans and group
 * places the record holds, which are empty for a viewer who may not read those sections; a group links
 * to its page only for those who may open it.
 */
export function graduatedApproachEvents(page: PupilPage, planName: string): ChronologyItem[] {
  const items: ChronologyItem[] = [];
  for (const plan of page.plans) {
    const title = `${planName} ${plan.cycle}`;
    const href = paths.plan.to({ planId: plan.id });
    items.push({
      date: todayInEngland(new Date(plan.createdAt)),
      title: `${title} drafted`,
      detail: '',
      by: plan.createdByName,
      href,
    });
    if (plan.agreedOn) {
      items.push({
        date: plan.agreedOn,
        title: `${title} agreed and put in place`,
        detail: plan.agreedWith ? `Agreed with ${plan.agreedWith}.` : '',
        by: plan.agreedByName ?? '',
        href,
      });
    }
    for (const r of plan.reviews) {
      items.push({
        date: r.heldOn,
        title: r.decision === 'extend' ? `${title} reviewed and extended` : `${title} reviewed and closed`,
        detail: `Decision: ${REVIEW_DECISION_LABELS[r.decision]}.${r.extendedTo ? ` Now reviewed on ${formatDate(r.extendedTo)}.` : ''}`,
        by: r.reviewedByName,
        href,
      });
    }
    // A plan closed by its review says so there; a draft closed unused is a record of its own.
    if (plan.status === 'closed' && plan.closedAt && !plan.agreedOn) {
      items.push({
        date: todayInEngland(new Date(plan.closedAt)),
        title: `${title} closed as a draft, never put in place`,
        detail: '',
        by: plan.closedByName ?? '',
        href,
      });
    }
  }
  const openable = new Set(page.openableGroupIds);
  for (const g of page.provision) {
    const href = openable.has(g.groupId) ? paths.group.to({ groupId: g.groupId }) : undefined;
    // "Phonics: Year 4 (Phonics catch-up group)"; a group named after its intervention once only.
    const name = g.groupName.toLowerCase().includes(g.interventionName.toLowerCase())
      ? g.groupName
      : `${g.groupName} (${g.interventionName})`;
    if (g.joinedOn <= page.today) {
      items.push({
        date: g.joinedOn,
        title: `Joined ${name}`,
        detail: `Delivered by ${g.delivererName}.`,
        by: g.addedByName ?? '',
        ...(href ? { href } : {}),
      });
    }
    const left = g.leftOn ?? (g.endDate && g.endDate <= page.today ? g.endDate : null);
    if (left && left <= page.today && (!g.leftSchoolOn || left <= g.leftSchoolOn)) {
      items.push({
        date: left,
        title: g.leftOn ? `Left ${name}` : `Left ${name}: the group ended`,
        detail: '',
        by: g.leftOn ? (g.leftByName ?? '') : '',
        ...(href ? { href } : {}),
      });
    }
  }
  return items;
}

/**
 * Everything that happened to the pupil, newest first: register changes, reviews, concerns, plans,
 * provision groups, letters, MIS imports and class moves.
 */
export function chronology(page: PupilPage, planName = 'Support plan'): ChronologyItem[] {
  const items: ChronologyItem[] = graduatedApproachEvents(page, planName);
  for (const e of page.history) {
    const needs = [e.primaryNeed, e.secondaryNeed]
      .filter(Boolean)
      .map((c) => needLabel(c!))
      .join('; ');
    items.push({
      date: e.effectiveDate,
      // A change of needs alone keeps the stage: say the stage once ("Needs changed: SEN support").
      title:
        e.fromStage === e.stage
          ? `${CHANGE_LABELS[e.changeKind]}: ${STAGE_LABELS[e.stage]}`
          : `${CHANGE_LABELS[e.changeKind]}: ${STAGE_LABELS[e.fromStage]} to ${STAGE_LABELS[e.stage]}`,
      detail: needs ? `${e.reason.replace(/([^.!?])$/, '$1.')} Needs: ${needs}.` : e.reason,
      by: e.decidedByName,
    });
  }
  for (const r of page.reviews) {
    items.push({
      date: r.reviewedOn,
      title:
        r.outcome === 'stays'
          ? `Register review: stays at ${STAGE_IN_TEXT[r.toStage]}`
          : r.outcome === 'leaves'
            ? 'Register review: leaves the register'
            : `Register review: moves to ${STAGE_IN_TEXT[r.toStage]}`,
      detail: r.reason,
      by: r.reviewedByName,
    });
  }
  for (const c of page.concerns) {
    items.push({
      date: c.concernDate,
      title: `${CONCERN_KIND_LABELS[c.kind]} concern raised${c.source === 'staff' ? '' : ` (${CONCERN_SOURCE_LABELS[c.source]})`}`,
      detail: c.areasOfNeed.map((a) => AREA_LABELS[a]).join(', '),
      by: c.raisedByName,
      href: paths.concern.to({ concernId: c.id }),
    });
    if (c.status === 'reviewed' && c.reviewedOn && c.outcome) {
      items.push({
        date: c.reviewedOn,
        title: `Concern reviewed: ${CONCERN_OUTCOME_IN_TEXT[c.outcome]}`,
        detail: '',
        by: '',
        href: paths.concern.to({ concernId: c.id }),
      });
    }
  }
  for (const l of page.letters) {
    items.push({
      date: l.sentOn,
      title: `Letter sent: ${LETTER_KIND_LABELS[l.kind]} ${SENT_VIA_IN_TEXT[l.sentVia]}`,
      detail: `To ${l.recipients}.${l.slipExpected && !l.slipReturnedOn ? ' Waiting for the signed slip.' : ''}`,
      by: l.sentByName,
      href: paths.letter.to({ letterId: l.id }),
    });
    if (l.slipReturnedOn) {
      items.push({
        date: l.slipReturnedOn,
        title: 'Signed slip returned',
        detail: LETTER_KIND_LABELS[l.kind],
        by: l.slipRecordedByName ?? '',
        href: paths.letter.to({ letterId: l.id }),
      });
    }
    // Parents' replies online, each the parent's own (docs/adr/0039).
    for (const r of l.replies ?? []) {
      items.push({
        date: r.repliedAt.slice(0, 10),
        title:
          r.reply === 'acknowledged'
            ? `Acknowledged online by ${r.name}`
            : `${r.name} wants to talk about the letter${r.note ? `: ${r.note}` : ''}`,
        detail: LETTER_KIND_LABELS[l.kind],
        by: r.name,
        href: paths.letter.to({ letterId: l.id }),
      });
    }
  }
  for (const i of page.imports) {
    items.push({
      date: i.date,
      title: AUDIT_ACTION_LABELS[i.action],
      detail: i.labels?.length ? `${i.labels.join(', ')}.` : '',
      by: i.byName ?? '',
    });
  }
  for (const f of page.ctfExports) {
    const on = todayInEngland(new Date(f.createdAt));
    items.push({
      date: on,
      title: `Common Transfer File produced on ${formatDate(on)} for ${f.destination ?? 'a school not known'}`,
      detail: f.fileName,
      by: f.madeByName,
    });
  }
  if (page.pupil.leftOn) {
    items.push({
      date: page.pupil.leftOn,
      title: page.pupil.destination ? `Left the school for ${page.pupil.destination}` : 'Left the school',
      detail: '',
      by: '',
    });
  }
  for (const m of page.classMoves) {
    items.push({
      date: m.movedOn,
      title: classMoveTitle(m.fromClassName, m.toClassName),
      detail: CLASS_MOVE_SOURCE_LABELS[m.source] ?? '',
      by: m.movedByName,
    });
  }
  items.push(...referralChronology(page.referrals));
  if (page.pupil.admissionDate) {
    items.push({ date: page.pupil.admissionDate, title: 'Joined the school', detail: '', by: '' });
  }
  if (page.pupil.leftOn) {
    items.push({
      date: page.pupil.leftOn,
      title: 'Left the school',
      detail: page.pupil.destination ? `Destination: ${page.pupil.destination}` : '',
      by: '',
    });
  }
  // Each kind is added oldest first: reversed, what happened later on the same day comes first too.
  return items.reverse().sort((a, b) => (a.date < b.date ? 1 : a.date > b.date ? -1 : 0));
}

/** The pupil's support plans as a time line, cycle by cycle, with how each stands against its review date. */
export function planTimeline(page: PupilPage, planName: string) {
  const plans = cyclesInOrder(page.plans);
  return {
    planName,
    startLabel: `Start ${withArticle(planName)}`,
    mayStart: page.planActions.start,
    mayRead: page.planActions.read,
    mayChangeProfile: page.planActions.changeProfile,
    items: plans.map((plan) => {
      const open = plan.status === 'active' || plan.status === 'in_review';
      const state = open ? reviewState(plan.reviewDate, page.today) : 'not_due';
      return {
        ...plan,
        title: `${planName} ${plan.cycle}`,
        statusLabel: PLAN_STATUS_LABELS[plan.status],
        reviewStateLabel: state === 'not_due' ? null : REVIEW_STATE_LABELS[state],
        overdue: state === 'overdue',
        href: paths.plan.to({ planId: plan.id }),
      };
    }),
  };
}

/** The chronology is shown to whoever reads any section it tells of. */
export function showsChronology(page: PupilPage): boolean {
  const { actions } = page;
  return (
    actions.viewSen ||
    actions.viewConcerns ||
    actions.viewLetters ||
    actions.viewProvision ||
    page.referralActions.read ||
    atLeast(page.access.plans, 'read')
  );
}

export function pupilPageModel(page: PupilPage, planName = 'Support plan') {
  const p = page.pupil;
  const ncYear = effectiveNcYear(p.dateOfBirth, p.ncYearOverride, page.today, page.rolledOverTo);
  return {
    pupil: p,
    fullName: `${p.forename} ${p.surname}`,
    className: page.className,
    yearGroup: `${ncYearLabel(ncYear)}${p.ncYearOverride !== null ? ' (taught out of year group)' : ''}`,
    age: ageOn(p.dateOfBirth, page.today),
    flags: flagsOf(p),
    parents: page.parents,
    actions: page.actions,
    stage: stageLabel(p.senStage),
    needs: [p.primaryNeed, p.secondaryNeed].filter(Boolean).map((c, i) => ({
      rank: i === 0 ? 'Primary' : 'Secondary',
      label: needLabel(c!),
      area: NEEDS[c!].area ? AREA_LABELS[NEEDS[c!].area!] : 'Other',
    })),
    openConcerns: page.concerns.filter((c) => c.status === 'open').length,
    assignedStaff: page.assignedStaff,
    leaver: page.leaver,
    showsChronology: showsChronology(page),
    chronology: showsChronology(page) ? chronology(page, planName) : [],
    provision: page.actions.viewProvision
      ? pupilProvisionModel(page.provision, page.provisionSettings[0], page.today)
      : null,
    plans: planTimeline(page, planName),
    agencies: pupilReferralsModel(page, page.today),
    ehc: pupilEhcModel(page),
    ehcPlan: pupilEhcPlanPanel(page),
    recommendations: pupilRecommendations(page),
    topUp: page.actions.viewProvision ? pupilTopUpModel(page) : null,
    progressHref: atLeast(page.access.progress, 'read') ? paths.pupilProgress.to({ pupilId: p.id }) : null,
  };
}

const USED_AS_WORDS: Record<string, string> = {
  target: 'a target in a plan',
  strategy: 'a strategy in a plan',
  provision: 'the provision',
};

/**
 * The advice of outside agencies on the pupil's page (only for those who read it: the record statement
 * leaves it empty for anyone else): each recommendation with its source and whether it has been used.
 */
export function pupilRecommendations(page: PupilPage) {
  return page.recommendations.map((r) => ({
    id: r.id,
    text: r.text,
    kind: RECOMMENDATION_KIND_LABELS[r.kind] ?? r.kind,
    source: recommendationSource(r),
    used: r.usedAs.length > 0,
    usedIn: r.usedAs.length ? `Used in ${r.usedAs.map((u) => USED_AS_WORDS[u] ?? u).join(' and ')}` : null,
    href: paths.recommendationUse.to({ recommendationId: r.id }),
  }));
}

/** Form values for editing a pupil, from the stored record. */
export function pupilFormValues(p: PupilRow): FormBody {
  return {
    upn: p.upn,
    forename: p.forename,
    surname: p.surname,
    preferredName: p.preferredName ?? '',
    sex: p.sex,
    classId: p.classId ?? '',
    ncYearOverride: p.ncYearOverride === null ? '' : String(p.ncYearOverride),
    flags: CONTEXT_FLAGS.filter((f) => p[f]),
    medicalNotes: p.medicalNotes ?? '',
    attendancePercent: p.attendancePercent === null ? '' : String(p.attendancePercent),
    version: String(p.version),
    ...dateParts('dateOfBirth', p.dateOfBirth),
    ...dateParts('admissionDate', p.admissionDate),
  };
}
