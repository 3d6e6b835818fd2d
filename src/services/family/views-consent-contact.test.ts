import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuid } from '../../../test/builders/common.ts';
import { buildFamily } from '../../../test/builders/family.ts';
import {
  buildConsent,
  buildPlan,
  buildReferral,
  setUpWorld,
  TODAY,
  type World,
} from '../../../test/builders/index.ts';
import type { Database } from '../../db/client.ts';
import {
  auditEvent,
  contactChange,
  ehcAnnualReview,
  ehcRequest,
  familyView,
  outboundMail,
  parentCarer,
  referralConsent,
  referral as referralTable,
  supportPlan,
} from '../../db/schema/index.ts';
import { addDays } from '../../domain/dates.ts';
import { insertEvent } from '../../repositories/referrals.ts';
import type { Services } from '../index.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../kernel/errors.ts';
import { serviceInPlainWords } from './consent.ts';

let database: Database;
let services: Services;
let w: World;
let family: Awaited<ReturnType<typeof buildFamily>>;

beforeAll(async () => {
  ({ database, services, w } = await setUpWorld());
  family = await buildFamily(database.db, { schoolId: w.school.id });
});
afterAll(() => database.close());

const auditsOf = (action: string) =>
  database.db
    .select()
    .from(auditEvent)
    .where(and(eq(auditEvent.action, action as never), eq(auditEvent.pupilId, family.pupil.id)));

describe('views before a support plan review', () => {
  it('are invited from four weeks before the review date, kept as the parent’s, and shown to staff', async () => {
    const far = await buildPlan(database.db, {
      schoolId: w.school.id,
      pupilId: family.pupil.id,
      reviewDate: addDays(TODAY, 60),
    });
    const closed = await services.familyViews.form(
      family.mother.actor,
      family.pupil.id,
      'plan_review',
      far.id,
    );
    expect(closed.window).toMatchObject({ open: false });
    expect(closed.window.open ? '' : closed.window.message).toContain('4 weeks before the review');
    await expect(
      services.familyViews.give(family.mother.actor, family.pupil.id, 'plan_review', far.id, {
        body: 'Too early',
        version: null,
      }),
    ).rejects.toThrow(ValidationError);
    expect(await database.db.select().from(familyView).where(eq(familyView.subjectId, far.id))).toHaveLength(
      0,
    );

    await database.db
      .update(supportPlan)
      .set({ reviewDate: addDays(TODAY, 10) })
      .where(eq(supportPlan.id, far.id));
    const open = await services.familyViews.form(family.mother.actor, family.pupil.id, 'plan_review', far.id);
    expect(open.window).toMatchObject({ open: true });
    expect(
      (await services.familyViews.invited(family.mother.actor, family.pupil.id)).map((i) => i.recordId),
    ).toContain(far.id);
    await services.familyViews.give(family.mother.actor, family.pupil.id, 'plan_review', far.id, {
      body: 'He sleeps badly before swimming days.',
      version: null,
    });
    await services.familyViews.give(family.father.actor, family.pupil.id, 'plan_review', far.id, {
      body: 'Reading at home is going well.',
      version: null,
    });
    const staff = await services.familyViews.onRecord(w.senco.actor, family.pupil.id, 'plan_review', far.id);
    expect(staff.views.map((v) => v.name)).toEqual([family.motherCarer.name, family.fatherCarer.name]);
    expect(staff.views[0]!.label).toMatch(
      new RegExp(`^In ${family.motherCarer.name}’s own words \\(given online on `),
    );
    expect(staff.forTheRecord).toContain('He sleeps badly before swimming days.');
    expect(staff.forTheRecord).toContain('Reading at home is going well.');
    expect(await auditsOf('family.views_given')).toHaveLength(2);
  });

  it('a stale save shows the other version and keeps nothing of the older one', async () => {
    const plan = await buildPlan(database.db, {
      schoolId: w.school.id,
      pupilId: (await buildFamily(database.db, { schoolId: w.school.id })).pupil.id,
    });
    const f = await buildFamily(database.db, { schoolId: w.school.id });
    const p = await buildPlan(database.db, {
      schoolId: w.school.id,
      pupilId: f.pupil.id,
      reviewDate: addDays(TODAY, 7),
    });
    expect(plan.id).not.toBe(p.id);
    await services.familyViews.give(f.mother.actor, f.pupil.id, 'plan_review', p.id, {
      body: 'First',
      version: null,
    });
    await services.familyViews.give(f.mother.actor, f.pupil.id, 'plan_review', p.id, {
      body: 'Second',
      version: 1,
    });
    const stale = await services.familyViews
      .give(f.mother.actor, f.pupil.id, 'plan_review', p.id, { body: 'From the old tab', version: 1 })
      .catch((e) => e);
    expect(stale).toBeInstanceOf(ConflictError);
    expect((stale as ConflictError).current).toMatchObject({ body: 'Second' });
    const [kept] = await database.db.select().from(familyView).where(eq(familyView.subjectId, p.id));
    expect(kept).toMatchObject({ body: 'Second', version: 2 });
    // Two new saves from two tabs: the second is stale too.
    const again = await services.familyViews
      .give(f.mother.actor, f.pupil.id, 'plan_review', p.id, { body: 'New tab', version: null })
      .catch((e) => e);
    expect(again).toBeInstanceOf(ConflictError);
  });

  it('closes once the review is recorded, and a draft plan or another child’s plan is not found', async () => {
    const f = await buildFamily(database.db, { schoolId: w.school.id });
    const closedPlan = await buildPlan(database.db, {
      schoolId: w.school.id,
      pupilId: f.pupil.id,
      status: 'closed',
      reviewDate: TODAY,
    });
    const form = await services.familyViews.form(f.mother.actor, f.pupil.id, 'plan_review', closedPlan.id);
    expect(form.window).toMatchObject({
      open: false,
      message: expect.stringContaining('review of this plan has happened'),
    });
    const draft = await buildPlan(database.db, {
      schoolId: w.school.id,
      pupilId: f.pupil.id,
      status: 'draft',
    });
    await expect(
      services.familyViews.form(f.mother.actor, f.pupil.id, 'plan_review', draft.id),
    ).rejects.toThrow(NotFoundError);
    // Kit's plan (another family at the same school), through this child or through Kit.
    const kit = await buildPlan(database.db, {
      schoolId: w.school.id,
      pupilId: w.pupilK.id,
      reviewDate: TODAY,
    });
    await expect(
      services.familyViews.form(f.mother.actor, f.pupil.id, 'plan_review', kit.id),
    ).rejects.toThrow(NotFoundError);
    await expect(
      services.familyViews.form(f.mother.actor, w.pupilK.id, 'plan_review', kit.id),
    ).rejects.toThrow(NotFoundError);
    await expect(
      services.familyViews.give(f.mother.actor, w.otherPupil.id, 'plan_review', kit.id, {
        body: 'x',
        version: null,
      }),
    ).rejects.toThrow(NotFoundError);
  });
});

describe('views for an EHC request and an annual review', () => {
  it('are open while the school writes them, closed once sent', async () => {
    const f = await buildFamily(database.db, { schoolId: w.school.id, stage: 'ehc_plan' });
    const requestId = uuid();
    await database.db
      .insert(ehcRequest)
      .values({ schoolId: w.school.id, id: requestId, pupilId: f.pupil.id, createdByName: 'SENCo' });
    await services.familyViews.give(f.mother.actor, f.pupil.id, 'ehc_request', requestId, {
      body: 'School is hard for her every day.',
      version: null,
    });
    const reviewId = uuid();
    await database.db.insert(ehcAnnualReview).values({
      schoolId: w.school.id,
      id: reviewId,
      pupilId: f.pupil.id,
      summaryId: uuid(),
      dueOn: addDays(TODAY, 30),
      createdByName: 'SENCo',
    });
    const invited = await services.familyViews.invited(f.mother.actor, f.pupil.id);
    expect(invited.map((i) => i.about).sort()).toEqual(['annual_review', 'ehc_request']);
    await services.familyViews.give(f.mother.actor, f.pupil.id, 'annual_review', reviewId, {
      body: 'The plan is working.',
      version: null,
    });
    await database.db
      .update(ehcAnnualReview)
      .set({ status: 'cancelled' })
      .where(eq(ehcAnnualReview.id, reviewId));
    await expect(
      services.familyViews.give(f.mother.actor, f.pupil.id, 'annual_review', reviewId, {
        body: 'Later',
        version: 1,
      }),
    ).rejects.toThrow(/cancelled/);
    const staff = await services.familyViews.onRecord(w.senco.actor, f.pupil.id, 'ehc_request', requestId);
    expect(staff.views[0]!.body).toBe('School is hard for her every day.');
    // Staff of another school do not reach the child.
    await expect(
      services.familyViews.onRecord(w.otherSenco.actor, f.pupil.id, 'ehc_request', requestId),
    ).rejects.toThrow();
  });
});

describe('consent online', () => {
  it('names the service once: its kind only when its name does not say it', () => {
    expect(
      serviceInPlainWords('Northshire Speech and Language Therapy Service', 'Speech and language therapy'),
    ).toBe('Northshire Speech and Language Therapy Service');
    expect(serviceInPlainWords('Brookfield Wellbeing Team', 'Educational psychology')).toBe(
      'Brookfield Wellbeing Team (educational psychology)',
    );
  });

  it('a parent gives consent to a referral waiting for it: a row like a paper one, given through the portal', async () => {
    const r = await buildReferral(database.db, family.pupil, { status: 'awaiting_consent' });
    const list = await services.familyConsent.list(family.mother.actor, family.pupil.id);
    expect(list.waiting.map((x) => x.id)).toContain(r.id);
    const page = await services.familyConsent.referral(family.mother.actor, family.pupil.id, r.id);
    expect(page.referral.why).toBe(r.question);
    await services.familyConsent.answer(family.mother.actor, family.pupil.id, r.id, {
      answer: 'give',
      covers: { coversReferral: true, coversSharing: true },
    });
    const [row] = await database.db
      .select()
      .from(referralConsent)
      .where(eq(referralConsent.referralId, r.id));
    expect(row).toMatchObject({
      givenBy: 'parent',
      how: 'parent_portal',
      parentCarerId: family.motherCarer.id,
      givenByName: family.motherCarer.name,
      givenOn: TODAY,
    });
    // Staff see it on the referral as any consent.
    const staff = await services.referrals.view(w.senco.actor, r.id);
    expect(staff.consentState).toBe('in_force');
    // A second answer: a message, nothing more kept.
    await expect(
      services.familyConsent.answer(family.mother.actor, family.pupil.id, r.id, {
        answer: 'give',
        covers: { coversReferral: true, coversSharing: false },
      }),
    ).rejects.toThrow(/already gave consent/);
    expect(
      await database.db.select().from(referralConsent).where(eq(referralConsent.referralId, r.id)),
    ).toHaveLength(1);
  });

  it('withdrawn: the referral stops as when the school records it; withdrawn twice: a message, nothing changed', async () => {
    const r = await buildReferral(database.db, family.pupil, { status: 'awaiting_consent' });
    await services.familyConsent.answer(family.mother.actor, family.pupil.id, r.id, {
      answer: 'give',
      covers: { coversReferral: true, coversSharing: true },
    });
    const [consent] = await database.db
      .select()
      .from(referralConsent)
      .where(eq(referralConsent.referralId, r.id));
    await services.familyConsent.withdraw(
      family.mother.actor,
      family.pupil.id,
      consent!.id,
      'We have moved house',
    );
    const [stopped] = await database.db.select().from(referralTable).where(eq(referralTable.id, r.id));
    expect(stopped).toMatchObject({ status: 'stopped', endedOn: TODAY });
    const [withdrawn] = await database.db
      .select()
      .from(referralConsent)
      .where(eq(referralConsent.id, consent!.id));
    expect(withdrawn!.withdrawnOn).toBe(TODAY);
    const version = stopped!.version;
    await expect(
      services.familyConsent.withdraw(family.mother.actor, family.pupil.id, consent!.id, null),
    ).rejects.toThrow(/already withdrawn/);
    const [after] = await database.db.select().from(referralTable).where(eq(referralTable.id, r.id));
    expect(after!.version).toBe(version);
    expect(
      (await auditsOf('referral.consent_withdrawn')).filter(
        (a) => (a.detail as { consentId?: string })?.consentId === consent!.id,
      ),
    ).toHaveLength(1);
    // A paper consent of the mother can be withdrawn online too; the father's is not hers to withdraw.
    const r2 = await buildReferral(database.db, family.pupil, { status: 'sent' });
    const paper = await buildConsent(database.db, r2, {
      parentCarerId: family.fatherCarer.id,
      givenByName: family.fatherCarer.name,
    });
    await expect(
      services.familyConsent.withdraw(family.mother.actor, family.pupil.id, paper.id, null),
    ).rejects.toThrow(NotFoundError);
  });

  it('refused: a step the school sees, the referral left for the school to decide, audited', async () => {
    const r = await buildReferral(database.db, family.pupil, { status: 'awaiting_consent' });
    await services.familyConsent.answer(family.father.actor, family.pupil.id, r.id, {
      answer: 'refuse',
      reason: 'We want to talk first',
    });
    const page = await services.familyConsent.referral(family.father.actor, family.pupil.id, r.id);
    expect(page.refusedOn).not.toBeNull();
    // His consent page lists it as answered ("you said no"), not as waiting; hers still waits.
    const his = await services.familyConsent.list(family.father.actor, family.pupil.id);
    expect(his.waiting.map((x) => x.id)).not.toContain(r.id);
    expect(his.refused.map((x) => x.id)).toEqual([r.id]);
    const hers = await services.familyConsent.list(family.mother.actor, family.pupil.id);
    expect(hers.waiting.map((x) => x.id)).toContain(r.id);
    const staff = await services.referrals.view(w.senco.actor, r.id);
    expect(staff.events.map((e) => e.note).join(' ')).toContain(
      `Consent refused online by ${family.fatherCarer.name}`,
    );
    expect(staff.referral.status).toBe('awaiting_consent');
    expect(await auditsOf('family.consent_refused')).toHaveLength(1);
    // The refusal is the father's, not the mother's: hers still waits on her page, his does not.
    const mothers = await services.familyConsent.referral(family.mother.actor, family.pupil.id, r.id);
    expect(mothers.refusedOn).toBeNull();
    // A step the school writes with the same words is not a refusal by a parent.
    await insertEvent(database.db, {
      schoolId: w.school.id,
      id: uuid(),
      referralId: r.id,
      pupilId: family.pupil.id,
      status: 'awaiting_consent',
      happenedOn: '2026-11-20',
      note: 'Consent refused online by someone, said the office',
      byName: family.motherCarer.name,
    });
    expect(
      (await services.familyConsent.referral(family.mother.actor, family.pupil.id, r.id)).refusedOn,
    ).toBeNull();
    // Another child's referral: not found, through either child.
    const kit = await buildReferral(database.db, w.pupilK, { status: 'awaiting_consent' });
    await expect(
      services.familyConsent.referral(family.mother.actor, family.pupil.id, kit.id),
    ).rejects.toThrow(NotFoundError);
    await expect(services.familyConsent.referral(family.mother.actor, w.pupilK.id, kit.id)).rejects.toThrow(
      NotFoundError,
    );
  });
});

describe('contact details', () => {
  it('a change waits until the school confirms it, then replaces the record; the parent is told by mail', async () => {
    const f = await buildFamily(database.db, { schoolId: w.school.id });
    const before = await services.contactChanges.contact(f.mother.actor, f.pupil.id);
    expect(before.carer.email).toBe(f.motherCarer.email);
    const id = await services.contactChanges.ask(f.mother.actor, f.pupil.id, {
      phone: '07700 900123',
      email: 'new.address@families.example',
      note: 'We moved to 4 Elm Road',
    });
    const [carerBefore] = await database.db
      .select()
      .from(parentCarer)
      .where(eq(parentCarer.id, f.motherCarer.id));
    expect(carerBefore!.phone).not.toBe('07700 900123');
    expect(await services.contactChanges.waitingCount(w.office.actor)).toBeGreaterThan(0);
    expect((await services.contactChanges.list(w.office.actor)).map((c) => c.id)).toContain(id);
    const page = await services.contactChanges.view(w.office.actor, id);
    await services.contactChanges.decide(w.office.actor, id, {
      decision: 'accept',
      carerVersion: page.version,
    });
    const [carer] = await database.db.select().from(parentCarer).where(eq(parentCarer.id, f.motherCarer.id));
    expect(carer).toMatchObject({
      phone: '07700 900123',
      email: 'new.address@families.example',
      version: page.version + 1,
    });
    const mail = await database.db
      .select()
      .from(outboundMail)
      .where(eq(outboundMail.toAddress, f.mother.email));
    // To the account that asked (its own address), with the parent's record on the message.
    expect(mail.map((m) => m.kind)).toContain('family.contact_change');
    expect(mail.find((m) => m.kind === 'family.contact_change')!.parentCarerId).toBe(f.motherCarer.id);
    expect(mail[0]!.body).not.toContain(f.pupil.surname);
    await expect(
      services.contactChanges.decide(w.office.actor, id, { decision: 'decline', reason: 'x' }),
    ).rejects.toThrow(/already confirmed/);
  });

  it('declined with a reason the parent sees; a stale record refuses with the details as they are now', async () => {
    const f = await buildFamily(database.db, { schoolId: w.school.id });
    const declined = await services.contactChanges.ask(f.father.actor, f.pupil.id, {
      phone: '01632 960001',
      email: null,
      note: null,
    });
    await services.contactChanges.decide(w.senco.actor, declined, {
      decision: 'decline',
      reason: 'Please ring the office to confirm',
    });
    const seen = await services.contactChanges.contact(f.father.actor, f.pupil.id);
    expect(seen.changes[0]).toMatchObject({
      status: 'declined',
      declineReason: 'Please ring the office to confirm',
    });
    const id = await services.contactChanges.ask(f.father.actor, f.pupil.id, {
      phone: '01632 960002',
      email: null,
      note: null,
    });
    const page = await services.contactChanges.view(w.office.actor, id);
    await database.db
      .update(parentCarer)
      .set({ phone: '01632 960999', version: page.version + 1 })
      .where(eq(parentCarer.id, f.fatherCarer.id));
    const stale = await services.contactChanges
      .decide(w.office.actor, id, { decision: 'accept', carerVersion: page.version })
      .catch((e) => e);
    expect(stale).toBeInstanceOf(ConflictError);
    expect((stale as ConflictError).current).toMatchObject({ phone: '01632 960999' });
    const [row] = await database.db.select().from(contactChange).where(eq(contactChange.id, id));
    expect(row!.status).toBe('waiting');
  });

  it('nothing new is refused; staff of another school and a teacher cannot decide', async () => {
    const f = await buildFamily(database.db, { schoolId: w.school.id });
    const same = await services.contactChanges.contact(f.mother.actor, f.pupil.id);
    await expect(
      services.contactChanges.ask(f.mother.actor, f.pupil.id, {
        phone: null,
        email: same.carer.email,
        note: null,
      }),
    ).rejects.toThrow(ValidationError);
    const id = await services.contactChanges.ask(f.mother.actor, f.pupil.id, {
      phone: '07700 900555',
      email: null,
      note: null,
    });
    await expect(services.contactChanges.view(w.otherSenco.actor, id)).rejects.toThrow(NotFoundError);
    await expect(
      services.contactChanges.decide(w.otherSenco.actor, id, { decision: 'decline', reason: 'x' }),
    ).rejects.toThrow(NotFoundError);
    await expect(services.contactChanges.list(w.teacherA.actor)).rejects.toThrow(ForbiddenError);
    await expect(
      services.contactChanges.ask(w.parent.actor, f.pupil.id, {
        phone: '07700 900556',
        email: null,
        note: null,
      }),
    ).rejects.toThrow(NotFoundError);
  });
});
