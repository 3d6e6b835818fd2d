import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import {
  buildOfficer,
  buildPupil,
  buildReceivedCase,
  buildSchool,
  buildStaff,
  TODAY,
  useWorld,
} from '../../../test/builders/index.ts';
import { auditEvent, auditEventPupil, organisationCase, outboundMail } from '../../db/schema/index.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../kernel/errors.ts';
import { caseStandingForSchool } from './cases.ts';

const t = useWorld();

/** A case of the world's authority about Kit, received on `receivedOn`. */
async function kitCase(receivedOn = TODAY) {
  const { database, w } = t;
  return buildReceivedCase(database.db, w.pupilK, w.officer.organisationId, { receivedOn });
}

async function versionOf(caseId: string) {
  const rows = await t.database.db
    .select({ version: organisationCase.version, stage: organisationCase.stage })
    .from(organisationCase)
    .where(eq(organisationCase.id, caseId));
  return rows[0]!;
}

async function lastAudit(organisationId: string) {
  const rows = await t.database.db
    .select()
    .from(auditEvent)
    .where(eq(auditEvent.organisationId, organisationId))
    .orderBy(auditEvent.chainSeq);
  return rows.at(-1)!;
}

describe('the caseload', () => {
  it('lists the authority’s own cases, overdue first, and never another authority’s', async () => {
    const { database, services, w } = t;
    // Received 15 July: its decision was due on 26 August (today is 20 November): overdue.
    const late = await kitCase('2026-07-15');
    const fresh = await buildReceivedCase(database.db, w.pupilA, w.officer.organisationId, {
      receivedOn: TODAY,
    });
    const elsewhere = await buildOfficer(database.db);
    const theirs = await buildReceivedCase(database.db, w.otherPupil, elsewhere.organisationId);
    const list = await services.caseload.caseload(w.officer.actor);
    const ids = list.rows.map((r) => r.id);
    expect(ids).toContain(late.caseId);
    expect(ids).toContain(fresh.caseId);
    expect(ids).not.toContain(theirs.caseId);
    expect(ids.indexOf(late.caseId)).toBeLessThan(ids.indexOf(fresh.caseId));
    const row = list.rows.find((r) => r.id === late.caseId)!;
    // Both the decision (26 August) and the 16 weeks (4 November) have passed.
    expect(row).toMatchObject({ overdue: 2, childName: 'Kit Kowalski', schoolName: 'Oakfield Primary' });
    expect((await lastAudit(w.officer.organisationId)).action).toBe('caseload.viewed');
    const overdueOnly = await services.caseload.caseload(w.officer.actor, { show: 'overdue' });
    expect(overdueOnly.rows.every((r) => r.overdue > 0)).toBe(true);
    // The other authority sees its own only.
    const theirList = await services.caseload.caseload(elsewhere.actor);
    expect(theirList.rows.map((r) => r.id)).toEqual([theirs.caseId]);
  });

  it('records on the authority’s chain the pupils each list showed, each under their school; the trail verifies', async () => {
    const { database, services } = t;
    const org = await buildOfficer(database.db, undefined, ['caseworker']);
    const first = await buildSchool(database.db, { organisationId: org.organisationId });
    const second = await buildSchool(database.db, { organisationId: org.organisationId });
    const a = await buildPupil(database.db, { schoolId: first.id });
    const b = await buildPupil(database.db, { schoolId: second.id });
    await buildReceivedCase(database.db, a, org.organisationId);
    await buildReceivedCase(database.db, b, org.organisationId);
    const list = await services.caseload.caseload(org.actor);
    expect(list.rows.map((r) => r.pupilId).sort()).toEqual([a.id, b.id].sort());
    const viewed = await lastAudit(org.organisationId);
    expect(viewed).toMatchObject({ action: 'caseload.viewed', schoolId: null });
    expect(viewed.shownPupilsDigest).not.toBeNull();
    const links = await database.db
      .select({ schoolId: auditEventPupil.schoolId, pupilId: auditEventPupil.pupilId })
      .from(auditEventPupil)
      .where(eq(auditEventPupil.eventId, viewed.id));
    expect(links.sort((x, y) => x.pupilId.localeCompare(y.pupilId))).toEqual(
      [
        { schoolId: first.id, pupilId: a.id },
        { schoolId: second.id, pupilId: b.id },
      ].sort((x, y) => x.pupilId.localeCompare(y.pupilId)),
    );
    // Only the rows shown: the overdue list of none shows no pupils.
    await services.caseload.caseload(org.actor, { show: 'overdue' });
    const none = await lastAudit(org.organisationId);
    expect(none.shownPupilsDigest).toBeNull();
    const verified = await services.admin.verifyAudit({ osUser: 'test', requestId: 'r' });
    expect(verified.broken).toEqual([]);
    expect(verified.strayPupilLinks).toBe(0);
  });

  it('shows 50 cases a page, counted over all of them; each page audits only the pupils it showed', async () => {
    const { database, services } = t;
    const org = await buildOfficer(database.db, undefined, ['caseworker']);
    const school = await buildSchool(database.db, { organisationId: org.organisationId });
    const pupils = [];
    for (let i = 0; i < 53; i++) {
      const child = await buildPupil(database.db, { schoolId: school.id });
      pupils.push(child.id);
      await buildReceivedCase(database.db, child, org.organisationId, { receivedOn: TODAY });
    }
    const first = await services.caseload.caseload(org.actor);
    expect(first).toMatchObject({ page: 1, pages: 2, total: 53, counts: { open: 53 } });
    expect(first.rows).toHaveLength(50);
    const second = await services.caseload.caseload(org.actor, { page: 2 });
    expect(second.rows).toHaveLength(3);
    // Between them, every case once, in the caseload's order.
    expect([...first.rows, ...second.rows].map((r) => r.pupilId).sort()).toEqual([...pupils].sort());
    const links = await database.db
      .select({ pupilId: auditEventPupil.pupilId })
      .from(auditEventPupil)
      .where(eq(auditEventPupil.eventId, (await lastAudit(org.organisationId)).id));
    expect(links.map((l) => l.pupilId).sort()).toEqual(second.rows.map((r) => r.pupilId).sort());
    // A page past the end shows the last; nonsense is the first.
    expect((await services.caseload.caseload(org.actor, { page: 9 })).page).toBe(2);
    expect((await services.caseload.caseload(org.actor, { page: Number.NaN })).page).toBe(1);
  });

  it('is for officers who read EHC work: a SENCo, a parent or a professional is refused', async () => {
    const { services, w } = t;
    for (const actor of [w.senco.actor, w.parent.actor, w.professional.actor])
      await expect(services.caseload.caseload(actor)).rejects.toBeInstanceOf(ForbiddenError);
  });
});

describe('a case', () => {
  it('another authority’s case, a nonsense id, or a case id of no case is not found', async () => {
    const { database, services, w } = t;
    const elsewhere = await buildOfficer(database.db);
    const theirs = await buildReceivedCase(database.db, w.otherPupil, elsewhere.organisationId);
    await expect(services.caseload.caseView(w.officer.actor, theirs.caseId)).rejects.toBeInstanceOf(
      NotFoundError,
    );
    await expect(services.caseload.caseView(w.officer.actor, 'x; drop table')).rejects.toBeInstanceOf(
      NotFoundError,
    );
    await expect(
      services.caseload.recordDecision(w.officer.actor, theirs.caseId, {
        version: 1,
        kind: 'assess',
        decidedOn: TODAY,
        parentsToldOn: TODAY,
        reasons: null,
        panelNotes: null,
      }),
    ).rejects.toBeInstanceOf(NotFoundError);
  });

  it('the caseworker decides to assess and asks a school for advice in its summer closure: the clock shows the 20-week date and the exception', async () => {
    const { services, w } = t;
    const { caseId } = await kitCase('2026-07-15');
    await services.closures.add(w.senco.actor, {
      firstDay: '2026-07-22',
      lastDay: '2026-09-01',
      note: 'Summer',
    });
    await services.caseload.recordDecision(w.officer.actor, caseId, {
      version: 1,
      kind: 'assess',
      decidedOn: '2026-07-17',
      parentsToldOn: '2026-07-20',
      reasons: 'The school’s evidence shows needs beyond SEN support',
      panelNotes: null,
    });
    expect(await versionOf(caseId)).toEqual({ version: 2, stage: 'assessing' });
    await services.caseload.askAdvice(w.officer.actor, caseId, {
      version: 2,
      source: 'school',
      askedOf: null,
      schoolId: w.school.id,
      requestedOn: '2026-07-20',
      alreadyHeld: false,
      receivedOn: null,
      note: null,
    });
    const view = await services.caseload.caseView(w.officer.actor, caseId);
    const final = view.clock!.deadlines.find((d) => d.key === 'final')!;
    expect(final.dueOn).toBe('2026-12-02');
    expect(view.clock!.deadlines.find((d) => d.key === 'decide')).toMatchObject({ status: 'met' });
    expect(view.clock!.exceptions).toMatchObject([{ ground: 'school_closure', found: true }]);
    expect(view.clock!.exceptions[0]!.excuses.sort()).toEqual(['decide', 'final', 'not_issue']);
    expect(view.advice[0]).toMatchObject({ askedOf: 'Oakfield Primary', schoolId: w.school.id });
    expect((await lastAudit(w.officer.organisationId)).action).toBe('case.viewed');
  });

  it('refuses a stale version, keeping the change of the officer who saved first', async () => {
    const { services, w } = t;
    const { caseId } = await kitCase();
    const decision = {
      version: 1,
      kind: 'assess',
      decidedOn: TODAY,
      parentsToldOn: null,
      reasons: null,
      panelNotes: null,
    };
    await services.caseload.recordDecision(w.officer.actor, caseId, decision);
    await expect(services.caseload.recordDecision(w.officer.actor, caseId, decision)).rejects.toBeInstanceOf(
      ConflictError,
    );
    expect((await services.caseload.caseView(w.officer.actor, caseId)).decisions).toHaveLength(1);
  });

  it('a panel member records the panel and nothing else; a manager changes nothing', async () => {
    const { database, services, w } = t;
    const { caseId } = await kitCase();
    const panel = await buildOfficer(database.db, w.officer.organisationId, ['panel_member']);
    const manager = await buildOfficer(database.db, w.officer.organisationId, ['manager']);
    await expect(
      services.caseload.recordDecision(panel.actor, caseId, {
        version: 1,
        kind: 'assess',
        decidedOn: TODAY,
        parentsToldOn: TODAY,
        reasons: null,
        panelNotes: null,
      }),
    ).rejects.toBeInstanceOf(ForbiddenError);
    await services.caseload.recordDecision(panel.actor, caseId, {
      version: 1,
      kind: 'panel',
      decidedOn: TODAY,
      parentsToldOn: TODAY,
      reasons: null,
      panelNotes: 'Recommend an assessment',
    });
    const view = await services.caseload.caseView(panel.actor, caseId);
    expect(view.decisions).toMatchObject([
      { kind: 'panel', panelNotes: 'Recommend an assessment', parentsToldOn: null },
    ]);
    expect(view.actions).toMatchObject({ change: false, recordPanel: true });
    for (const attempt of [
      () =>
        services.caseload.askAdvice(panel.actor, caseId, {
          version: 2,
          source: 'health',
          askedOf: 'Community paediatrics',
          schoolId: null,
          requestedOn: TODAY,
          alreadyHeld: false,
          receivedOn: null,
          note: null,
        }),
      () =>
        services.caseload.updateDates(manager.actor, caseId, {
          version: 2,
          caseworkerUserId: null,
          draftSentOn: null,
          finalIssuedOn: null,
          withdrawn: true,
        }),
      () =>
        services.caseload.recordDecision(manager.actor, caseId, {
          version: 2,
          kind: 'panel',
          decidedOn: TODAY,
          parentsToldOn: null,
          reasons: null,
          panelNotes: 'x',
        }),
    ])
      await expect(attempt()).rejects.toBeInstanceOf(ForbiddenError);
    expect(await versionOf(caseId)).toMatchObject({ version: 2, stage: 'received' });
  });

  it('refuses hostile and impossible input with a message by the field, and saves nothing', async () => {
    const { database, services, w } = t;
    const { caseId } = await kitCase('2026-10-01');
    const refused = async (promise: Promise<unknown>, field: string) => {
      const error = await promise.catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).errors.map((e) => e.field)).toContain(field);
    };
    const decide = (over: Record<string, unknown>) =>
      services.caseload.recordDecision(w.officer.actor, caseId, {
        version: 1,
        kind: 'not_assess',
        decidedOn: '2026-10-10',
        parentsToldOn: '2026-10-11',
        reasons: 'Needs met at SEN support',
        panelNotes: null,
        ...over,
      } as Parameters<typeof services.caseload.recordDecision>[2]);
    await refused(decide({ reasons: null }), 'reasons');
    await refused(decide({ decidedOn: '2027-01-01' }), 'decidedOn');
    await refused(decide({ decidedOn: '2026-09-30' }), 'decidedOn');
    await refused(decide({ decidedOn: '2026-02-30' }), 'decidedOn');
    await refused(decide({ parentsToldOn: '2026-10-09' }), 'parentsToldOn');
    await refused(decide({ reasons: 'Bad\u0000text' }), 'reasons');
    await refused(decide({ kind: 'issue_plan', reasons: 'x' }), 'kind');
    await refused(decide({ kind: '<script>' }), 'kind');
    // Advice asked of another authority's school is not taken.
    await refused(
      services.caseload.askAdvice(w.officer.actor, caseId, {
        version: 1,
        source: 'school',
        askedOf: null,
        schoolId: w.otherSchool.id,
        requestedOn: '2026-10-05',
        alreadyHeld: false,
        receivedOn: null,
        note: null,
      }),
      'schoolId',
    );
    await refused(
      services.caseload.recordException(w.officer.actor, caseId, {
        version: 1,
        ground: 'absence',
        startsOn: '2026-10-02',
        endsOn: '2026-10-20',
        note: null,
      }),
      'endsOn',
    );
    expect(await versionOf(caseId)).toMatchObject({ version: 1 });
    const far = await buildSchool(database.db, { name: 'Far Away' });
    expect(far.id).not.toBe(w.school.id);
  });

  it('one decision whether to assess and one whether to issue a plan: a second, or a contradiction, is refused and saves nothing', async () => {
    const { services, w } = t;
    const { caseId } = await kitCase('2026-10-01');
    const decide = (version: number, kind: string, decidedOn: string, reasons: string | null = 'Reasons') =>
      services.caseload.recordDecision(w.officer.actor, caseId, {
        version,
        kind,
        decidedOn,
        parentsToldOn: null,
        reasons,
        panelNotes: kind === 'panel' ? 'Discussed' : null,
      });
    const refusedOn = async (promise: Promise<unknown>, field: string, message: RegExp) => {
      const error = await promise.catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).errors).toContainEqual({
        field,
        message: expect.stringMatching(message),
      });
    };
    await decide(1, 'assess', '2026-10-10');
    await refusedOn(decide(2, 'assess', '2026-10-11'), 'kind', /decided to assess on 10 October 2026/);
    await refusedOn(decide(2, 'not_assess', '2026-10-11'), 'kind', /that decision stands/);
    await refusedOn(decide(2, 'issue_plan', '2026-10-09'), 'decidedOn', /on or after the decision to assess/);
    await decide(2, 'issue_plan', '2026-10-20');
    await refusedOn(
      decide(3, 'not_issue_plan', '2026-10-21'),
      'kind',
      /decided to issue a plan on 20 October 2026/,
    );
    await refusedOn(decide(3, 'issue_plan', '2026-10-21'), 'kind', /that decision stands/);
    // A panel's discussion may be recorded at any time.
    await decide(3, 'panel', '2026-10-22');
    expect(await versionOf(caseId)).toEqual({ version: 4, stage: 'drafting' });
    const view = await services.caseload.caseView(w.officer.actor, caseId);
    expect(view.decisions.map((d) => d.kind)).toEqual(['assess', 'issue_plan', 'panel']);
  });

  it('the authority may reconsider, with reasons: to assess after not to, to issue after not to; the later decision counts', async () => {
    const { services, w } = t;
    const { caseId } = await kitCase('2026-10-01');
    const decide = (version: number, kind: string, decidedOn: string, reasons: string | null) =>
      services.caseload.recordDecision(w.officer.actor, caseId, {
        version,
        kind,
        decidedOn,
        parentsToldOn: null,
        reasons,
        panelNotes: null,
      });
    const fields = async (promise: Promise<unknown>) =>
      ((await promise.catch((e: unknown) => e)) as ValidationError).errors.map((e) => e.field);
    await decide(1, 'not_assess', '2026-10-05', 'Needs met at SEN support');
    expect(await fields(decide(2, 'not_assess', '2026-10-06', 'Again'))).toEqual(['kind']);
    expect(await fields(decide(2, 'assess', '2026-10-15', null))).toEqual(['reasons']);
    expect(await fields(decide(2, 'assess', '2026-10-04', 'After mediation'))).toEqual(['decidedOn']);
    await decide(2, 'assess', '2026-10-15', 'After mediation the authority agreed to assess');
    expect(await versionOf(caseId)).toEqual({ version: 3, stage: 'assessing' });
    await decide(3, 'not_issue_plan', '2026-11-01', 'Needs can be met without a plan');
    expect(await fields(decide(4, 'issue_plan', '2026-11-10', null))).toEqual(['reasons']);
    // A draft is served only once the latest decision is to issue.
    await expect(
      services.caseload.updateDates(w.officer.actor, caseId, {
        version: 4,
        caseworkerUserId: null,
        draftSentOn: '2026-11-05',
        finalIssuedOn: null,
        withdrawn: false,
      }),
    ).rejects.toBeInstanceOf(ValidationError);
    await decide(4, 'issue_plan', '2026-11-10', 'The tribunal ordered a plan');
    expect(await versionOf(caseId)).toEqual({ version: 5, stage: 'drafting' });
    await services.caseload.updateDates(w.officer.actor, caseId, {
      version: 5,
      caseworkerUserId: null,
      draftSentOn: '2026-11-12',
      finalIssuedOn: null,
      withdrawn: false,
    });
    expect(await versionOf(caseId)).toMatchObject({ stage: 'draft_sent' });
  });

  it('advice already held dated 1 January 1900, or more than two years before the request, is refused; advice is never dated before the child’s birth', async () => {
    const { services, w } = t;
    const { caseId } = await kitCase('2026-10-01');
    const held = (receivedOn: string, alreadyHeld = true) =>
      services.caseload.askAdvice(w.officer.actor, caseId, {
        version: 1,
        source: 'educational_psychologist',
        askedOf: 'Northshire EP service',
        schoolId: null,
        requestedOn: alreadyHeld ? null : '2026-10-02',
        alreadyHeld,
        receivedOn,
        note: null,
      });
    const messages = async (promise: Promise<unknown>) =>
      ((await promise.catch((e: unknown) => e)) as ValidationError).errors.map(
        (e) => `${e.field}: ${e.message}`,
      );
    expect(await messages(held('1900-01-01'))).toEqual([
      expect.stringMatching(/^receivedOn: The date the advice came cannot be before the child was born/),
    ]);
    expect(await messages(held('2024-09-30'))).toEqual([
      expect.stringMatching(
        /^receivedOn: Advice given more than two years before the request was received is not recent/,
      ),
    ]);
    expect(await versionOf(caseId)).toMatchObject({ version: 1 });
    await held('2024-10-01');
    const view = await services.caseload.caseView(w.officer.actor, caseId);
    expect(view.advice.map((a) => a.receivedOn)).toEqual(['2024-10-01']);
    const adviceId = view.advice[0]!.id;
    // Its page is a read of the case, audited on the authority's chain (not again when a form is re-shown).
    await services.caseload.adviceOf(w.officer.actor, caseId, adviceId);
    expect(await lastAudit(w.officer.organisationId)).toMatchObject({
      action: 'case.advice_viewed',
      schoolId: null,
      pupilId: w.pupilK.id,
      detail: { caseId, adviceId },
    });
    await services.caseload.caseView(w.officer.actor, caseId);
    await services.caseload.adviceOf(w.officer.actor, caseId, adviceId, { audit: false });
    expect((await lastAudit(w.officer.organisationId)).action).toBe('case.viewed');
    // Corrected later to a date before the child was born: refused too.
    await expect(
      services.caseload.updateAdvice(w.officer.actor, caseId, adviceId, {
        version: view.advice[0]!.version,
        requestedOn: null,
        receivedOn: '1900-01-01',
        note: null,
      }),
    ).rejects.toThrow(/before the child was born/);
  });

  it('a school’s closure is not recorded by hand: it is found from the school’s closure dates', async () => {
    const { services, w } = t;
    const { caseId } = await kitCase('2026-10-01');
    const error = await services.caseload
      .recordException(w.officer.actor, caseId, {
        version: 1,
        ground: 'school_closure',
        startsOn: '2026-10-02',
        endsOn: null,
        note: 'Closed',
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).errors).toEqual([
      {
        field: 'ground',
        message:
          'A school’s closure is found from the school’s closure dates when advice is asked of it: record the school’s closure under its settings',
      },
    ]);
    expect(await versionOf(caseId)).toMatchObject({ version: 1 });
    await services.caseload.recordException(w.officer.actor, caseId, {
      version: 1,
      ground: 'early_years_closure',
      startsOn: '2026-10-02',
      endsOn: null,
      note: null,
    });
    expect(await versionOf(caseId)).toMatchObject({ version: 2 });
  });

  it('the final plan cannot be issued before the parents’ 15 days end', async () => {
    const { services, w } = t;
    const { caseId } = await kitCase('2026-07-01');
    const decide = (version: number, kind: string) =>
      services.caseload.recordDecision(w.officer.actor, caseId, {
        version,
        kind,
        decidedOn: '2026-08-01',
        parentsToldOn: '2026-08-01',
        reasons: 'Reasons',
        panelNotes: null,
      });
    await decide(1, 'assess');
    await decide(2, 'issue_plan');
    const error = await services.caseload
      .updateDates(w.officer.actor, caseId, {
        version: 3,
        caseworkerUserId: w.officer.actor.userId,
        draftSentOn: '2026-11-07',
        finalIssuedOn: '2026-11-21',
        withdrawn: false,
      })
      .catch((e: unknown) => e);
    // 21 November is in the future too; the 15 days end on 21 November, so the 20th is refused for them.
    expect(error).toBeInstanceOf(ValidationError);
    const cut = await services.caseload
      .updateDates(w.officer.actor, caseId, {
        version: 3,
        caseworkerUserId: null,
        draftSentOn: '2026-11-06',
        finalIssuedOn: '2026-11-20',
        withdrawn: false,
      })
      .catch((e: unknown) => e);
    expect((cut as ValidationError).errors).toEqual([
      { field: 'finalIssuedOn', message: expect.stringContaining('on or after 21 November 2026') },
    ]);
    await services.caseload.updateDates(w.officer.actor, caseId, {
      version: 3,
      caseworkerUserId: w.officer.actor.userId,
      draftSentOn: '2026-11-05',
      finalIssuedOn: '2026-11-20',
      withdrawn: false,
    });
    expect(await versionOf(caseId)).toEqual({ version: 4, stage: 'plan_issued' });
  });
});

describe('where a request stands, for the school that sent it', () => {
  it('gives the stage and deadlines to the school named on the case, and nothing to another school', async () => {
    const { database, services, w } = t;
    const { caseId } = await kitCase('2026-07-15');
    const standing = await caseStandingForSchool(database.db, w.school.id, caseId, TODAY);
    expect(standing).toMatchObject({ stage: 'received', overdue: 2 });
    expect(standing!.deadlines.find((d) => d.dueOn === '2026-08-26')).toMatchObject({ status: 'overdue' });
    expect(JSON.stringify(standing)).not.toContain('panel');
    expect(await caseStandingForSchool(database.db, w.otherSchool.id, caseId, TODAY)).toBeNull();
    expect(await caseStandingForSchool(database.db, w.school.id, 'not-a-uuid', TODAY)).toBeNull();
    await services.caseload.recordDecision(w.officer.actor, caseId, {
      version: 1,
      kind: 'assess',
      decidedOn: '2026-08-20',
      parentsToldOn: '2026-08-21',
      reasons: null,
      panelNotes: 'Only for the authority',
    });
    const moved = await caseStandingForSchool(database.db, w.school.id, caseId, TODAY);
    // The decision is met; whether to issue a plan was due by 4 November and is still overdue.
    expect(moved).toMatchObject({ stage: 'assessing', stageLabel: 'Assessing', overdue: 1 });
    expect(JSON.stringify(moved)).not.toContain('Only for the authority');
  });
});

describe('the caseworker’s reminder', () => {
  it('mails each caseworker how many of their cases are overdue or due this week, naming no child, once per deadline', async () => {
    const { database, services } = t;
    const org = await buildOfficer(database.db, undefined, ['caseworker']);
    const school = await buildSchool(database.db, {
      organisationId: org.organisationId,
      name: 'Remind Primary',
    });
    const pupil = await buildPupil(database.db, {
      schoolId: school.id,
      forename: 'Zanzibar',
      surname: 'Quill',
    });
    const { caseId } = await buildReceivedCase(database.db, pupil, org.organisationId, {
      receivedOn: '2026-09-01',
    });
    await database.db
      .update(organisationCase)
      .set({ caseworkerUserId: org.actor.userId })
      .where(and(eq(organisationCase.organisationId, org.organisationId), eq(organisationCase.id, caseId)));
    const mailsTo = async () =>
      (
        await database.db
          .select()
          .from(outboundMail)
          .where(eq(outboundMail.organisationId, org.organisationId))
      ).filter((m) => m.subject.includes('cases'));
    const [first, second] = await Promise.all([
      services.caseload.remindCaseworkers(),
      services.caseload.remindCaseworkers(),
    ]);
    expect(first + second).toBeGreaterThanOrEqual(1);
    const mails = await mailsTo();
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toBe('1 of your cases has a deadline overdue or due this week');
    expect(mails[0]!.body).not.toContain('Zanzibar');
    expect(mails[0]!.body).not.toContain('Quill');
    expect(mails[0]!.body).not.toContain('Remind Primary');
    // The same deadline is not mailed again.
    await services.caseload.remindCaseworkers();
    expect(await mailsTo()).toHaveLength(1);
  });
});

describe('SEN2 figures', () => {
  it('counts requests, decisions and plans in the year, the 20-week measure with and without exceptions, small numbers hidden', async () => {
    const { database, services } = t;
    const org = await buildOfficer(database.db, undefined, ['caseworker']);
    const school = await buildSchool(database.db, { organisationId: org.organisationId });
    for (let i = 0; i < 12; i++) {
      const pupil = await buildPupil(database.db, { schoolId: school.id });
      const { caseId } = await buildReceivedCase(database.db, pupil, org.organisationId, {
        receivedOn: '2026-02-02',
      });
      await services.caseload.recordDecision(org.actor, caseId, {
        version: 1,
        kind: 'assess',
        decidedOn: '2026-03-01',
        parentsToldOn: '2026-03-02',
        reasons: null,
        panelNotes: null,
      });
      if (i < 10) {
        await services.caseload.recordDecision(org.actor, caseId, {
          version: 2,
          kind: 'issue_plan',
          decidedOn: '2026-05-01',
          parentsToldOn: '2026-05-01',
          reasons: null,
          panelNotes: null,
        });
        // Received 2 February: 20 weeks end on 22 June. Eight in time, two late.
        await services.caseload.updateDates(org.actor, caseId, {
          version: 3,
          caseworkerUserId: null,
          draftSentOn: '2026-05-20',
          finalIssuedOn: i < 8 ? '2026-06-20' : '2026-07-10',
          withdrawn: false,
        });
      }
    }
    const figures = await services.caseload.sen2Figures(org.actor, 2026);
    expect(figures.figures).toMatchObject({
      received: 12,
      decided: 12,
      assess: 12,
      notAssess: 0,
      issued: 10,
    });
    expect(figures.figures.within20).toBe(8);
    expect(figures.within20Percent).toBe(80);
    // With no exceptions, the figure without them is the same.
    expect(figures.within20NoExceptionPercent).toBe(80);
    // Two plans late is below the threshold of a figure shown on its own? The count of 2 in a breakdown:
    // notAssess (0) is shown; nothing here names a child.
    expect(JSON.stringify(figures)).not.toMatch(/forename|surname/);
  });

  it('counts a case by its latest decision of each kind: a plan refused then agreed on reconsideration is not “not issued”', async () => {
    const { database, services } = t;
    const org = await buildOfficer(database.db, undefined, ['caseworker']);
    const school = await buildSchool(database.db, { organisationId: org.organisationId });
    const decide = (caseId: string, version: number, kind: string, decidedOn: string) =>
      services.caseload.recordDecision(org.actor, caseId, {
        version,
        kind,
        decidedOn,
        parentsToldOn: decidedOn,
        reasons: 'Reasons given to the parents',
        panelNotes: null,
      });
    for (let i = 0; i < 12; i++) {
      const pupil = await buildPupil(database.db, { schoolId: school.id });
      const { caseId } = await buildReceivedCase(database.db, pupil, org.organisationId, {
        receivedOn: '2026-02-02',
      });
      await decide(caseId, 1, 'not_assess', '2026-02-20');
      await decide(caseId, 2, 'assess', '2026-03-01');
      await decide(caseId, 3, 'not_issue_plan', '2026-05-01');
      await decide(caseId, 4, 'issue_plan', '2026-06-01');
    }
    const figures = await services.caseload.sen2Figures(org.actor, 2026);
    expect(figures.figures).toMatchObject({ decided: 12, assess: 12, notAssess: 0, notIssued: 0 });
    await expect(services.caseload.sen2Figures(t.w.senco.actor, 2026)).rejects.toBeInstanceOf(ForbiddenError);
  });
});

describe('the school’s closures', () => {
  it('the SENCo records a closure of four weeks or more; a shorter one, an overlap or a teacher is refused; another school’s is not found', async () => {
    const { database, services, w } = t;
    const { closureId } = await services.closures.add(w.head.actor, {
      firstDay: '2027-07-21',
      lastDay: '2027-09-01',
      note: 'Summer 2027',
    });
    await expect(
      services.closures.add(w.senco.actor, { firstDay: '2027-10-26', lastDay: '2027-10-30', note: null }),
    ).rejects.toBeInstanceOf(ValidationError);
    await expect(
      services.closures.add(w.senco.actor, { firstDay: '2027-08-01', lastDay: '2027-09-10', note: null }),
    ).rejects.toBeInstanceOf(ValidationError);
    await expect(
      services.closures.add(w.teacherA.actor, { firstDay: '2028-07-21', lastDay: '2028-09-01', note: null }),
    ).rejects.toBeInstanceOf(ForbiddenError);
    await expect(services.closures.remove(w.otherSenco.actor, closureId)).rejects.toBeInstanceOf(
      NotFoundError,
    );
    expect((await services.closures.list(w.senco.actor)).closures.map((c) => c.id)).toContain(closureId);
    await services.closures.remove(w.senco.actor, closureId);
    expect((await services.closures.list(w.senco.actor)).closures.map((c) => c.id)).not.toContain(closureId);
    const office = await buildStaff(database.db, 'office', { schoolId: w.school.id });
    await expect(services.closures.list(office.actor)).rejects.toBeInstanceOf(ForbiddenError);
  });
});
