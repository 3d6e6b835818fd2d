import { randomUUID } from 'node:crypto';
import type { Database, Executor } from '../../db/client.ts';
import type { Section } from '../../domain/access.ts';
import { formatDate, type IsoDate } from '../../domain/dates.ts';
import { FAMILY_VIEW_ABOUT_LABELS, type FamilyViewAbout } from '../../domain/family.ts';
import {
  annualReviewWindow,
  ehcDraftWindow,
  ehcRequestWindow,
  ownWordsLabel,
  planReviewWindow,
  type ViewsWindow,
  viewsForTheRecord,
} from '../../domain/family-views.ts';
import type { ChildOfParent } from '../../repositories/family.ts';
import {
  annualReviewOfChild,
  annualReviewsBeingPrepared,
  currentPlanOfChild,
  ehcDraftsWithParents,
  ehcPlanOfChild,
  ehcRequestOfChild,
  ehcRequestsBeingWritten,
  insertView,
  sharedPlanOfChild,
  updateView,
  viewOf,
  viewsOn,
} from '../../repositories/family-views.ts';
import type { Actor } from '../kernel/actor.ts';
import { requireSchool } from '../kernel/authorise.ts';
import type { Clock } from '../kernel/clock.ts';
import { ConflictError, NotFoundError, ValidationError } from '../kernel/errors.ts';
import { pupilFor } from '../kernel/pupil-access.ts';
import { auditFamilyRead, changeAsFamily, familyChild } from './access.ts';

/*
 * A parent's views in their own words (docs/adr/0039): before a support plan's review, on a draft EHC
 * plan within its 15 days, for the school's request for an EHC needs assessment and for an annual
 * review. One per parent and record, versioned; open only while the record can still take them
 * (domain/family-views.ts). Staff see them on the record and on its review form, marked as the parent's.
 */

/** Which part of the record a kind of views belongs to (the parent grant and staff's reach). */
const SECTION_OF: Record<FamilyViewAbout, Section> = {
  plan_review: 'plans',
  ehc_request: 'ehc',
  ehc_draft: 'ehc',
  annual_review: 'ehc',
};

const RECORD_OF = {
  plan_review: 'plan',
  ehc_request: 'ehc_request',
  ehc_draft: 'pupil',
  annual_review: 'ehc_annual_review',
} as const;

const NOT_FOUND = (about: FamilyViewAbout, id: string) =>
  new NotFoundError('Not found', { kind: RECORD_OF[about], id });

export interface ViewsSubject {
  about: FamilyViewAbout;
  /** The id in the address (a plan, an EHC request, an EHC plan, an annual review). */
  recordId: string;
  /** The row the views are kept against (an EHC plan's version sent to the parents; else the record). */
  subjectId: string;
  window: ViewsWindow;
}

/** The record a parent's views are about, found through the child; "not found" when it is not theirs to see. */
async function subjectFor(
  db: Executor,
  child: ChildOfParent,
  about: FamilyViewAbout,
  recordId: string,
  today: IsoDate,
): Promise<ViewsSubject> {
  const { schoolId, id: pupilId } = child.pupil;
  switch (about) {
    case 'plan_review': {
      const plan = await sharedPlanOfChild(db, schoolId, pupilId, recordId);
      if (!plan) throw NOT_FOUND(about, recordId);
      return { about, recordId, subjectId: plan.id, window: planReviewWindow(plan, today) };
    }
    case 'ehc_draft': {
      const found = await ehcPlanOfChild(db, schoolId, pupilId, recordId);
      // An EHC plan is the authority's record, not a school's: a parent asking for one that is not their
      // child's is recorded where their child's school sees it.
      if (!found) throw new NotFoundError('Not found', { kind: 'pupil', id: pupilId });
      return {
        about,
        recordId,
        subjectId: found.version?.id ?? found.plan.id,
        window: ehcDraftWindow(found.version, today),
      };
    }
    case 'ehc_request': {
      const request = await ehcRequestOfChild(db, schoolId, pupilId, recordId);
      if (!request || request.requestedBy !== 'school') throw NOT_FOUND(about, recordId);
      return { about, recordId, subjectId: request.id, window: ehcRequestWindow(request) };
    }
    case 'annual_review': {
      const review = await annualReviewOfChild(db, schoolId, pupilId, recordId);
      if (!review) throw NOT_FOUND(about, recordId);
      return { about, recordId, subjectId: review.id, window: annualReviewWindow(review) };
    }
  }
}

export interface ViewsInput {
  body: string;
  /** The version of their views the parent started from (null: they had none). */
  version: number | null;
}

/**
 * What views are invited from the child's parents now (the views page's list and the child's first page),
 * and, when the plan's review is too far off to ask yet, the day views open.
 */
export async function viewsInvited(db: Executor, child: ChildOfParent, today: IsoDate) {
  const { schoolId, id } = child.pupil;
  const items: {
    about: FamilyViewAbout;
    recordId: string;
    /** The row views are kept against (the version sent, for a draft EHC plan). */
    subjectId: string;
    label: string;
    until: string | null;
  }[] = [];
  let later: string | null = null;
  const plan = await currentPlanOfChild(db, schoolId, id);
  if (plan) {
    const window = planReviewWindow(plan, today);
    // Not yet open: the day it opens, so the parent knows when they will be asked.
    if (!window.open && plan.reviewDate) later = window.message;
    if (window.open)
      items.push({
        about: 'plan_review',
        recordId: plan.id,
        subjectId: plan.id,
        label: FAMILY_VIEW_ABOUT_LABELS.plan_review,
        until: window.until ? formatDate(window.until) : null,
      });
  }
  for (const d of await ehcDraftsWithParents(db, schoolId, id)) {
    const window = ehcDraftWindow({ stage: 'sent', commentsDueOn: d.commentsDueOn }, today);
    if (window.open)
      items.push({
        about: 'ehc_draft',
        recordId: d.planId,
        subjectId: d.versionId,
        label: FAMILY_VIEW_ABOUT_LABELS.ehc_draft,
        until: window.until ? formatDate(window.until) : null,
      });
  }
  for (const r of await ehcRequestsBeingWritten(db, schoolId, id))
    items.push({
      about: 'ehc_request',
      recordId: r.id,
      subjectId: r.id,
      label: FAMILY_VIEW_ABOUT_LABELS.ehc_request,
      until: null,
    });
  for (const r of await annualReviewsBeingPrepared(db, schoolId, id))
    items.push({
      about: 'annual_review',
      recordId: r.id,
      subjectId: r.id,
      label: FAMILY_VIEW_ABOUT_LABELS.annual_review,
      until: r.meetingOn ? formatDate(r.meetingOn) : null,
    });
  return { items, later };
}

export function createFamilyViewService(database: Database, clock: Clock) {
  const { db } = database;
  return {
    /** A parent's page to give their views on one record: open or closed, and what they wrote before. */
    async form(
      actor: Actor,
      pupilId: string,
      about: FamilyViewAbout,
      recordId: string,
      options: { audit: boolean } = { audit: true },
    ) {
      const child = await familyChild(db, actor, pupilId, { section: SECTION_OF[about] });
      const subject = await subjectFor(db, child, about, recordId, clock.today());
      const mine = await viewOf(db, child.pupil.schoolId, about, subject.subjectId, child.parent.userId);
      if (options.audit)
        await auditFamilyRead(db, child.parent, child, 'family.read', {
          record: about,
          id: subject.subjectId,
        });
      const p = child.pupil;
      return {
        pupilId: p.id,
        childName: `${p.preferredName ?? p.forename} ${p.surname}`,
        schoolName: child.schoolName,
        about,
        heading: FAMILY_VIEW_ABOUT_LABELS[about],
        window: subject.window,
        until: subject.window.open && subject.window.until ? formatDate(subject.window.until) : null,
        mine: mine ? { body: mine.body, updatedAt: mine.updatedAt } : null,
        version: mine?.version ?? null,
      };
    },

    /**
     * Give or change views: refused (and nothing kept) when the record no longer takes them; a save
     * from an older version shows the other version and keeps the parent's text.
     */
    async give(actor: Actor, pupilId: string, about: FamilyViewAbout, recordId: string, input: ViewsInput) {
      return changeAsFamily(db, actor, pupilId, { section: SECTION_OF[about], level: 'read' }, async (w) => {
        const subject = await subjectFor(w.tx, w.child, about, recordId, clock.today());
        if (!subject.window.open)
          throw new ValidationError([{ field: 'body', message: subject.window.message }]);
        const schoolId = w.child.pupil.schoolId;
        const mine = await viewOf(w.tx, schoolId, about, subject.subjectId, w.actor.userId);
        const stale = () =>
          new ConflictError(
            'Your views were changed somewhere else (on another device or tab) after you opened this page. They are shown below. What you typed is kept in the box: check it and send it again.',
            mine ? { body: mine.body, updatedAt: mine.updatedAt } : null,
          );
        if (mine) {
          if (input.version !== mine.version) throw stale();
          const saved = await updateView(w.tx, schoolId, mine.id, mine.version, input.body);
          if (!saved) throw stale();
          w.audit('family.views_changed', {
            pupilId,
            detail: { about, subjectId: subject.subjectId, viewId: mine.id },
          });
          return { changed: true };
        }
        if (input.version !== null) throw stale();
        const carer = w.child.carers[0]!;
        const id = randomUUID();
        await insertView(w.tx, {
          schoolId,
          id,
          pupilId,
          about,
          subjectId: subject.subjectId,
          body: input.body,
          givenBy: w.actor.userId,
          parentCarerId: carer.id,
          givenByName: carer.name,
        });
        w.audit('family.views_given', {
          pupilId,
          detail: { about, subjectId: subject.subjectId, viewId: id },
        });
        return { changed: false };
      });
    },

    /** What views are invited from this parent now, for the child's first page and its list. */
    async invited(actor: Actor, pupilId: string) {
      const child = await familyChild(db, actor, pupilId);
      return (await viewsInvited(db, child, clock.today())).items;
    },

    /**
     * The parents' views on one of the school's records, for staff on that record's page or review
     * form: each dated and marked as the parent's own words, and the text to put in the record's
     * parents' views field. The caller's service authorised and audited the record itself; this checks
     * the pupil again, in the section the views belong to.
     */
    async onRecord(actor: Actor, pupilId: string, about: FamilyViewAbout, subjectId: string) {
      const a = requireSchool(actor);
      await pupilFor(db, a, pupilId, { section: SECTION_OF[about] });
      const views = await viewsOn(db, a.schoolId, pupilId, about, subjectId);
      return {
        views: views.map((v) => ({
          id: v.id,
          name: v.givenByName,
          label: ownWordsLabel(v.givenByName, v.givenAt),
          body: v.body,
          givenAt: v.givenAt,
          changed: v.version > 1,
        })),
        forTheRecord: views.length > 0 ? viewsForTheRecord(views) : null,
      };
    },
  };
}

export type FamilyViewService = ReturnType<typeof createFamilyViewService>;
