import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuid } from '../../../test/builders/common.ts';
import {
  buildAgency,
  buildPlan,
  buildReferral,
  setUpWorld,
  TODAY,
  type World,
} from '../../../test/builders/index.ts';
import type { Database } from '../../db/client.ts';
import {
  auditEvent,
  outboundMail,
  parentCarer,
  pupilAction,
  pupilShare,
  referralConsent,
  referralEvent,
  referral as referralTable,
  storedFile,
} from '../../db/schema/index.ts';
import { addDays } from '../../domain/dates.ts';
import { lateness } from '../../domain/referrals.ts';
import { insertPupilShares } from '../../repositories/people-kinds.ts';
import { lateReferralsToRemind } from '../../repositories/referrals.ts';
import type { Services } from '../index.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../kernel/errors.ts';
import type { ConsentInput, StartReferralInput } from './referrals.ts';

let database: Database;
let services: Services;
let w: World;
let salt: { id: string; ownerId: string; name: string };

beforeAll(async () => {
  ({ database, services, w } = await setUpWorld());
  salt = await buildAgency(database.db, w.school.id, { name: 'Northshire Speech and Language Therapy' });
});
afterAll(() => database.close());

const start = (over: Partial<StartReferralInput> = {}): StartReferralInput => ({
  agencyId: salt.id,
  question: 'Why does Kit find it hard to follow spoken instructions in class?',
  tried: 'Visual timetable; Talk Boost for 10 weeks',
  shareSections: ['register', 'plans'],
  shareDocuments: null,
  lawfulBasis: 'consent',
  basisNote: null,
  forEhcAssessment: false,
  concernId: null,
  pupilActionId: null,
  ...over,
});

const motherConsent = (over: Partial<ConsentInput> = {}): ConsentInput => ({
  givenBy: 'parent',
  parentId: w.parentK.id,
  how: 'in_person',
  givenOn: TODAY,
  coversReferral: true,
  coversSharing: true,
  coversDocuments: null,
  validUntil: null,
  form: null,
  ...over,
});

const send = { to: 'sent' as const, on: TODAY, note: null, respondBy: null, reportDueOn: null };

async function rows<T>(query: Promise<T[]>) {
  return query;
}

describe('starting a referral', () => {
  it('keeps what the SENCo wrote as a draft, with its first step and an audit row', async () => {
    const id = await services.referrals.start(w.senco.actor, w.pupilK.id, start());
    const page = await services.referrals.view(w.senco.actor, id);
    expect(page.referral).toMatchObject({
      status: 'drafted',
      agencyName: 'Northshire Speech and Language Therapy',
      serviceKind: 'speech_and_language_therapy',
      question: start().question,
      shareSections: ['register', 'plans'],
      lawfulBasis: 'consent',
      createdByName: 'Sam Senco',
    });
    expect(page.events.map((e) => [e.status, e.happenedOn])).toEqual([['drafted', TODAY]]);
    expect(page.consentState).toBe('none');
    expect(page.sendProblem).toBe('Record consent to the referral before you send it');
    const audited = await database.db
      .select()
      .from(auditEvent)
      .where(and(eq(auditEvent.action, 'referral.started'), eq(auditEvent.pupilId, w.pupilK.id)));
    expect(audited.length).toBeGreaterThan(0);
  });

  it('refuses a referral without a service or with a service of another school, and a basis in law not written down', async () => {
    const before = await database.db.select().from(referralTable);
    const elsewhere = await buildAgency(database.db, w.otherSchool.id);
    for (const agencyId of [uuid(), elsewhere.id]) {
      const error = await services.referrals
        .start(w.senco.actor, w.pupilK.id, start({ agencyId }))
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).errors).toEqual([
        { field: 'agencyId', message: 'Choose the service from the list' },
      ]);
    }
    const basis = await services.referrals
      .start(w.senco.actor, w.pupilK.id, start({ lawfulBasis: 'public_task', basisNote: null }))
      .catch((e: unknown) => e);
    expect((basis as ValidationError).errors[0]?.field).toBe('basisNote');
    expect(await database.db.select().from(referralTable)).toHaveLength(before.length);
  });

  it('draws what has been tried from the plan and provision, and suggests the service a concern named', async () => {
    await buildPlan(database.db, {
      schoolId: w.school.id,
      pupilId: w.pupilK.id,
      status: 'active',
      targets: ['Follow a two-step instruction in class'],
    });
    const concernId = await services.concerns.raise(w.teacherA.actor, w.pupilK.id, {
      kind: 'send',
      concernDate: TODAY,
      reasons: 'Does not follow instructions',
      classroomEvidence: 'Observations',
      areasOfNeed: ['communication_and_interaction'],
      interventionsTried: [{ intervention: 'Talk Boost', frequency: '3 times a week', duration: '10 weeks' }],
    });
    const found = await services.concerns.view(w.senco.actor, concernId, { audit: false });
    await services.concerns.review(w.senco.actor, concernId, found.concern.version, {
      outcome: 'agency_referral',
      actionTaken: 'Refer to speech and language therapy',
      agency: 'Northshire Speech and Language Therapy',
      reviewedOn: TODAY,
      primaryNeed: null,
      secondaryNeed: null,
    });
    const form = await services.referrals.startForm(w.senco.actor, w.pupilK.id, {
      concernId,
      pupilActionId: null,
    });
    expect(form.suggestedAgencyId).toBe(salt.id);
    expect(form.tried).toContain('Target: Follow a two-step instruction in class');
    // What the concern says was tried comes first (a pupil may have no plan yet).
    expect(form.tried).toMatch(/^From the concern of .*:\nTalk Boost, 3 times a week, 10 weeks/);
    expect((await services.concerns.view(w.senco.actor, concernId, { audit: false })).mayStartReferral).toBe(
      true,
    );
    const id = await services.referrals.start(w.senco.actor, w.pupilK.id, start({ concernId }));
    expect((await services.referrals.view(w.senco.actor, id)).referral.concernId).toBe(concernId);
    // The concern now leads to the referral made, not to a second one.
    const after = await services.concerns.view(w.senco.actor, concernId, { audit: false });
    expect(after.mayStartReferral).toBe(false);
    expect(after.referrals.map((r) => r.id)).toEqual([id]);
  });
});

describe('consent and sending', () => {
  it('refuses to send without consent, and sends with the mother’s consent, recording the dates', async () => {
    const id = await services.referrals.start(w.senco.actor, w.pupilK.id, start());
    const refused = await services.referrals.recordStep(w.senco.actor, id, 1, send).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ValidationError);
    expect((refused as ValidationError).errors).toContainEqual({
      field: 'to',
      message: 'Record consent to the referral before you send it',
    });
    expect((await services.referrals.view(w.senco.actor, id)).referral.status).toBe('drafted');

    await services.referrals.recordConsent(w.senco.actor, id, motherConsent());
    const page = await services.referrals.view(w.senco.actor, id);
    expect(page.consentState).toBe('in_force');
    expect(page.consents[0]).toMatchObject({ givenByName: 'Kasia Kowalski', how: 'in_person' });
    expect(page.sendProblem).toBeNull();
    await services.referrals.recordStep(w.senco.actor, id, page.referral.version, {
      ...send,
      respondBy: addDays(TODAY, 14),
      reportDueOn: addDays(TODAY, 70),
    });
    const sent = await services.referrals.view(w.senco.actor, id);
    expect(sent.referral).toMatchObject({
      status: 'sent',
      sentOn: TODAY,
      respondBy: addDays(TODAY, 14),
      reportDueOn: addDays(TODAY, 70),
    });
    expect(sent.events.map((e) => e.status)).toEqual(['drafted', 'sent']);
  });

  it('sends on a basis in law written down, without consent', async () => {
    const id = await services.referrals.start(
      w.senco.actor,
      w.pupilK.id,
      start({ lawfulBasis: 'public_task', basisNote: 'Safeguarding duty: section 175 Education Act 2002' }),
    );
    await services.referrals.recordStep(w.senco.actor, id, 1, send);
    expect((await services.referrals.view(w.senco.actor, id)).referral.status).toBe('sent');
  });

  it('refuses consent from someone without parental responsibility, a date in the future, and a young person under 16', async () => {
    const id = await services.referrals.start(w.senco.actor, w.pupilK.id, start());
    const [stepdad] = await database.db
      .insert(parentCarer)
      .values({
        schoolId: w.school.id,
        id: uuid(),
        pupilId: w.pupilK.id,
        name: 'Steve Step',
        relationship: 'Stepfather',
        parentalResponsibility: false,
        contactPriority: 2,
      })
      .returning();
    const cases: [Partial<ConsentInput>, string][] = [
      [{ parentId: stepdad!.id }, 'Steve Step does not have parental responsibility, so cannot give consent'],
      [{ givenOn: addDays(TODAY, 1) }, 'The date consent was given cannot be in the future'],
      [{ givenBy: 'young_person', parentId: null }, 'Only a young person aged 16 or over'],
      [{ parentId: w.otherParent.id }, 'Choose the parent or carer from the list'],
    ];
    for (const [over, message] of cases) {
      const error = await services.referrals
        .recordConsent(w.senco.actor, id, motherConsent(over))
        .catch((e: unknown) => e);
      expect(error, message).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).message).toContain(message);
    }
    expect(
      await database.db.select().from(referralConsent).where(eq(referralConsent.referralId, id)),
    ).toEqual([]);
  });

  it('keeps a signed form as a stored file of the school, and refuses a PDF that runs scripts', async () => {
    const id = await services.referrals.start(w.senco.actor, w.pupilK.id, start());
    const scripted = Buffer.from(
      '%PDF-1.4\n1 0 obj << /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >>\n%%EOF',
    );
    const error = await services.referrals
      .recordConsent(
        w.office.actor,
        id,
        motherConsent({ how: 'signed_form', form: { name: 'form.pdf', bytes: scripted } }),
      )
      .catch((e: unknown) => e);
    expect((error as ValidationError).errors[0]?.message).toMatch(
      /scripts or actions that run when it is opened/,
    );
    const png = Buffer.from(
      'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
      'base64',
    );
    const consentId = await services.referrals.recordConsent(
      w.office.actor,
      id,
      motherConsent({ how: 'signed_form', form: { name: 'consent.png', bytes: png } }),
    );
    const [kept] = await database.db.select().from(referralConsent).where(eq(referralConsent.id, consentId));
    const [file] = await database.db.select().from(storedFile).where(eq(storedFile.id, kept!.formFileId!));
    expect(file).toMatchObject({ ownerId: w.school.id, ownerKind: 'school', pupilId: w.pupilK.id });
    const downloaded = await services.referrals.consentFile(w.senco.actor, id, consentId);
    expect(Buffer.from(downloaded.bytes).equals(png)).toBe(true);
  });
});

describe('withdrawing consent', () => {
  it('stops the referral and ends its share in one unit of work, and says so', async () => {
    const id = await services.referrals.start(w.senco.actor, w.pupilK.id, start());
    const consentId = await services.referrals.recordConsent(
      w.senco.actor,
      id,
      motherConsent({ givenOn: addDays(TODAY, -10) }),
    );
    await services.referrals.recordStep(w.senco.actor, id, 1, send);
    const shareId = uuid();
    await insertPupilShares(database.db, [
      {
        schoolId: w.school.id,
        id: shareId,
        pupilId: w.pupilK.id,
        professionalUserId: w.professional.actor.userId,
        sections: ['register', 'plans'],
        purpose: 'Referral to speech and language therapy',
        sharedFrom: TODAY,
        sharedUntil: addDays(TODAY, 60),
        referralId: id,
      },
    ]);
    // Before consent was given: refused, nothing changed.
    const early = await services.referrals
      .withdrawConsent(w.office.actor, id, consentId, { withdrawnOn: addDays(TODAY, -11), note: null })
      .catch((e: unknown) => e);
    expect((early as ValidationError).errors[0]?.message).toMatch(/cannot be withdrawn before it was given/);
    const result = await services.referrals.withdrawConsent(w.office.actor, id, consentId, {
      withdrawnOn: TODAY,
      note: 'Mother phoned: she no longer wants the referral',
    });
    expect(result.sharesEnded).toBe(1);
    const [share] = await database.db.select().from(pupilShare).where(eq(pupilShare.id, shareId));
    expect(share?.endedAt).not.toBeNull();
    expect(share?.endedBy).toBe(w.office.actor.userId);
    const page = await services.referrals.view(w.senco.actor, id);
    expect(page.referral.status).toBe('stopped');
    expect(page.withdrawn).toBe(true);
    expect(page.consentState).toBe('withdrawn');
    expect(page.events.at(-1)?.note).toMatch(/Consent withdrawn by Kasia Kowalski.*Sharing ended/);
    expect(page.nextSteps).toEqual([]);
    // An old link to the consent form of the stopped referral says it has ended, not "not found".
    await expect(services.referrals.consentForm(w.office.actor, id, { audit: false })).rejects.toThrow(
      /The referral has ended \(stopped: consent withdrawn\)/,
    );
    // Withdrawn twice: refused with the date it was.
    const again = await services.referrals
      .withdrawConsent(w.senco.actor, id, consentId, { withdrawnOn: TODAY, note: null })
      .catch((e: unknown) => e);
    expect((again as ValidationError).errors[0]?.message).toBe(
      'Consent was already withdrawn on 20 November 2026',
    );
  });
});

describe('who may do what', () => {
  it('lets the office record consent but not start a referral, send it, or read another school’s', async () => {
    const id = await services.referrals.start(w.senco.actor, w.pupilK.id, start());
    await expect(services.referrals.start(w.office.actor, w.pupilK.id, start())).rejects.toBeInstanceOf(
      ForbiddenError,
    );
    await services.referrals.recordConsent(w.office.actor, id, motherConsent());
    await expect(services.referrals.recordStep(w.office.actor, id, 1, send)).rejects.toBeInstanceOf(
      ForbiddenError,
    );
    await expect(services.referrals.view(w.otherSenco.actor, id)).rejects.toBeInstanceOf(NotFoundError);
    const probes = await database.db
      .select()
      .from(auditEvent)
      .where(
        and(eq(auditEvent.schoolId, w.school.id), eq(auditEvent.action, 'access.probe_from_other_school')),
      );
    expect(probes.length).toBeGreaterThan(0);
  });

  it('shows a class teacher the referrals of their class only', async () => {
    const kit = await services.referrals.start(w.senco.actor, w.pupilK.id, start());
    const eli = await services.referrals.start(w.senco.actor, w.pupilE.id, start());
    const list = await services.referrals.list(w.teacherA.actor, {});
    const ids = list.rows.map((r) => r.id);
    expect(ids).toContain(kit);
    expect(ids).not.toContain(eli);
    expect(list.rows.every((r) => r.pupilId === w.pupilK.id || r.pupilId === w.pupilA.id)).toBe(true);
    await expect(services.referrals.view(w.teacherA.actor, eli)).rejects.toBeInstanceOf(NotFoundError);
    const page = await services.referrals.view(w.teacherA.actor, kit);
    expect(page.actions.manage).toBe(false);
    const senco = await services.referrals.list(w.senco.actor, {});
    expect(senco.rows.map((r) => r.id)).toEqual(expect.arrayContaining([kit, eli]));
  });

  it('keeps a stale edit of a draft from overwriting another, with the other change shown', async () => {
    const id = await services.referrals.start(w.senco.actor, w.pupilK.id, start());
    await services.referrals.update(w.head.actor, id, 1, { ...start(), question: 'The head’s question' });
    const stale = await services.referrals
      .update(w.senco.actor, id, 1, { ...start(), question: 'The SENCo’s question' })
      .catch((e: unknown) => e);
    expect(stale).toBeInstanceOf(ConflictError);
    expect((stale as ConflictError).current).toMatchObject({ question: 'The head’s question' });
  });
});

describe('the clock', () => {
  it('lists a referral resting on consent without it as waiting for consent, for the SENCo and the office', async () => {
    const id = await services.referrals.start(w.senco.actor, w.pupilA.id, start());
    for (const actor of [w.senco.actor, w.office.actor]) {
      const found = await services.workLists.dashboard(actor, 'referrals_awaiting_consent');
      expect(found.opened?.rows.map((r) => r.recordId)).toContain(id);
    }
    const withConsent = await services.referrals.start(w.senco.actor, w.pupilK.id, start());
    await services.referrals.recordConsent(w.office.actor, withConsent, motherConsent());
    const after = await services.workLists.dashboard(w.senco.actor, 'referrals_awaiting_consent');
    expect(after.opened?.rows.map((r) => r.recordId)).not.toContain(withConsent);
  });

  it('marks the review’s action done when the referral it started is sent', async () => {
    const actionId = uuid();
    await database.db.insert(pupilAction).values({
      schoolId: w.school.id,
      id: actionId,
      pupilId: w.pupilK.id,
      kind: 'involve_agency',
      createdByName: 'Sam Senco',
    });
    const id = await services.referrals.start(w.senco.actor, w.pupilK.id, start({ pupilActionId: actionId }));
    await services.referrals.recordConsent(w.senco.actor, id, motherConsent());
    await services.referrals.recordStep(w.senco.actor, id, 1, send);
    const [action] = await database.db.select().from(pupilAction).where(eq(pupilAction.id, actionId));
    expect(action?.status).toBe('done');
  });

  it('lists late referrals the way the rule says, and mails each SENCo once per lateness, naming no child', async () => {
    const late = await buildReferral(database.db, w.pupilE, {
      agency: salt,
      status: 'sent',
      sentOn: addDays(TODAY, -60),
      forEhcAssessment: true,
    });
    const list = await services.referrals.list(w.senco.actor, { lateOnly: true });
    for (const r of list.rows) {
      expect(
        lateness({ ...r, reportDueOn: r.reportDueOn, forEhcAssessment: false, status: r.status }, TODAY),
      ).not.toBeNull();
    }
    expect(list.rows.map((r) => r.id)).toContain(late.id);
    expect(list.rows.find((r) => r.id === late.id)?.late).toBe('report');

    const before = await database.db.select().from(outboundMail);
    const mailed = await services.referrals.remindLate(TODAY);
    expect(mailed).toBe(1);
    const mails = (await database.db.select().from(outboundMail)).slice(before.length);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toMatch(/referrals? (is|are) late at Oakfield Primary/);
    for (const name of ['Eli', 'Evans', 'Kit', 'Kowalski']) expect(mails[0]!.body).not.toContain(name);
    // The SENCo's dashboard lists it as late, opening the referral.
    const dashboard = await services.workLists.dashboard(w.senco.actor, 'referrals_late');
    expect(dashboard.opened?.rows.map((r) => r.recordId)).toContain(late.id);
    expect(dashboard.counts.find((c) => c.list === 'referrals_late')?.count).toBe(list.total);
    // The next night: nothing new is late, nothing is sent.
    expect(await services.referrals.remindLate(addDays(TODAY, 1))).toBe(0);
    expect(await lateReferralsToRemind(database.db, addDays(TODAY, 1))).toEqual([]);
    // Two runs of the reminder at once (two app instances): one mail, not two.
    await buildReferral(database.db, w.pupilK, {
      agency: salt,
      status: 'sent',
      sentOn: addDays(TODAY, -70),
      forEhcAssessment: true,
    });
    const runs = await Promise.all([
      services.referrals.remindLate(TODAY),
      services.referrals.remindLate(TODAY),
    ]);
    expect(runs[0]! + runs[1]!).toBe(1);
  });

  it('records every step in the pupil’s record, and needs a reason for declining', async () => {
    const id = await services.referrals.start(w.senco.actor, w.pupilK.id, start());
    await services.referrals.recordConsent(w.senco.actor, id, motherConsent());
    await services.referrals.recordStep(w.senco.actor, id, 1, send);
    const noReason = await services.referrals
      .recordStep(w.senco.actor, id, 2, { ...send, to: 'declined' })
      .catch((e: unknown) => e);
    expect((noReason as ValidationError).errors).toEqual([
      { field: 'note', message: 'Write down why the service declined the referral' },
    ]);
    await services.referrals.recordStep(w.senco.actor, id, 2, {
      ...send,
      to: 'declined',
      note: 'Below the service’s threshold',
    });
    const events = await rows(
      database.db.select().from(referralEvent).where(eq(referralEvent.referralId, id)),
    );
    expect(events.map((e) => e.status).sort()).toEqual(['declined', 'drafted', 'sent']);
    const page = await services.pupils.view(w.senco.actor, w.pupilK.id);
    expect(page.referrals.find((r) => r.id === id)?.events.map((e) => e.status)).toEqual([
      'drafted',
      'sent',
      'declined',
    ]);
  });
});
