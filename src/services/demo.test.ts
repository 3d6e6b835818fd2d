import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { and, asc, eq, isNotNull, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TODAY, testServices } from '../../test/builders/index.ts';
import { actorFor } from '../../test/builders/people.ts';
import { Client, testApp } from '../../test/client.ts';
import { freshDatabase } from '../../test/db.ts';
import { brokenWords, fragments, planTableTexts, readPdf, textsOf } from '../../test/pdf.ts';
import { latestSignInCode } from '../../test/sign-in-code.ts';
import type { Database } from '../db/client.ts';
import {
  agency,
  agencyProfessional,
  agencyReport,
  appUser,
  auditEvent,
  bankEntry,
  classTeacher,
  concern,
  contactChange,
  ctfExport,
  ehcAnnualReview,
  ehcPlan,
  ehcPlanVersion,
  ehcRequest,
  ehcReviewDecision,
  familyView,
  groupMember,
  letter,
  letterReply,
  letterTemplate,
  membershipRole,
  outcomeRating,
  parentCarer,
  parentInvitation,
  planNote,
  planReview,
  planTarget,
  planTargetCheck,
  progressMeeting,
  progressMeetingPupil,
  provisionGroup,
  pupil,
  pupilAction,
  pupilAssignment,
  pupilProfile,
  pupilShare,
  pupilVoice,
  recommendation,
  recommendationUse,
  referral,
  referralConsent,
  registerEntry,
  school,
  schoolClass,
  schoolSettings,
  storedFile,
  supportPlan,
} from '../db/schema/index.ts';
import { classOnDate, fitsNeeds } from '../demo/plans.ts';
import { letterPdf } from '../documents/letter-pdf.ts';
import { planPdf } from '../documents/plan-pdf.ts';
import { provisionMapPdf } from '../documents/provision-pdf.ts';
import type { Role } from '../domain/access.ts';
import { holdsStrategy, recommendationSource } from '../domain/agencies.ts';
import { academicYearStartOf, ncYearFromDateOfBirth, ncYearLabel } from '../domain/calendar.ts';
import { addDays, formatDate } from '../domain/dates.ts';
import { decisionAction, decisionStartsNewPlan } from '../domain/plans.ts';
import { mayPrepareFor } from '../domain/progress-meetings.ts';
import { lateness } from '../domain/referrals.ts';
import { ctfWentToAnotherSchool, pastRetention } from '../domain/retention.ts';
import { isSchoolDay, schoolDaysBetween } from '../domain/school-days.ts';
import { subjectAccessDueOn } from '../domain/subject-access.ts';
import { targetCheckStatus } from '../domain/target-checks.ts';
import { letterDocument } from '../presenters/letters.ts';
import { planDocument } from '../presenters/plan.ts';
import { mapModel } from '../presenters/provision.ts';
import { DEMO_PASSWORD } from './demo.ts';
import { packSchemaProblems } from './ehc/pack-schema.ts';
import type { Services } from './index.ts';
import { createServices } from './index.ts';
import { fixedClock } from './kernel/clock.ts';

/*
 * The demo school holds a true history of the graduated approach, as the plan and letter services
 * would have written it, and every page and list has something to show: loaded through the demo
 * service into a fresh database, read back from the tables, and seen through the real services and
 * pages.
 */

const SEED = 2026;
/** The first day of this school year: the pupils' classes and teachers are this year's. */
const THIS_YEAR = `${TODAY.slice(0, 4)}-09-01`;
let database: Database;
let services: Services;
let schoolId: string;

async function load(db: Database, s: Services) {
  await s.demo.load({ schools: 1, seed: SEED }, 'demo-test');
  return db;
}

/** Every row of the tables the history fills, ordered so two loads compare equal. */
async function historyOf(db: Database) {
  const d = db.db;
  return {
    plans: await d.select().from(supportPlan).orderBy(asc(supportPlan.id)),
    targets: await d.select().from(planTarget).orderBy(asc(planTarget.id)),
    notes: await d.select().from(planNote).orderBy(asc(planNote.id)),
    checks: await d.select().from(planTargetCheck).orderBy(asc(planTargetCheck.id)),
    settings: await d.select().from(schoolSettings).orderBy(asc(schoolSettings.schoolId)),
    members: await d.select().from(groupMember).orderBy(asc(groupMember.id)),
    reviews: await d.select().from(planReview).orderBy(asc(planReview.id)),
    actions: await d.select().from(pupilAction).orderBy(asc(pupilAction.id)),
    profiles: await d.select().from(pupilProfile).orderBy(asc(pupilProfile.pupilId)),
    bank: await d.select().from(bankEntry).orderBy(asc(bankEntry.id)),
    templates: await d.select().from(letterTemplate).orderBy(asc(letterTemplate.id)),
    letters: await d.select().from(letter).orderBy(asc(letter.id)),
  };
}
let h: Awaited<ReturnType<typeof historyOf>>;
let pupils: (typeof pupil.$inferSelect)[];
let entries: (typeof registerEntry.$inferSelect)[];

/** A member of the demo school's staff as the services see them. */
async function staffActor(email: string) {
  const [user] = await database.db.select().from(appUser).where(eq(appUser.email, email));
  const roles = await database.db
    .select({ role: membershipRole.role })
    .from(membershipRole)
    .where(and(eq(membershipRole.schoolId, schoolId), eq(membershipRole.userId, user!.id)));
  return actorFor(
    user!.id,
    user!.name,
    email,
    roles.map((r) => r.role as Role),
    schoolId,
  ) as ReturnType<typeof actorFor> & { schoolId: string };
}

beforeAll(async () => {
  database = await freshDatabase();
  services = testServices(database);
  await load(database, services);
  [{ id: schoolId }] = (await database.db.select({ id: school.id }).from(school)) as [{ id: string }];
  h = await historyOf(database);
  pupils = await database.db.select().from(pupil);
  entries = await database.db.select().from(registerEntry).orderBy(asc(registerEntry.effectiveDate));
}, 120_000);

afterAll(async () => {
  await database?.close();
});

const html = (s: string) => s.replace(/&/g, '&amp;').replace(/'/g, '&#39;').replace(/"/g, '&quot;');
const plansOf = (pupilId: string) =>
  h.plans.filter((p) => p.pupilId === pupilId).sort((a, b) => a.cycle - b.cycle);
const reviewOf = (planId: string) => h.reviews.filter((r) => r.planId === planId);
const daysBetween = (a: string, b: string) => (Date.parse(b) - Date.parse(a)) / 86_400_000;

describe('the demo school’s history of the graduated approach', () => {
  it('gives most pupils at SEN support a plan in place, and every pupil with an EHC plan plans over more than a year', () => {
    const atK = pupils.filter((p) => p.senStage === 'sen_support');
    const atE = pupils.filter((p) => p.senStage === 'ehc_plan');
    expect(atE.length).toBeGreaterThan(3);
    const inForce = new Set(
      h.plans.filter((p) => p.status === 'active' || p.status === 'in_review').map((p) => p.pupilId),
    );
    expect(atK.filter((p) => inForce.has(p.id)).length / atK.length).toBeGreaterThan(0.85);
    for (const p of atE) {
      const plans = plansOf(p.id);
      const first = plans[0]!.startDate!;
      expect(daysBetween(first, TODAY)).toBeGreaterThan(365);
      expect(plans.length).toBeGreaterThanOrEqual(4);
      // The school asked for the EHC needs assessment at a review before the plan was issued.
      const issued = entries.find((e) => e.pupilId === p.id && e.stage === 'ehc_plan')!.effectiveDate;
      const asked = plans.flatMap((x) => reviewOf(x.id)).find((r) => r.decision === 'ehc_request');
      expect(asked?.heldOn.localeCompare(issued)).toBe(-1);
    }
    // Those on the monitoring list mostly have no plan.
    const monitoring = pupils.filter((p) => p.senStage === 'monitoring');
    expect(monitoring.filter((p) => plansOf(p.id).length > 0).length).toBeLessThan(monitoring.length / 3);
  });

  it('numbers each pupil’s plans from 1, links each to the one before, and has at most one in force', () => {
    const byPupil = new Map<string, typeof h.plans>();
    for (const p of h.plans) byPupil.set(p.pupilId, [...(byPupil.get(p.pupilId) ?? []), p]);
    expect(Math.max(...[...byPupil.values()].map((x) => x.length))).toBeLessThanOrEqual(8);
    for (const plans of byPupil.values()) {
      const ordered = [...plans].sort((a, b) => a.cycle - b.cycle);
      ordered.forEach((p, i) => {
        expect(p.cycle).toBe(i + 1);
        expect(p.previousPlanId).toBe(i === 0 ? null : ordered[i - 1]!.id);
        // Only the last can be open; the ones before were closed by their reviews.
        if (i < ordered.length - 1) expect(p.status).toBe('closed');
        expect(p.reviewDate! > p.startDate!).toBe(true);
        expect(p.startDate! <= TODAY).toBe(true);
        if (p.agreedOn) expect(p.agreedOn >= p.startDate! && p.agreedOn <= TODAY).toBe(true);
        if (p.sharedWithParentsOn) expect(p.sharedWithParentsOn >= p.agreedOn!).toBe(true);
      });
      expect(ordered.filter((p) => p.status === 'active' || p.status === 'in_review').length).toBeLessThan(2);
    }
  });

  it('closes each plan by its review, with an outcome for every target, and starts the next from it', () => {
    const closed = h.plans.filter((p) => p.status === 'closed');
    expect(closed.length).toBeGreaterThan(100);
    const decisions = new Set<string>();
    for (const p of closed) {
      const reviews = reviewOf(p.id);
      expect(reviews).toHaveLength(1);
      const review = reviews[0]!;
      decisions.add(review.decision);
      expect(review.heldOn >= p.startDate! && review.heldOn <= TODAY).toBe(true);
      expect(isSchoolDay(review.heldOn)).toBe(true);
      expect(review.attendees).toContain('(class teacher)');
      // Closed by its review, in the review's own transaction.
      expect(p.closedAt).toEqual(review.createdAt);
      const targets = h.targets.filter((t) => t.planId === p.id);
      expect(targets.length).toBeGreaterThan(0);
      for (const t of targets) {
        expect(t.outcome).not.toBeNull();
        expect(t.outcomeEvidence).toBeTruthy();
      }
      const next = h.plans.find((x) => x.previousPlanId === p.id);
      if (decisionStartsNewPlan(review.decision)) {
        // The next plan was drafted at the review, by the reviewer.
        expect(review.nextPlanId).toBe(next?.id);
        expect(next!.createdAt).toEqual(review.createdAt);
        expect(next!.createdBy).toBe(review.reviewedBy);
      } else {
        expect(review.nextPlanId).toBeNull();
        expect(next).toBeUndefined();
      }
      const action = decisionAction(review.decision);
      expect(h.actions.filter((a) => a.planReviewId === review.id).map((a) => a.kind)).toEqual(
        action ? [action] : [],
      );
    }
    expect(decisions).toEqual(
      new Set(['new_plan', 'involve_agency', 'top_up_funding', 'ehc_request', 'leave_register']),
    );
    // Plans still open have no review yet.
    for (const p of h.plans.filter((x) => x.status !== 'closed')) expect(reviewOf(p.id)).toEqual([]);
  });

  it('dates every event of the school on a school day: every date column of every table the school owns', async () => {
    // Dates that are not something the school did: a birthday, and dates copied from outside.
    const notEvents = new Set(['date_of_birth']);
    // A deadline the law sets, whatever day it falls on (a subject access answer: a calendar month).
    // (…and the day a leaver's record is kept until, counted from their birthday.)
    const deadlines = new Set(['subject_access_request.due_on', 'retention_review.kept_until']);
    // The school's closures are the days it is shut: by their nature not school days.
    for (const column of ['first_day', 'last_day']) deadlines.add(`school_closure.${column}`);
    const columns = (
      (await database.db.execute(
        sql`select c.table_name as "table", c.column_name as "column" from information_schema.columns c
          where c.table_schema = 'public' and c.data_type = 'date'
            and exists (select 1 from information_schema.columns s where s.table_schema = 'public'
              and s.table_name = c.table_name and s.column_name = 'school_id')
          order by 1, 2`,
      )) as unknown as { rows: { table: string; column: string }[] }
    ).rows.filter((c) => !notEvents.has(c.column) && !deadlines.has(`${c.table}.${c.column}`));
    expect(columns.map((c) => `${c.table}.${c.column}`)).toEqual(
      expect.arrayContaining([
        'group_member.left_on',
        'group_member.exit_measured_on',
        'provision_session.held_on',
      ]),
    );
    const offending: string[] = [];
    let seen = 0;
    for (const { table, column } of columns) {
      const found = (
        (await database.db.execute(
          sql`select distinct ${sql.identifier(column)}::text as d from ${sql.identifier(table)} where school_id = ${schoolId} and ${sql.identifier(column)} is not null`,
        )) as unknown as { rows: { d: string }[] }
      ).rows;
      seen += found.length;
      for (const { d } of found) if (!isSchoolDay(d)) offending.push(`${table}.${column} ${d}`);
    }
    expect(seen).toBeGreaterThan(500);
    expect(offending).toEqual([]);
  });

  it('carries the targets not met into the next plan, and only those', () => {
    const byId = new Map(h.targets.map((t) => [t.id, t]));
    const carried = h.targets.filter((t) => t.carriedFromId);
    expect(carried.length).toBeGreaterThan(50);
    for (const t of carried) {
      const from = byId.get(t.carriedFromId!)!;
      const plan = h.plans.find((p) => p.id === t.planId)!;
      expect(from.planId).toBe(plan.previousPlanId);
      expect(from.outcome).not.toBe('achieved');
      expect(from.outcome).not.toBeNull();
      expect(t.target).toBe(from.target);
      expect(t.bankEntryId).toBe(from.bankEntryId);
    }
    // Every target a plan starts with is new or carried; positions run from 1 without a gap.
    for (const p of h.plans) {
      const positions = h.targets
        .filter((t) => t.planId === p.id)
        .map((t) => t.position)
        .sort((a, b) => a - b);
      expect(positions).toEqual(positions.map((_, i) => i + 1));
      expect(positions.length).toBeLessThanOrEqual(4);
    }
  });

  it('carries every target a review did not find achieved into the plan it decided on, as its decision says', () => {
    let reviewed = 0;
    for (const review of h.reviews.filter((x) => decisionStartsNewPlan(x.decision))) {
      const next = h.plans.find((p) => p.previousPlanId === review.planId);
      if (!next) continue;
      reviewed++;
      const unmet = h.targets.filter((t) => t.planId === review.planId && t.outcome !== 'achieved');
      const carried = new Set(h.targets.filter((t) => t.planId === next.id).map((t) => t.carriedFromId));
      for (const t of unmet) expect(carried.has(t.id), `${t.target} (${t.outcome})`).toBe(true);
    }
    expect(reviewed).toBeGreaterThan(50);
  });

  it('chooses each target by the pupil’s needs: no hearing-aid or enlarged-print target without that need', () => {
    const needsOf = new Map<string, (string | null)[]>();
    for (const e of entries)
      needsOf.set(e.pupilId, [...(needsOf.get(e.pupilId) ?? []), e.primaryNeed, e.secondaryNeed]);
    for (const t of h.targets) {
      const needs = (needsOf.get(t.pupilId) ?? []) as Parameters<typeof fitsNeeds>[1];
      expect(fitsNeeds(t.target, needs), `${t.target}: ${needs.join(', ')}`).toBe(true);
    }
    // The rule itself: a hearing-aid target is for hearing loss, not a physical disability.
    expect(fitsNeeds('Joshua will wear their hearing aids all day', ['PD', null])).toBe(false);
    expect(fitsNeeds('Joshua will wear their hearing aids all day', ['HI', null])).toBe(true);
    expect(fitsNeeds('Joshua will put on their coat and do up the zip', ['PD', null])).toBe(true);
  });

  it('takes pupils off the register through a review, as the register entry says', () => {
    const leaving = h.reviews.filter((r) => r.decision === 'leave_register');
    const left = entries.filter((e) => e.fromStage === 'sen_support' && e.stage === 'none');
    expect(left.length).toBeGreaterThan(0);
    expect(leaving.map((r) => r.pupilId).sort()).toEqual(left.map((e) => e.pupilId).sort());
    for (const r of leaving) {
      const entry = left.find((e) => e.pupilId === r.pupilId)!;
      expect(entry).toMatchObject({
        effectiveDate: r.heldOn,
        source: 'register_review',
        reason: `Plan review: ${r.decisionNotes}`,
        decidedBy: r.reviewedBy,
      });
      expect(plansOf(r.pupilId).every((p) => p.status === 'closed')).toBe(true);
    }
    // The register's own dates are school days.
    expect(entries.every((e) => isSchoolDay(e.effectiveDate))).toBe(true);
  });

  it('keeps dated notes within each plan’s life, by the class teacher and the assistant who work with the pupil', async () => {
    const teacherOf = new Map(
      (await database.db.select().from(classTeacher)).map((c) => [c.classId, c.userId] as const),
    );
    const assigned = await database.db.select().from(pupilAssignment);
    const roles = new Map<string, string[]>();
    for (const r of await database.db.select().from(membershipRole))
      roles.set(r.userId, [...(roles.get(r.userId) ?? []), r.role]);
    const plans = new Map(h.plans.map((p) => [p.id, p]));
    for (const n of h.notes) {
      const plan = plans.get(n.planId)!;
      const review = reviewOf(plan.id)[0];
      expect(n.writtenOn >= plan.agreedOn!).toBe(true);
      expect(n.writtenOn <= (review ? addDays(review.heldOn, -1) : TODAY)).toBe(true);
      expect(isSchoolDay(n.writtenOn)).toBe(true);
      expect(plan.status).not.toBe('draft');
      if (n.targetId) expect(h.targets.find((t) => t.id === n.targetId)?.planId).toBe(plan.id);
      // On plans in place, this school year: the pupil's class teacher, their assistant or the SENCo.
      if (plan.status !== 'closed' && n.writtenOn >= THIS_YEAR) {
        const p = pupils.find((x) => x.id === n.pupilId)!;
        const allowed = [
          teacherOf.get(p.classId!),
          ...assigned.filter((a) => a.pupilId === p.id).map((a) => a.userId),
        ];
        expect(allowed.includes(n.authorId!) || roles.get(n.authorId!)?.includes('senco')).toBe(true);
      }
    }
    const authorRoles = new Set(h.notes.map((n) => n.authorRoles));
    expect(authorRoles).toContain('Class teacher');
    expect(authorRoles).toContain('Teaching assistant');
    // Each one can open the plan they wrote on through the plan service's own access rules.
    const open = h.notes.filter((n) => plans.get(n.planId)!.status !== 'closed' && n.writtenOn >= THIS_YEAR);
    const pairs = [...new Map(open.map((n) => [`${n.authorId}/${n.planId}`, n])).values()].slice(0, 30);
    for (const n of pairs) {
      const [user] = await database.db.select().from(appUser).where(eq(appUser.id, n.authorId!));
      const author = await staffActor(user!.email);
      const page = await services.plans.view(author, n.planId, { audit: false });
      expect(page.actions.addNote).toBe(true);
    }
  });

  it('has letters merged from the school’s templates, with most slips back and some outstanding', async () => {
    const templates = new Map(h.templates.map((t) => [t.id, t]));
    const classes = await database.db.select().from(schoolClass);
    expect(new Set(h.templates.map((t) => t.kind))).toEqual(
      new Set(['register_placement', 'review_invitation', 'plan_shared', 'leaving_register']),
    );
    const parents = await database.db.select().from(parentCarer);
    const [senco] = await database.db
      .select({ name: appUser.name })
      .from(appUser)
      .where(eq(appUser.email, 'senco@brookfield.example'));
    for (const l of h.letters) {
      const t = templates.get(l.templateId!)!;
      expect(l.kind).toBe(t.kind);
      expect(l.body).not.toContain('{{');
      expect(l.body).not.toContain('______');
      expect(l.body).toContain(senco!.name);
      const p = pupils.find((x) => x.id === l.pupilId)!;
      expect(l.body).toContain(p.preferredName ?? p.forename);
      // To the parents with parental responsibility, by name.
      for (const x of parents.filter((y) => y.pupilId === p.id && y.parentalResponsibility))
        expect(l.recipients).toContain(x.name);
      expect(l.sentOn <= TODAY).toBe(true);
      expect(l.slipExpected).toBe(t.slip !== null);
      if (l.slipReturnedOn) expect(l.slipReturnedOn >= l.sentOn && l.slipReturnedOn <= TODAY).toBe(true);
      if (l.planId) expect(h.plans.find((x) => x.id === l.planId)?.pupilId).toBe(l.pupilId);
      // The pupil as the letter named them when it was sent: the class they were in that day.
      const classThen = classOnDate(
        classes.map((c) => ({ id: c.id, name: c.name, ncYear: c.ncYear ?? 0 })),
        p.classId,
        l.sentOn,
        academicYearStartOf(TODAY),
      );
      expect(l.pupilAsSent).toEqual({
        forename: p.forename,
        surname: p.surname,
        className: classThen?.name ?? null,
      });
    }
    // Letters of an earlier school year name the class the pupil was in then, not this year's.
    expect(
      h.letters.some(
        (l) =>
          l.pupilAsSent.className !==
          classes.find((c) => c.id === pupils.find((p) => p.id === l.pupilId)?.classId)?.name,
      ),
    ).toBe(true);
    // The Appendix D letter for (nearly) every pupil placed at SEN support, soon after.
    const placed = entries.filter((e) => e.changeKind === 'added_to_sen_support');
    const appendixD = h.letters.filter((l) => l.kind === 'register_placement');
    expect(appendixD.length).toBeGreaterThan(placed.length * 0.85);
    for (const l of appendixD) {
      const e = placed.find((x) => x.pupilId === l.pupilId)!;
      expect(l.sentOn > e.effectiveDate).toBe(true);
      expect(schoolDaysBetween(e.effectiveDate, l.sentOn)).toBeLessThanOrEqual(7);
      expect(isSchoolDay(l.sentOn)).toBe(true);
    }
    const slips = h.letters.filter((l) => l.slipExpected);
    const back = slips.filter((l) => l.slipReturnedOn);
    const outstanding = slips.filter((l) => !l.slipReturnedOn && daysBetween(l.sentOn, TODAY) > 21);
    expect(back.length / slips.length).toBeGreaterThan(0.75);
    expect(outstanding.length).toBeGreaterThan(0);
    expect(new Set(h.letters.map((l) => l.sentVia)).size).toBeGreaterThanOrEqual(3);
  });

  it('has a one-page profile for most pupils with a plan, and a bank whose counts match the plans', () => {
    const withPlans = new Set(h.plans.filter((p) => p.agreedOn).map((p) => p.pupilId));
    const profiled = h.profiles.filter((x) => withPlans.has(x.pupilId));
    expect(profiled.length / withPlans.size).toBeGreaterThan(0.7);
    for (const x of h.profiles) expect(x.likeAndAdmire && x.importantToMe && x.howToSupportMe).toBeTruthy();
    // A bank target counts each plan it was put into, not the plans it was carried into.
    const uses = new Map<string, number>();
    for (const t of h.targets)
      if (t.bankEntryId && !t.carriedFromId) uses.set(t.bankEntryId, (uses.get(t.bankEntryId) ?? 0) + 1);
    for (const e of h.bank) expect(e.timesUsed).toBe(uses.get(e.id) ?? 0);
    expect(h.bank.every((e) => e.source === 'starter')).toBe(true);
    expect(h.targets.filter((t) => t.bankEntryId).length / h.targets.length).toBeGreaterThan(0.7);
  });

  it('has a few pupils on SEN support in their own words, with their views for their last review', async () => {
    const voices = await database.db.select().from(pupilVoice).where(eq(pupilVoice.schoolId, schoolId));
    const views = voices.filter((v) => v.kind === 'review_views');
    expect(views.length).toBeGreaterThanOrEqual(3);
    expect(voices.filter((v) => v.kind === 'one_page_profile')).toHaveLength(views.length);
    const reviews = await database.db.select().from(planReview).where(eq(planReview.schoolId, schoolId));
    for (const v of views) {
      const last = reviews
        .filter((r) => r.pupilId === v.pupilId)
        .sort((a, b) => (a.heldOn < b.heldOn ? 1 : -1))[0];
      expect(v.planId).toBe(last?.planId);
      const day = v.createdAt.toISOString().slice(0, 10);
      expect(isSchoolDay(day) && day < (last?.heldOn ?? '')).toBe(true);
    }
  });

  it('keeps who agreed and who closed each plan, and the pupil as they were on the day each closed', async () => {
    const classes = await database.db.select().from(schoolClass);
    const thisYear = academicYearStartOf(TODAY);
    const closed = h.plans.filter((p) => p.status === 'closed');
    for (const plan of h.plans) {
      expect(plan.agreedByName === null).toBe(plan.agreedOn === null);
      if (plan.status !== 'closed') expect([plan.closedByName, plan.pupilAtClose]).toEqual([null, null]);
    }
    let lastYear = 0;
    for (const plan of closed) {
      const review = reviewOf(plan.id)[0]!;
      expect(plan.closedByName).toBe(review.reviewedByName);
      const p = pupils.find((x) => x.id === plan.pupilId)!;
      const then = academicYearStartOf(review.heldOn);
      // The register as it stood that day, before the review's own decision moved the pupil.
      const entry = entries
        .filter((e) => e.pupilId === p.id && e.effectiveDate <= review.heldOn)
        .filter((e) => !(e.source === 'register_review' && e.effectiveDate === review.heldOn))
        .at(-1)!;
      const classThen = classOnDate(
        classes.map((c) => ({ id: c.id, name: c.name, ncYear: c.ncYear ?? 0 })),
        p.classId,
        review.heldOn,
        thisYear,
      );
      expect(plan.pupilAtClose, plan.id).toEqual({
        ncYear:
          p.ncYearOverride === null
            ? ncYearFromDateOfBirth(p.dateOfBirth, then)
            : p.ncYearOverride - (thisYear - then),
        outOfYearGroup: p.ncYearOverride !== null,
        className: classThen?.name ?? null,
        senStage: entry.stage,
        primaryNeed: entry.primaryNeed,
        secondaryNeed: entry.secondaryNeed,
      });
      if (then < thisYear) lastYear++;
    }
    expect(lastYear).toBeGreaterThan(20);
    // Those who left the register through a review were at SEN support on the plan that review closed.
    const leaving = h.reviews.filter((r) => r.decision === 'leave_register');
    expect(leaving.length).toBeGreaterThan(0);
    for (const r of leaving)
      expect(h.plans.find((p) => p.id === r.planId)!.pupilAtClose!.senStage).toBe('sen_support');
  });

  it('checks targets half-termly, and shows the SENCo the one or two checks due or overdue', async () => {
    expect(h.settings).toMatchObject([{ schoolId, halfTermlyTargetChecks: true }]);
    expect(h.checks.length).toBeGreaterThan(150);
    const targetsOf = (planId: string) =>
      h.targets.filter((t) => t.planId === planId).sort((a, b) => a.position - b.position);
    for (const c of h.checks) {
      const plan = h.plans.find((p) => p.id === c.planId)!;
      expect(plan.agreedOn! <= c.checkedOn && c.checkedOn < plan.reviewDate! && c.checkedOn <= TODAY).toBe(
        true,
      );
      expect(c.items.map((i) => [i.targetId, i.position, i.target])).toEqual(
        targetsOf(plan.id).map((t) => [t.id, t.position, t.target]),
      );
    }
    const open = h.plans
      .filter((p) => p.status === 'active')
      .filter((p) => {
        const { state } = targetCheckStatus(
          p,
          h.checks.filter((c) => c.planId === p.id).map((c) => c.dueOn),
          TODAY,
        );
        return state === 'due' || state === 'overdue';
      });
    expect(open.length).toBeGreaterThanOrEqual(1);
    expect(open.length).toBeLessThanOrEqual(2);
    const senco = await staffActor('senco@brookfield.example');
    const { counts } = await services.workLists.dashboard(senco);
    expect(counts.find((c) => c.list === 'target_checks_due')?.count).toBe(open.length);
  });

  it('says who put each pupil in a group and who took them out', async () => {
    const [senco] = await database.db
      .select({ name: appUser.name })
      .from(appUser)
      .where(eq(appUser.email, 'senco@brookfield.example'));
    const groups = new Map((await database.db.select().from(provisionGroup)).map((g) => [g.id, g]));
    expect(h.members.length).toBeGreaterThan(20);
    for (const m of h.members) {
      expect(m.addedByName).toBe(senco!.name);
      expect(m.leftByName).toBe(m.leftOn ? senco!.name : null);
      if (m.leftOn) expect(m.leftOn < groups.get(m.groupId)!.endDate!).toBe(true);
    }
    expect(h.members.some((m) => m.leftOn)).toBe(true);
  });

  it('writes one audit row for the whole school, not a made-up history', async () => {
    const rows = await database.db
      .select({ action: auditEvent.action })
      .from(auditEvent)
      .where(eq(auditEvent.requestId, 'demo-test'));
    expect(rows).toEqual([{ action: 'demo.loaded' }]);
  });

  it('shows the SENCo reviews due and overdue, old drafts and slips outstanding, and few pupils without a plan', async () => {
    const senco = await staffActor('senco@brookfield.example');
    const { counts } = await services.workLists.dashboard(senco);
    const count = Object.fromEntries(counts.map((c) => [c.list, c.count]));
    expect(count.reviews_due).toBeGreaterThan(0);
    expect(count.reviews_overdue).toBeGreaterThan(0);
    expect(count.old_drafts).toBeGreaterThan(0);
    expect(count.slips_outstanding).toBeGreaterThan(0);
    const listed = pupils.filter((p) => p.senStage === 'sen_support' || p.senStage === 'ehc_plan');
    expect(count.no_plan).toBeGreaterThan(0);
    expect(count.no_plan).toBeLessThan(listed.length / 10);
    // A class teacher sees their own pupils' plans there too.
    const teacher = await staffActor('teacher8@brookfield.example');
    const mine = await services.workLists.myPupils(teacher);
    expect(mine.counts.some((c) => c.count > 0)).toBe(true);
  });
});

describe('the demo school’s pupil progress meetings', () => {
  it('holds a meeting for each class in the half terms begun, with actions done and open, and one that became a concern', async () => {
    const rows = await database.db
      .select()
      .from(progressMeetingPupil)
      .where(eq(progressMeetingPupil.schoolId, schoolId));
    expect(rows.length).toBeGreaterThan(10);
    expect(rows.some((r) => r.actionDoneAt)).toBe(true);
    expect(rows.some((r) => r.actionOwnerId && !r.actionDoneAt)).toBe(true);
    expect(rows.filter((r) => r.concernId)).toHaveLength(1);
    const meetings = await database.db
      .select()
      .from(progressMeeting)
      .where(eq(progressMeeting.schoolId, schoolId));
    for (const m of meetings) expect(mayPrepareFor(TODAY, m)).toBe(true);
    const [withMeetings] = (await database.db
      .select({ email: appUser.email })
      .from(appUser)
      .where(eq(appUser.id, meetings[0]!.createdBy!))) as [{ email: string }];
    const list = await services.progressMeetings.list(await staffActor(withMeetings.email));
    expect(list.classes.filter((c) => c.meeting).length).toBeGreaterThan(0);
  });

  it('rates several pupils’ outcomes beyond attainment at three reviews', async () => {
    const ratings = await database.db
      .select()
      .from(outcomeRating)
      .where(eq(outcomeRating.schoolId, schoolId));
    expect(new Set(ratings.map((x) => x.pupilId)).size).toBeGreaterThanOrEqual(3);
    expect(new Set(ratings.map((x) => x.ratedOn)).size).toBe(3);
  });
});

describe('the demo pages for a pupil with a long history', () => {
  it('show the pupil, each plan with its review, the print view and the PDF', async () => {
    const { app } = await testApp(database, services);
    try {
      const client = new Client(app);
      await client.signIn('senco@brookfield.example', 'opensend-demo-password');
      // The pupil with an EHC plan and the most plans.
      const atE = pupils.filter((p) => p.senStage === 'ehc_plan');
      // (one whose plan in place has notes already)
      const p = atE
        .sort((a, b) => plansOf(b.id).length - plansOf(a.id).length)
        .find((x) => h.notes.some((n) => n.planId === plansOf(x.id).at(-1)?.id))!;
      const plans = plansOf(p.id);
      const page = await client.get(`/pupils/${p.id}`);
      expect(page.statusCode).toBe(200);
      for (const x of plans) expect(page.body).toContain(`/plans/${x.id}`);

      const closed = plans[0]!;
      const shown = await client.get(`/plans/${closed.id}`);
      expect(shown.statusCode).toBe(200);
      const review = reviewOf(closed.id)[0]!;
      expect(shown.body).toContain(formatDate(review.heldOn));
      for (const t of h.targets.filter((x) => x.planId === closed.id))
        expect(shown.body).toContain(t.outcomeEvidence!);

      const current = plans.at(-1)!;
      const now = await client.get(`/plans/${current.id}`);
      expect(now.statusCode).toBe(200);
      const notes = h.notes.filter((n) => n.planId === current.id);
      expect(notes.length).toBeGreaterThan(0);
      for (const n of notes) expect(now.body).toContain(html(n.body));

      // A closed plan's header: the pupil as they were when it closed, not as they are today.
      const kept = closed.pupilAtClose!;
      expect(shown.body).toContain(`When the plan closed on ${formatDate(review.heldOn)}`);
      expect(shown.body).not.toContain('not kept when the plan closed');
      expect(shown.body).toContain(ncYearLabel(kept.ncYear));
      expect(shown.body).toContain(html(kept.className!));

      // The chronology names who agreed, reviewed and closed each plan, and who added the pupil to groups.
      for (const x of plans.filter((y) => y.agreedOn))
        expect(page.body).toContain(`${formatDate(x.agreedOn!)} · ${html(x.agreedByName!)}`);
      expect(page.body).toContain(`${formatDate(review.heldOn)} · ${html(review.reviewedByName)}`);
      const joined = h.members.find((m) => m.pupilId === p.id);
      if (joined)
        expect(page.body).toContain(`${formatDate(joined.joinedOn)} · ${html(joined.addedByName!)}`);

      // A plan with half-termly checks shows them on its page and in its PDF.
      const checked =
        h.checks.find((c) => c.planId === current.id) ?? h.checks.find((c) => c.planId === plans.at(-2)!.id)!;
      const withChecks = await client.get(`/plans/${checked.planId}`);
      expect(withChecks.body).toContain('Half-termly target checks');
      expect(withChecks.body).toContain(
        `${formatDate(checked.checkedOn)} by ${html(checked.recordedByName)}`,
      );
      for (const i of checked.items) if (i.note) expect(withChecks.body).toContain(html(i.note));
      const checkedPdf = readPdf((await client.get(`/plans/${checked.planId}/pdf`)).rawPayload).text;
      expect(checkedPdf).toContain('Half-termly target checks');
      const squeezed = (x: string) => x.replace(/[-\s]/g, '');
      expect(squeezed(checkedPdf)).toContain(squeezed(checked.recordedByName));

      const print = await client.get(`/plans/${current.id}/print`);
      expect(print.statusCode).toBe(200);
      const pdf = await client.get(`/plans/${current.id}/pdf`);
      expect(pdf.statusCode).toBe(200);
      expect(pdf.headers['content-type']).toBe('application/pdf');
      const { text } = readPdf(pdf.rawPayload);
      expect(text).toContain(`${p.forename} ${p.surname}`);
      const firstTarget = h.targets.find((t) => t.planId === current.id && t.position === 1)!;
      // Lines wrap anywhere in the PDF's text, hyphens too.
      const squeeze = (x: string) => x.replace(/[-\s]/g, '');
      expect(squeeze(text)).toContain(squeeze(firstTarget.target));
    } finally {
      await app.close();
    }
  });
});

describe('the demo’s documents as PDFs', () => {
  it('print every word of every plan whole, in the tables too (dates, areas of need, names)', async () => {
    // 25 plans spread over the demo school, as the SENCo prints them: a table once broke "September"
    // in the Date column and "Communication" in the Area column of most of them.
    const senco = await staffActor('senco@brookfield.example');
    const step = Math.max(1, Math.floor(h.plans.length / 25));
    const sample = h.plans.filter((_, i) => i % step === 0).slice(0, 25);
    expect(sample.length).toBe(25);
    const broken: string[] = [];
    // The headings the PDF adds to what the plan holds.
    const renderer = readFileSync(new URL('../documents/plan-pdf.ts', import.meta.url), 'utf8');
    for (const plan of sample) {
      const page = await services.plans.print(senco, plan.id, 'pdf');
      const document = planDocument(page, page.schoolName);
      const { text } = readPdf(await planPdf(document));
      broken.push(...brokenWords(text, planTableTexts(document)).map((w) => `${plan.id}: ${w}`));
      broken.push(...fragments(text, [...textsOf(document), renderer]).map((w) => `${plan.id}: ${w}?`));
    }
    expect(broken).toEqual([]);
  }, 60_000);
  it('print every word of the letters and the provision map whole', async () => {
    const senco = await staffActor('senco@brookfield.example');
    const broken: string[] = [];
    const step = Math.max(1, Math.floor(h.letters.length / 10));
    const letters = h.letters.filter((_, i) => i % step === 0).slice(0, 10);
    expect(letters.length).toBe(10);
    const letterRenderer = readFileSync(new URL('../documents/letter-pdf.ts', import.meta.url), 'utf8');
    for (const l of letters) {
      const document = letterDocument(await services.letters.forDocument(senco, l.id, 'pdf'));
      const { text } = readPdf(await letterPdf(document));
      broken.push(
        ...brokenWords(text, [document.body, document.slip?.text ?? '']).map((w) => `${l.id}: ${w}`),
      );
      broken.push(...fragments(text, [...textsOf(document), letterRenderer]).map((w) => `${l.id}: ${w}?`));
    }
    const model = mapModel(await services.provision.exportMap(senco, {}, undefined, 'pdf'));
    expect(model.rows.length).toBeGreaterThan(10);
    const { text } = readPdf(await provisionMapPdf(model, { printedOn: formatDate(TODAY) }));
    const mapRenderer = readFileSync(new URL('../documents/provision-pdf.ts', import.meta.url), 'utf8');
    broken.push(
      ...brokenWords(
        text,
        model.rows.map((r) => r.name),
      ).map((w) => `map: ${w}`),
    );
    broken.push(
      ...fragments(text, [...textsOf(model), mapRenderer, formatDate(TODAY)]).map((w) => `map: ${w}?`),
    );
    expect(broken).toEqual([]);
  }, 60_000);
});

describe('the demo with the same seed', () => {
  it('is the same history in another database', async () => {
    const other = await freshDatabase();
    try {
      await load(other, testServices(other));
      const again = await historyOf(other);
      expect(again.plans.length).toBe(h.plans.length);
      expect(again).toEqual(h);
    } finally {
      await other.close();
    }
  }, 120_000);
});

describe('the demo on another day', () => {
  // The browser tests load the demo on the real date: on 7 December 2026 the letter the demo mother
  // acknowledges online was an invitation to a review, which asks whether she will come.
  it('loads whole, the mother’s acknowledgement of a review invitation kept with her answer', async () => {
    const other = await freshDatabase();
    try {
      const s = createServices(other, fixedClock('2026-12-07'), {
        auditCheckpoints: {
          directory: mkdtempSync(path.join(tmpdir(), 'opensend-checkpoints-')),
          keepDays: 14,
        },
      });
      await s.demo.load({ schools: 1, seed: 21 }, 'demo-test');
      const replies = await other.db
        .select({ reply: letterReply.reply, note: letterReply.note, kind: letter.kind })
        .from(letterReply)
        .innerJoin(
          letter,
          and(eq(letter.schoolId, letterReply.schoolId), eq(letter.id, letterReply.letterId)),
        );
      const acknowledged = replies.find((r) => r.reply === 'acknowledged');
      expect(acknowledged).toMatchObject({ kind: 'review_invitation', note: 'I will come to the meeting' });
    } finally {
      await other.close();
    }
  }, 120_000);
});

describe('the demo school’s subject access request', () => {
  it('is one waiting from a parent with parental responsibility, received on a weekday, due a month later, counted on the SENCo’s home', async () => {
    const senco = await staffActor('senco@brookfield.example');
    const open = await services.subjectAccess.open(senco);
    expect(open).toHaveLength(1);
    const [r] = open;
    expect([0, 6]).not.toContain(new Date(`${r!.receivedOn}T12:00:00Z`).getUTCDay());
    expect(r!.receivedOn < TODAY).toBe(true);
    expect(r!.dueOn).toBe(subjectAccessDueOn(r!.receivedOn));
    expect(pupils.find((p) => p.id === r!.pupilId)?.senStage).toBe('sen_support');
    const home = await services.home.overview(senco);
    expect(home.subjectAccess).toMatchObject({ open: 1 });
    // The export of a demo pupil with two years of records can be produced.
    const data = await services.subjectAccess.gather(senco, r!.id);
    expect(data.kinds.reduce((n, k) => n + k.rows.length, 0)).toBeGreaterThan(5);
  });
});

describe('the demo’s parents, professionals and officers', () => {
  /** Sign in as a demo account, as the web does, and act where the session puts them. */
  async function signedIn(email: string) {
    const first = await services.auth.signIn(
      { email, password: DEMO_PASSWORD, address: '127.0.0.1' },
      'demo',
    );
    // A parent or professional on a new device: the code sent by email, read from the outbox.
    const result =
      !first.ok && first.codeSent
        ? await services.auth.enterCode(
            {
              challengeToken: first.challengeToken,
              code: await latestSignInCode(database, email),
              address: '127.0.0.1',
              device: '',
            },
            'demo',
          )
        : first;
    if (!result.ok) throw new Error(`${email} cannot sign in`);
    const session = await services.auth.resolve(result.token, 'demo');
    if (session?.status !== 'live') throw new Error('no session');
    return session;
  }

  it('has requests for EHC needs assessments at different stages, each sent one in Northshire’s caseload with its clock', async () => {
    const requests = await database.db.select().from(ehcRequest).where(eq(ehcRequest.schoolId, schoolId));
    expect(requests.filter((r) => r.status === 'draft')).toHaveLength(1);
    const sent = requests.filter((r) => r.status === 'sent');
    expect(sent.length).toBeGreaterThanOrEqual(5);
    for (const r of sent) {
      expect(r.caseId).not.toBeNull();
      // What was sent follows the published format.
      expect(packSchemaProblems(r.sentPack)).toEqual([]);
      expect(isSchoolDay(r.consentOn!)).toBe(true);
    }
    const officer = await signedIn('officer@northshire.example');
    const { rows, counts } = await services.caseload.caseload(officer.actor, {});
    const assessments = rows.filter((x) => x.kind === 'ehc_needs_assessment');
    expect(assessments.map((x) => x.schoolName)).toEqual(assessments.map(() => 'Brookfield Primary School'));
    expect(new Set(assessments.map((x) => x.stage))).toEqual(
      new Set(['received', 'assessing', 'not_assessing', TODAY >= '2026-11-22' ? 'draft_sent' : 'assessing']),
    );
    // One request has waited longer than six weeks for the decision whether to assess.
    expect(counts.overdue).toBeGreaterThanOrEqual(1);
    // The SENCo sees each sent request where it stands.
    const senco = await staffActor('senco@brookfield.example');
    const listed = await services.ehcRequests.list(senco, {});
    expect(listed.total).toBe(requests.length);
  });

  it('gives every pupil with an EHC plan on the register the authority’s final plan, with its reviews held, one amendment under way and one being arranged', async () => {
    const withPlans = pupils.filter((p) => p.senStage === 'ehc_plan' && !p.leftOn);
    expect(withPlans.length).toBeGreaterThan(0);
    const plans = await database.db.select().from(ehcPlan).where(eq(ehcPlan.schoolId, schoolId));
    expect(new Set(plans.map((p) => p.pupilId))).toEqual(new Set(withPlans.map((p) => p.id)));
    for (const plan of plans) {
      expect(plan.status).toBe('final');
      // Issued on the day the register records the plan.
      const entry = entries.findLast((e) => e.pupilId === plan.pupilId && e.stage === 'ehc_plan');
      expect(plan.startedOn).toBe(entry?.effectiveDate);
      expect(plan.reviewDueOn! > plan.startedOn!).toBe(true);
    }
    const versions = await database.db.select().from(ehcPlanVersion);

    expect(versions.filter((v) => v.reason === 'annual_review' && v.stage !== 'issued')).toHaveLength(1);
    const reviews = await database.db
      .select()
      .from(ehcAnnualReview)
      .where(eq(ehcAnnualReview.schoolId, schoolId));
    const sent = reviews.filter((r) => r.status === 'sent');
    const decisions = await database.db.select().from(ehcReviewDecision);
    expect(sent.length).toBeGreaterThan(0);
    expect(sent.every((r) => decisions.some((d) => d.id === r.decisionId && d.decision !== null))).toBe(true);
    expect(reviews.filter((r) => r.status === 'arranging').length).toBeLessThanOrEqual(1);
    // The authority's list of reviews due reads the same plans.
    const officer = await signedIn('officer@northshire.example');
    const due = await services.reviewDecisions.reviews(officer.actor, {});
    const soonest = [...plans].sort((a, b) => a.reviewDueOn!.localeCompare(b.reviewDueOn!))[0]!;
    expect(due.rows.map((r) => r.planId)).toContain(soonest.id);
    expect(due.counts.amendments).toBe(1);
  });

  it('shows the family’s door: both separated parents reach the child, and what the mother did online is with the school', async () => {
    const mother = await signedIn('parent@families.example');
    const father = await signedIn('father@families.example');
    const [child] = (await services.people.children(mother.actor)).children;
    const [hisChild] = (await services.people.children(father.actor)).children;
    expect(hisChild?.id).toBe(child!.id);
    const db = database.db;
    const invitations = await db
      .select()
      .from(parentInvitation)
      .where(eq(parentInvitation.schoolId, schoolId));
    expect(
      invitations
        .filter((i) => i.usedAt !== null)
        .map((i) => i.method)
        .sort(),
    ).toEqual(['email', 'letter']);
    expect(invitations.filter((i) => i.usedAt === null).length).toBeGreaterThanOrEqual(3);
    expect(await db.select().from(letterReply).where(eq(letterReply.pupilId, child!.id))).not.toHaveLength(0);
    const views = await db.select().from(familyView).where(eq(familyView.pupilId, child!.id));
    expect(views.map((v) => v.about)).toEqual(['plan_review']);
    const consents = await db.select().from(referralConsent).where(eq(referralConsent.pupilId, child!.id));
    expect(consents.map((c) => c.how)).toContain('parent_portal');
    const worries = await db
      .select()
      .from(concern)
      .where(and(eq(concern.pupilId, child!.id), eq(concern.source, 'parent')));
    expect(worries).toHaveLength(1);
    const changes = await db.select().from(contactChange).where(eq(contactChange.pupilId, child!.id));
    expect(changes.map((c) => c.status)).toEqual(['waiting']);
    // Every date the parents' replies and views carry is a school day.
    for (const r of await db.select().from(letterReply).where(eq(letterReply.schoolId, schoolId)))
      expect(isSchoolDay(r.repliedAt.toISOString().slice(0, 10)), r.repliedAt.toISOString()).toBe(true);
  });

  it('has a parent who reaches their one child, a psychologist who reaches the pupils shared with her, and officers with roles', async () => {
    const parent = await signedIn('parent@families.example');
    expect(parent.actor).toMatchObject({ kind: 'parent', roles: ['parent'] });
    const { children } = await services.people.children(parent.actor);
    expect(children).toHaveLength(1);
    expect(children[0]?.schoolId).toBe(schoolId);
    const psychologist = await signedIn('psychologist@northshire.example');
    expect(psychologist.actor.kind).toBe('professional');
    const { pupils: shared } = await services.people.shared(psychologist.actor);
    expect(shared).toHaveLength(3);
    for (const p of shared)
      expect(p.sections).toEqual(['details and contacts', 'SEN register', 'support plans', 'provision']);
    const officer = await signedIn('officer@northshire.example');
    expect(officer.actor).toMatchObject({ kind: 'officer', roles: ['caseworker', 'manager'] });
    // The SENCo also sits on the authority's panel: two places, staff first.
    const senco = await signedIn('senco@brookfield.example');
    expect(senco.places.map((p) => [p.kind, p.roles])).toEqual([
      ['staff', ['class_teacher', 'senco']],
      ['officer', ['panel_member']],
    ]);
  });
});

describe('a retention run on the demo school', () => {
  it('lists exactly the leavers past the rule, erases them with the audit trail still verifying, and every list and export still works', async () => {
    const head = await staffActor('head@brookfield.example');
    const ctfs = await database.db.select().from(ctfExport).where(eq(ctfExport.schoolId, schoolId));
    // The rule, applied here to every pupil of the school from the tables.
    const expected = pupils
      .filter((p) => p.schoolId === schoolId)
      .flatMap((p) => {
        const sen =
          p.senStage === 'sen_support' ||
          p.senStage === 'ehc_plan' ||
          entries.some((e) => e.pupilId === p.id && (e.stage === 'sen_support' || e.stage === 'ehc_plan'));
        const movedOn = ctfs.some((c) => c.pupilIds.includes(p.id) && ctfWentToAnotherSchool(c.fileName));
        const past = pastRetention(
          { dateOfBirth: p.dateOfBirth, leftOn: p.leftOn, everOnSenRegister: sen, movedOnByCtf: movedOn },
          TODAY,
        );
        return past ? [{ pupilId: p.id, basis: past.basis, keptUntil: past.keptUntil }] : [];
      })
      .sort((a, b) => a.pupilId.localeCompare(b.pupilId));
    expect(expected.map((e) => e.basis).sort()).toEqual(['pupil', 'pupil', 'pupil', 'sen']);
    // The demo ran the nightly review as it loaded; running it again lists no one twice.
    await services.retention.review();
    const { waiting } = await services.retention.list(head);
    expect(
      waiting
        .map((r) => ({ pupilId: r.pupilId, basis: r.basis, keptUntil: r.keptUntil }))
        .sort((a, b) => a.pupilId.localeCompare(b.pupilId)),
    ).toEqual(expected);
    expect((await services.home.overview(head)).retentionWaiting).toBe(expected.length);
    // A leaver still kept (on SEN support, left in 2013, this school the last) is not listed.
    expect(pupils.some((p) => p.leftOn === '2013-07-19' && !waiting.some((r) => r.pupilId === p.id))).toBe(
      true,
    );

    for (const r of waiting) await services.retention.erase(head, r.id, r.version);
    await services.retention.review();
    expect((await services.retention.list(head)).waiting).toEqual([]);
    const tombstones = await database.db.select().from(pupil).where(isNotNull(pupil.erasedAt));
    expect(tombstones.map((t) => t.id).sort()).toEqual(expected.map((e) => e.pupilId));
    expect(tombstones.every((t) => t.forename === 'Erased' && t.dateOfBirth === '1900-01-01')).toBe(true);

    const verified = await services.admin.verifyAudit({ osUser: 'test', requestId: 'after-retention' });
    expect(verified.broken).toEqual([]);
    expect(verified.strayPupilLinks).toBe(0);
    expect(verified.total).toBeGreaterThan(0);

    // The lists, the register, its export and the provision map read on without the erased records.
    const { app } = await testApp(database, services);
    try {
      const client = new Client(app);
      await client.signIn('head@brookfield.example', 'opensend-demo-password');
      for (const url of [
        '/pupils',
        '/pupils?leavers=1',
        '/register',
        '/register.csv',
        '/figures',
        '/provision/map.csv',
      ]) {
        const page = await client.get(url);
        expect([url, page.statusCode]).toEqual([url, 200]);
        expect([url, page.body.includes('Erased record')]).toEqual([url, false]);
      }
      const list = await client.get('/retention');
      expect(list.statusCode).toBe(200);
      for (const t of tombstones) expect(list.body).toContain(t.id);
    } finally {
      await app.close();
    }
  });
});

describe('the demo’s outside agencies', () => {
  it('gives Northshire’s schools a shared directory, the school its own services, and referrals in every state, the psychologist’s shares resting on them', async () => {
    const services = await database.db.select().from(agency);
    const shared = services.filter((s) => s.ownerKind === 'organisation');
    expect(shared.length).toBeGreaterThanOrEqual(12);
    expect(new Set(shared.map((s) => s.serviceKind)).size).toBeGreaterThanOrEqual(12);
    expect(services.filter((s) => s.ownerId === schoolId).map((s) => s.serviceKind)).toEqual(
      expect.arrayContaining(['thrive', 'school_nurse']),
    );
    const ep = await database.db
      .select()
      .from(agencyProfessional)
      .where(eq(agencyProfessional.email, 'psychologist@northshire.example'));
    expect(ep[0]?.userId).not.toBeNull();
    const referrals = await database.db.select().from(referral).where(eq(referral.schoolId, schoolId));
    expect(new Set(referrals.map((r) => r.status))).toEqual(
      new Set([
        'drafted',
        'awaiting_consent',
        'sent',
        'waiting_list',
        'seen',
        'report_received',
        'closed',
        'declined',
        'stopped',
      ]),
    );
    // Sent and late: one for its answer, one for its report (advice for an EHC needs assessment).
    const lateKinds = referrals.map((r) => lateness(r, TODAY)?.kind).filter(Boolean);
    expect(lateKinds).toEqual(expect.arrayContaining(['response', 'report']));
    const consents = await database.db
      .select()
      .from(referralConsent)
      .where(eq(referralConsent.schoolId, schoolId));
    expect(consents.map((c) => c.how)).toEqual(expect.arrayContaining(['in_person', 'signed_form', 'email']));
    expect(consents.filter((c) => c.withdrawnOn)).toHaveLength(1);
    const shares = await database.db.select().from(pupilShare).where(eq(pupilShare.schoolId, schoolId));
    expect(shares.length).toBeGreaterThan(0);
    expect(shares.every((s) => referrals.some((r) => r.id === s.referralId && r.pupilId === s.pupilId))).toBe(
      true,
    );
    // Each referral knows its share: the referral page shows it, the psychologist opens it.
    for (const s of shares) expect(referrals.find((r) => r.id === s.referralId)!.shareId).toBe(s.id);
  });

  it('has reports back with their recommendations, one with its file, and advice acted on in a plan with its source', async () => {
    const reports = await database.db.select().from(agencyReport).where(eq(agencyReport.schoolId, schoolId));
    expect(reports).toHaveLength(2);
    const referrals = await database.db.select().from(referral).where(eq(referral.schoolId, schoolId));
    for (const r of reports) {
      const made = referrals.find((x) => x.id === r.referralId)!;
      expect(made.pupilId).toBe(r.pupilId);
      expect(['report_received', 'closed']).toContain(made.status);
      expect(isSchoolDay(r.writtenOn)).toBe(true);
    }
    const items = await database.db
      .select()
      .from(recommendation)
      .where(eq(recommendation.schoolId, schoolId));
    expect(items).toHaveLength(6);
    // The occupational therapist's report came by email with its file: a real PDF the report page gives out.
    const withFile = reports.find((r) => r.fileId)!;
    const [file] = await database.db
      .select()
      .from(storedFile)
      .where(and(eq(storedFile.ownerId, schoolId), eq(storedFile.id, withFile.fileId!)));
    expect(file!.pupilId).toBe(withFile.pupilId);
    expect(file!.bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    // The psychologist's strategy is in the pupil's plan in place, with where it came from.
    const uses = await database.db
      .select()
      .from(recommendationUse)
      .where(eq(recommendationUse.schoolId, schoolId));
    expect(uses.map((u) => u.usedAs)).toEqual(['strategy']);
    const used = items.find((i) => i.id === uses[0]!.recommendationId)!;
    const report = reports.find((r) => r.id === used.reportId)!;
    const [plan] = await database.db
      .select()
      .from(supportPlan)
      .where(and(eq(supportPlan.schoolId, schoolId), eq(supportPlan.id, uses[0]!.planId!)));
    expect(plan!.status).toBe('active');
    expect(holdsStrategy(plan!.qualityFirst, used.text, recommendationSource(report))).toBe(true);
  });
});
