import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildOfficer,
  buildProvisionGroup,
  sendTopUp,
  setUpWorld,
  TODAY,
  uuid,
  type World,
} from '../../../test/builders/index.ts';
import type { Database } from '../../db/client.ts';
import {
  auditEvent,
  organisationCase,
  outboundMail,
  pupilAction,
  storedFile,
  topUpApplication,
  topUpDecision,
} from '../../db/schema/index.ts';
import { addDays } from '../../domain/dates.ts';
import { insertActions } from '../../repositories/plans.ts';
import type { Services } from '../index.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../kernel/errors.ts';
import type { TopUpDecisionFields } from './top-up.ts';

/*
 * High-needs top-up funding from the school's application to the local authority's decision, on the
 * usual world: Kit (Year 4, Oakfield) has an agency's daily one-to-one support that costs far more than
 * the £6,000 threshold; Amara has none. Oakfield's organisation is a local authority on this
 * installation; Elsewhere Primary has none (it downloads the files and records them as sent).
 */

let database: Database;
let services: Services;
let w: World;

const errorOf = (p: Promise<unknown>) =>
  p.then(
    () => null,
    (e: unknown) => e,
  );

beforeAll(async () => {
  ({ database, services, w } = await setUpWorld());
  for (const pupilId of [w.pupilK.id, w.otherPupil.id])
    await buildProvisionGroup(database.db, {
      schoolId: pupilId === w.pupilK.id ? w.school.id : w.otherSchool.id,
      pupilIds: [pupilId],
      name: 'One-to-one speech and language',
      delivererKind: 'external',
      sessionsPerWeek: 5,
      minutesPerSession: 120,
      startDate: '2026-09-07',
      sessions: ['2026-09-07', '2026-09-08'],
    });
});
afterAll(() => database.close());

const ready = {
  amountPence: 450_000,
  periodFrom: '2026-12-01',
  periodTo: '2027-08-31',
  rationale: 'Daily one-to-one support has moved Kit on; the cost above the threshold keeps it going.',
};

const agreed = (over: Partial<TopUpDecisionFields> = {}): TopUpDecisionFields => ({
  outcome: 'agreed',
  decidedOn: TODAY,
  amountPence: 450_000,
  band: 'C',
  conditions: 'Report the exit measures at the spring review',
  reasons: 'Well evidenced; the support is working',
  fundedFrom: '2026-12-01',
  fundedUntil: '2027-08-31',
  ...over,
});

describe('starting an application', () => {
  it('is refused for a pupil whose provision costs less than the threshold, and writes nothing', async () => {
    const before = await database.db.select().from(topUpApplication);
    const error = await errorOf(services.topUp.start(w.senco.actor, w.pupilA.id, { pupilActionId: null }));
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).errors[0]!.message).toBe(
      'Amara Adebayo’s provision does not cost more than the high-needs threshold this year: top-up funding is for costs above it',
    );
    expect(await database.db.select().from(topUpApplication)).toEqual(before);
  });

  it('is built in one action from the record: the cost above the threshold, to the end of the year; a second start opens it', async () => {
    const page = await services.topUp.forNew(w.senco.actor, w.pupilK.id);
    expect(page.costs.topUp).toBe(true);
    const { topUpId, existing } = await services.topUp.start(w.senco.actor, w.pupilK.id, {
      pupilActionId: null,
    });
    expect(existing).toBe(false);
    const view = await services.topUp.view(w.senco.actor, topUpId);
    expect(view.application).toMatchObject({ status: 'draft', periodFrom: TODAY, periodTo: '2027-08-31' });
    expect(view.application.amountPence).toBe(page.costs.academic.pence - 600_000);
    expect(view.data.costs.abovePence).toBe(view.application.amountPence);
    expect(view.data.provision.map((p) => p.group)).toEqual(['One-to-one speech and language']);
    expect(view.data.provision[0]).toMatchObject({ sessionsHeld: 2, attended: 2 });
    expect(view.actions).toMatchObject({
      edit: true,
      sendToLocalAuthority: true,
      markSent: false,
      withdraw: true,
    });
    expect(view.problems.map((p) => p.field)).toEqual(['rationale']);
    const again = await services.topUp.start(w.senco.actor, w.pupilK.id, { pupilActionId: null });
    expect(again).toEqual({ topUpId, existing: true });
    const audits = await database.db
      .select()
      .from(auditEvent)
      .where(and(eq(auditEvent.schoolId, w.school.id), eq(auditEvent.action, 'top_up.started')));
    expect(audits.map((a) => a.pupilId)).toEqual([w.pupilK.id]);
  });

  it('is for the SENCo and head only: a class teacher, an assistant, the office, the governor, an officer and another school cannot', async () => {
    const [draft] = await database.db
      .select()
      .from(topUpApplication)
      .where(eq(topUpApplication.pupilId, w.pupilK.id));
    for (const who of [w.teacherA, w.ta, w.teacherTa]) {
      expect(await errorOf(services.topUp.view(who.actor, draft!.id))).toBeInstanceOf(ForbiddenError);
      expect(
        await errorOf(services.topUp.start(who.actor, w.pupilK.id, { pupilActionId: null })),
      ).toBeInstanceOf(ForbiddenError);
    }
    for (const who of [w.office, w.governor, w.officer, w.parent, w.professional])
      expect(await errorOf(services.topUp.view(who.actor, draft!.id))).toBeInstanceOf(ForbiddenError);
    // Another school's SENCo: not found, and the probe is recorded where Oakfield sees it.
    expect(await errorOf(services.topUp.view(w.otherSenco.actor, draft!.id))).toBeInstanceOf(NotFoundError);
    expect(
      await errorOf(services.topUp.start(w.otherSenco.actor, w.pupilK.id, { pupilActionId: null })),
    ).toBeInstanceOf(NotFoundError);
    const probes = await database.db
      .select()
      .from(auditEvent)
      .where(
        and(eq(auditEvent.schoolId, w.school.id), eq(auditEvent.action, 'access.probe_from_other_school')),
      );
    expect(
      probes.some((p) => (p.detail as { id?: string }).id === draft!.id && p.pupilId === w.pupilK.id),
    ).toBe(true);
    // The head may.
    expect((await services.topUp.view(w.head.actor, draft!.id)).application.id).toBe(draft!.id);
  });
});

describe('writing the application', () => {
  it('saves at the version seen; a stale save is refused and changes nothing', async () => {
    const [draft] = await database.db
      .select()
      .from(topUpApplication)
      .where(eq(topUpApplication.pupilId, w.pupilK.id));
    await services.topUp.save(w.senco.actor, draft!.id, draft!.version, ready);
    const stale = await errorOf(
      services.topUp.save(w.head.actor, draft!.id, draft!.version, { ...ready, amountPence: 1 }),
    );
    expect(stale).toBeInstanceOf(ConflictError);
    const view = await services.topUp.view(w.senco.actor, draft!.id);
    expect(view.application).toMatchObject({ ...ready, version: draft!.version + 1 });
    expect(view.problems).toEqual([]);
  });

  it('refuses amounts of nothing or less, and dates out of order, changing nothing', async () => {
    const [draft] = await database.db
      .select()
      .from(topUpApplication)
      .where(eq(topUpApplication.pupilId, w.pupilK.id));
    for (const [input, field] of [
      [{ ...ready, amountPence: 0 }, 'amount'],
      [{ ...ready, amountPence: -500 }, 'amount'],
      [{ ...ready, amountPence: 10_000_001 }, 'amount'],
      [{ ...ready, periodFrom: '2027-08-31', periodTo: '2026-12-01' }, 'periodTo'],
    ] as const) {
      const error = await errorOf(services.topUp.save(w.senco.actor, draft!.id, draft!.version, input));
      expect((error as ValidationError).errors.map((e) => e.field)).toEqual([field]);
    }
    const [after] = await database.db
      .select()
      .from(topUpApplication)
      .where(eq(topUpApplication.id, draft!.id));
    expect(after).toEqual(draft);
  });
});

describe('sending the application into the local authority’s caseload', () => {
  it('is refused while the school’s case is missing', async () => {
    const [draft] = await database.db
      .select()
      .from(topUpApplication)
      .where(eq(topUpApplication.pupilId, w.pupilK.id));
    await services.topUp.save(w.senco.actor, draft!.id, draft!.version, { ...ready, rationale: null });
    const error = await errorOf(sendTopUp(services, w.senco.actor, draft!.id, draft!.version + 1));
    expect((error as ValidationError).errors.map((e) => e.field)).toEqual(['rationale']);
    await services.topUp.save(w.senco.actor, draft!.id, draft!.version + 1, ready);
  });

  it('opens the authority’s case with its copy, audited on both chains; kept as sent; the review’s decision done', async () => {
    const [draft] = await database.db
      .select()
      .from(topUpApplication)
      .where(eq(topUpApplication.pupilId, w.pupilK.id));
    const actionId = uuid();
    await insertActions(database.db, [
      {
        schoolId: w.school.id,
        id: actionId,
        pupilId: w.pupilK.id,
        kind: 'top_up_funding',
        createdByName: 'Sam Senco',
      },
    ]);
    await database.db
      .update(topUpApplication)
      .set({ pupilActionId: actionId })
      .where(eq(topUpApplication.id, draft!.id));
    const files = (await database.db.select().from(storedFile)).length;
    const result = await sendTopUp(services, w.senco.actor, draft!.id, draft!.version);
    expect(result.sentTo).toBe('Testshire Council');
    const [sent] = await database.db
      .select()
      .from(topUpApplication)
      .where(eq(topUpApplication.id, draft!.id));
    expect(sent).toMatchObject({
      status: 'sent',
      sentHow: 'local_authority',
      organisationId: w.officer.organisationId,
    });
    const [opened] = await database.db
      .select()
      .from(organisationCase)
      .where(eq(organisationCase.id, sent!.caseId!));
    expect(opened).toMatchObject({
      kind: 'top_up_funding',
      stage: 'received',
      openedOn: TODAY,
      requestId: draft!.id,
      schoolId: w.school.id,
      pupilId: w.pupilK.id,
    });
    expect(opened!.received).toEqual(sent!.sentApplication);
    expect((opened!.received as { request: unknown }).request).toMatchObject(ready);
    expect((await database.db.select().from(storedFile)).length).toBe(files + 2);
    const received = await database.db
      .select()
      .from(auditEvent)
      .where(eq(auditEvent.action, 'top_up.received'));
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({
      organisationId: w.officer.organisationId,
      schoolId: null,
      pupilId: w.pupilK.id,
    });
    const sentRows = await database.db.select().from(auditEvent).where(eq(auditEvent.action, 'top_up.sent'));
    expect(sentRows[0]).toMatchObject({ schoolId: w.school.id, pupilId: w.pupilK.id });
    const [action] = await database.db.select().from(pupilAction).where(eq(pupilAction.id, actionId));
    expect(action!.status).toBe('done');
    // Sent: no longer changed, sent again, or started again from the same draft.
    const view = await services.topUp.view(w.senco.actor, draft!.id);
    expect(view.actions).toMatchObject({
      edit: false,
      sendToLocalAuthority: false,
      withdraw: true,
      download: true,
    });
    expect(await errorOf(services.topUp.save(w.senco.actor, draft!.id, sent!.version, ready))).toBeInstanceOf(
      ValidationError,
    );
    expect(await errorOf(sendTopUp(services, w.senco.actor, draft!.id, sent!.version))).toBeInstanceOf(
      ValidationError,
    );
    // The files are the ones sent: the JSON is the authority's copy, the PDF a PDF.
    const json = await services.topUp.file(w.senco.actor, draft!.id, 'json');
    expect(json.data).toEqual(opened!.received);
    const pdf = await services.topUp.file(w.senco.actor, draft!.id, 'pdf');
    expect(pdf.stored?.subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('is refused when the record changed after the page made the PDF: nothing sent', async () => {
    const { topUpId } = await services.topUp.start(w.otherSenco.actor, w.otherPupil.id, {
      pupilActionId: null,
    });
    await services.topUp.save(w.otherSenco.actor, topUpId, 1, ready);
    const page = await services.topUp.view(w.otherSenco.actor, topUpId);
    const changed = { ...page.data, request: { ...page.data.request, amountPence: 1 } };
    const error = await errorOf(
      services.topUp.send(w.otherSenco.actor, topUpId, 2, { data: changed, pdf: Buffer.from('%PDF-1.7\n') }),
    );
    expect(error).toBeInstanceOf(ConflictError);
    const [still] = await database.db.select().from(topUpApplication).where(eq(topUpApplication.id, topUpId));
    expect(still).toMatchObject({ status: 'draft', version: 2, sentFileId: null });
  });

  it('for a school whose authority is not on OpenSEND: downloaded, then recorded as sent by the school', async () => {
    // The draft of the test before, already complete.
    const { topUpId, existing } = await services.topUp.start(w.otherSenco.actor, w.otherPupil.id, {
      pupilActionId: null,
    });
    expect(existing).toBe(true);
    const v = (await services.topUp.view(w.otherSenco.actor, topUpId)).version;
    const view = await services.topUp.view(w.otherSenco.actor, topUpId);
    expect(view.actions).toMatchObject({ sendToLocalAuthority: false, markSent: true });
    const result = await sendTopUp(services, w.otherSenco.actor, topUpId, v);
    expect(result.sentTo).toBeNull();
    const [sent] = await database.db.select().from(topUpApplication).where(eq(topUpApplication.id, topUpId));
    expect(sent).toMatchObject({ status: 'sent', sentHow: 'download', caseId: null, organisationId: null });
    expect(sent!.sentFileId).not.toBeNull();
  });
});

describe('the local authority’s decision', () => {
  const caseOfKit = async () => {
    const [sent] = await database.db
      .select()
      .from(topUpApplication)
      .where(eq(topUpApplication.pupilId, w.pupilK.id));
    return sent!.caseId!;
  };

  it('shows the application as received to the authority’s officers, never another authority’s', async () => {
    const caseId = await caseOfKit();
    const page = await services.topUp.decisionPage(w.officer.actor, caseId);
    expect(page.received.request).toMatchObject(ready);
    expect(page).toMatchObject({ version: 0, decision: null, actions: { view: true, decide: true } });
    const panel = await buildOfficer(database.db, w.officer.organisationId, ['panel_member']);
    expect((await services.topUp.decisionPage(panel.actor, caseId)).actions).toEqual({
      view: true,
      decide: false,
    });
    expect(await errorOf(services.topUp.decide(panel.actor, caseId, 0, agreed()))).toBeInstanceOf(
      ForbiddenError,
    );
    const elsewhere = await buildOfficer(database.db);
    expect(await errorOf(services.topUp.decisionPage(elsewhere.actor, caseId))).toBeInstanceOf(NotFoundError);
    expect(await errorOf(services.topUp.decide(elsewhere.actor, caseId, 0, agreed()))).toBeInstanceOf(
      NotFoundError,
    );
    for (const who of [w.senco, w.head, w.teacherA])
      expect(await errorOf(services.topUp.decisionPage(who.actor, caseId))).toBeInstanceOf(ForbiddenError);
    // A case of the authority's that is not about top-up funding has no top-up decision.
    const { caseId: assessment } = await services.organisation.openCase(w.officer.actor, {
      schoolId: w.school.id,
      pupilId: w.pupilE.id,
      kind: 'ehc_needs_assessment',
      openedOn: TODAY,
    });
    expect(await errorOf(services.topUp.decisionPage(w.officer.actor, assessment))).toBeInstanceOf(
      NotFoundError,
    );
    expect(await errorOf(services.topUp.decide(w.officer.actor, assessment, 0, agreed()))).toBeInstanceOf(
      NotFoundError,
    );
    expect(await database.db.select().from(topUpDecision)).toEqual([]);
  });

  it('refuses a decision that does not add up, saving nothing', async () => {
    const caseId = await caseOfKit();
    const cases: [TopUpDecisionFields, string[]][] = [
      [agreed({ outcome: 'refused' }), ['amount', 'fundedFrom']],
      [agreed({ amountPence: null }), ['amount']],
      [agreed({ fundedFrom: '2027-08-31', fundedUntil: '2026-12-01' }), ['fundedUntil']],
      [agreed({ decidedOn: addDays(TODAY, 1) }), ['decidedOn']],
      [agreed({ decidedOn: addDays(TODAY, -1) }), ['decidedOn']],
      [agreed({ outcome: 'agreed_in_part' }), ['amount']],
      // Backdated two years: no earlier than the start of the school year it was received in.
      [agreed({ fundedFrom: '2024-11-20', fundedUntil: '2025-11-19' }), ['fundedFrom']],
      [agreed({ fundedFrom: '2026-08-31' }), ['fundedFrom']],
    ];
    for (const [input, fields] of cases) {
      const error = await errorOf(services.topUp.decide(w.officer.actor, caseId, 0, input));
      expect(
        (error as ValidationError).errors.map((e) => e.field),
        JSON.stringify(input),
      ).toEqual(fields);
    }
    expect(await database.db.select().from(topUpDecision)).toEqual([]);
  });

  it('is recorded, versioned: the school sees it at once; a stale change is refused; it cannot then be withdrawn', async () => {
    const caseId = await caseOfKit();
    await services.topUp.decide(w.officer.actor, caseId, 0, agreed());
    const [held] = await database.db.select().from(organisationCase).where(eq(organisationCase.id, caseId));
    expect(held).toMatchObject({ stage: 'decided', closedOn: TODAY, closedReason: 'Agreed' });
    // Someone else's first decision at the same time (version 0 again) is refused, not doubled.
    expect(await errorOf(services.topUp.decide(w.officer.actor, caseId, 0, agreed()))).toBeInstanceOf(
      ConflictError,
    );
    await services.topUp.decide(
      w.officer.actor,
      caseId,
      1,
      agreed({ outcome: 'agreed_in_part', amountPence: 300_000 }),
    );
    expect(await errorOf(services.topUp.decide(w.officer.actor, caseId, 1, agreed()))).toBeInstanceOf(
      ConflictError,
    );
    const decisions = await database.db.select().from(topUpDecision);
    expect(decisions).toHaveLength(1);
    expect(decisions[0]).toMatchObject({ outcome: 'agreed_in_part', amountPence: 300_000, version: 2 });
    const [app] = await database.db
      .select()
      .from(topUpApplication)
      .where(eq(topUpApplication.pupilId, w.pupilK.id));
    const school = await services.topUp.view(w.senco.actor, app!.id);
    expect(school.decision).toMatchObject({ outcome: 'agreed_in_part', amountPence: 300_000, band: 'C' });
    expect(school.actions.withdraw).toBe(false);
    const error = await errorOf(services.topUp.withdraw(w.senco.actor, app!.id, app!.version));
    expect((error as ValidationError).errors[0]!.message).toBe(
      'The local authority has decided this application: it can no longer be withdrawn',
    );
    // The pupil's record shows the funding beside the costs.
    const record = await services.pupils.view(w.senco.actor, w.pupilK.id);
    expect(record.topUps[0]!.decision).toMatchObject({ amountPence: 300_000, fundedUntil: '2027-08-31' });
    const decided = await database.db
      .select()
      .from(auditEvent)
      .where(eq(auditEvent.action, 'top_up.decided'));
    expect(decided.map((d) => d.organisationId)).toEqual([
      w.officer.organisationId,
      w.officer.organisationId,
    ]);
  });
});

describe('withdrawing an application', () => {
  it('closes the authority’s case as withdrawn when sent and not yet decided', async () => {
    // Kit's funding was decided; a second application (after the first) is sent and withdrawn.
    const { topUpId } = await services.topUp.start(w.senco.actor, w.pupilK.id, { pupilActionId: null });
    const v = (await services.topUp.view(w.senco.actor, topUpId)).version;
    await services.topUp.save(w.senco.actor, topUpId, v, ready);
    await sendTopUp(services, w.senco.actor, topUpId, v + 1);
    const stale = await errorOf(services.topUp.withdraw(w.senco.actor, topUpId, v + 1));
    expect(stale).toBeInstanceOf(ConflictError);
    await services.topUp.withdraw(w.senco.actor, topUpId, v + 2);
    const [app] = await database.db.select().from(topUpApplication).where(eq(topUpApplication.id, topUpId));
    expect(app).toMatchObject({ status: 'withdrawn', withdrawnOn: TODAY });
    const [held] = await database.db
      .select()
      .from(organisationCase)
      .where(eq(organisationCase.id, app!.caseId!));
    expect(held).toMatchObject({ stage: 'withdrawn', closedOn: TODAY });
    expect(await errorOf(services.topUp.decide(w.officer.actor, app!.caseId!, 0, agreed()))).toBeInstanceOf(
      ValidationError,
    );
    const rows = await database.db.select().from(auditEvent).where(eq(auditEvent.action, 'top_up.withdrawn'));
    expect(rows.map((r) => (r.organisationId ? 'organisation' : 'school')).sort()).toEqual([
      'organisation',
      'school',
    ]);
  });
});

describe('the reminder before funding ends', () => {
  it('mails the school’s SENCos six weeks before, naming no child, once per ending, once when run twice at once', async () => {
    // Kit's funding ends on 31 August 2027: due its reminder from 20 July.
    expect(await services.topUp.remindEnding('2027-07-19')).toBe(0);
    const before = (await database.db.select().from(outboundMail)).length;
    const runs = await Promise.all([
      services.topUp.remindEnding('2027-07-20'),
      services.topUp.remindEnding('2027-07-20'),
    ]);
    expect(runs[0]! + runs[1]!).toBe(1);
    const mails = (await database.db.select().from(outboundMail)).slice(before);
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatchObject({ toAddress: w.senco.email, schoolId: w.school.id });
    expect(mails[0]!.subject).toBe('1 award of top-up funding ends soon at Oakfield Primary');
    for (const name of ['Kit', 'Kowalski', w.pupilK.upn]) expect(mails[0]!.body).not.toContain(name);
    // The next night, nothing; a new end date (the decision changed) is reminded of again.
    expect(await services.topUp.remindEnding('2027-07-21')).toBe(0);
    const caseId = (await database.db.select().from(topUpDecision))[0]!.caseId;
    await services.topUp.decide(
      w.officer.actor,
      caseId,
      2,
      agreed({ outcome: 'agreed_in_part', amountPence: 300_000, fundedUntil: '2027-08-30' }),
    );
    expect(await services.topUp.remindEnding('2027-07-21')).toBe(1);
    // Not once the funding has ended.
    await database.db.update(topUpDecision).set({ endRemindedFor: null });
    expect(await services.topUp.remindEnding('2027-08-31')).toBe(0);
  });
});
