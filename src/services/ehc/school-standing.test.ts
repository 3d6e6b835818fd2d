import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPupilWithHistory, type PupilWithHistory } from '../../../test/builders/ehc.ts';
import {
  buildProvisionGroup,
  sendTopUp,
  setUpWorld,
  TODAY,
  type World,
} from '../../../test/builders/index.ts';
import type { Database } from '../../db/client.ts';
import { organisationCase, topUpApplication } from '../../db/schema/index.ts';
import type { Services } from '../index.ts';
import type { PackRenderer } from './requests.ts';

/*
 * Where the school's requests and applications stand at the local authority, as the school sees them
 * without asking: the request's page, the SENCo's list and the pupil's page read the caseload's own
 * clock (every deadline due, met, overdue or excused; the decisions the school was told of; the advice
 * asked of it), never the panel's notes or the reasons told to the parents; the list carries the
 * school's top-up applications; the prompt to apply for top-up funding gives way to the funding agreed
 * or the application sent. TODAY is 20 November 2026.
 */

let database: Database;
let services: Services;
let w: World;
let rosa: PupilWithHistory;
let requestId: string;
let caseId: string;

const render: PackRenderer = {
  pdf: async (pack) => Buffer.from(`%PDF-1.7\n% pack ${pack.requestId}\n%%EOF\n`),
  fileName: (pack, extension) => `${pack.child.forename}-${pack.preparedOn}.${extension}`,
};

async function caseVersion() {
  const [c] = await database.db.select().from(organisationCase).where(eq(organisationCase.id, caseId));
  return c!.version;
}

beforeAll(async () => {
  ({ database, services, w } = await setUpWorld());
  rosa = await buildPupilWithHistory(database.db, { schoolId: w.school.id, classId: w.classA.id });
  requestId = await services.ehcRequests.start(w.senco.actor, rosa.pupilId, {
    requestedBy: 'school',
    parentId: null,
    parentRequestNote: null,
    pupilActionId: null,
  });
  await services.ehcRequests.recordConsent(w.senco.actor, requestId, 1, {
    parentId: rosa.parentId,
    consentOn: TODAY,
    how: 'signed_form',
    note: null,
  });
  await services.ehcRequests.send(w.senco.actor, requestId, 2, render);
  const [c] = await database.db
    .select()
    .from(organisationCase)
    .where(eq(organisationCase.requestId, requestId));
  caseId = c!.id;
  // The authority received it on 1 September: whether to assess was due by 13 October, and is overdue.
  await database.db
    .update(organisationCase)
    .set({ openedOn: '2026-09-01' })
    .where(eq(organisationCase.id, caseId));
  await services.caseload.recordDecision(w.officer.actor, caseId, {
    version: await caseVersion(),
    kind: 'panel',
    decidedOn: '2026-10-01',
    parentsToldOn: null,
    reasons: null,
    panelNotes: 'For the authority only: the panel doubts the school’s evidence',
  });
  await services.caseload.askAdvice(w.officer.actor, caseId, {
    version: await caseVersion(),
    source: 'school',
    askedOf: null,
    schoolId: w.school.id,
    requestedOn: '2026-11-02',
    alreadyHeld: false,
    receivedOn: null,
    note: 'For the authority only: chase the head',
  });
});
afterAll(() => database.close());

describe('where a sent request stands, for the school', () => {
  it('shows every deadline of the clock with what is overdue, the advice asked of the school, never the panel’s notes', async () => {
    const page = await services.ehcRequests.view(w.senco.actor, requestId, { audit: false });
    const s = page.standing!;
    expect(s).toMatchObject({ stage: 'received', receivedOn: '2026-09-01', overdue: 1 });
    expect(s.deadlines.find((d) => d.dueOn === '2026-10-13')).toMatchObject({
      status: 'overdue',
      statusLabel: 'Overdue',
    });
    expect(s.next).toMatchObject({ dueOn: '2026-10-13' });
    // Asked of the school on 2 November: due six weeks later, 14 December.
    expect(s.adviceAskedOfSchool).toEqual([
      expect.objectContaining({
        requestedOn: '2026-11-02',
        dueOn: '2026-12-14',
        status: 'due',
        receivedOn: null,
      }),
    ]);
    // A panel's discussion is the authority's own: not a decision the school was told of.
    expect(s.decisions).toEqual([]);
    expect(JSON.stringify(s)).not.toMatch(/For the authority only/);
  });

  it('moves when the authority decides: the decision told, its reasons the parents’ alone; nothing overdue', async () => {
    await services.caseload.recordDecision(w.officer.actor, caseId, {
      version: await caseVersion(),
      kind: 'assess',
      decidedOn: '2026-11-10',
      parentsToldOn: '2026-11-11',
      reasons: 'Reasons written to the parents',
      panelNotes: null,
    });
    const s = (await services.ehcRequests.view(w.senco.actor, requestId, { audit: false })).standing!;
    expect(s).toMatchObject({ stage: 'assessing', overdue: 0 });
    expect(s.deadlines.find((d) => d.dueOn === '2026-10-13')).toMatchObject({
      status: 'late',
      doneOn: '2026-11-11',
    });
    expect(s.decisions).toEqual([
      { kind: 'assess', kindLabel: expect.any(String), decidedOn: '2026-11-10', toldOn: '2026-11-11' },
    ]);
    expect(JSON.stringify(s)).not.toMatch(/Reasons written to the parents|For the authority only/);
    // A class teacher of the pupil sees where it stands, and still no pack.
    const theirs = await services.ehcRequests.view(w.teacherA.actor, requestId, { audit: false });
    expect(theirs.standing?.stage).toBe('assessing');
    expect(theirs.standing?.deadlines.length).toBeGreaterThan(0);
    expect(theirs).toMatchObject({ pack: null, packAsSent: null, items: [], checks: [] });
    expect(theirs.actions.readPack).toBe(false);
  });

  it('gives the list and the pupil page each sent request’s next deadline and overdue count', async () => {
    const list = await services.ehcRequests.list(w.senco.actor, {});
    const row = list.rows.find((r) => r.id === requestId)!;
    expect(row.standing).toMatchObject({ stage: 'assessing', overdue: 0, next: { dueOn: '2026-12-14' } });
    const pupilPage = await services.pupils.view(w.senco.actor, rosa.pupilId);
    expect(pupilPage.ehcStandings.get(caseId)).toMatchObject({
      stage: 'assessing',
      next: { dueOn: '2026-12-14' },
    });
    // Another school's SENCo finds neither the request nor its case in their list.
    const other = await services.ehcRequests.list(w.otherSenco.actor, {});
    expect(other.rows.map((r) => r.id)).not.toContain(requestId);
  });
});

describe('top-up applications beside the requests, and the prompt to apply', () => {
  let topUpId: string;
  beforeAll(async () => {
    await buildProvisionGroup(database.db, {
      schoolId: w.school.id,
      pupilIds: [w.pupilK.id],
      name: 'One-to-one speech and language',
      delivererKind: 'external',
      sessionsPerWeek: 5,
      minutesPerSession: 120,
      startDate: '2026-09-07',
      sessions: ['2026-09-07', '2026-09-08'],
    });
  });

  const overKit = async () =>
    (await services.provision.attention(w.senco.actor, { audit: false })).over.find(
      (o) => o.pupilId === w.pupilK.id,
    );
  const listedKit = async () =>
    (await services.ehcRequests.list(w.senco.actor, {})).topUps.find((t) => t.id === topUpId);

  it('prompts for an application while none is sent, and lists the one being written', async () => {
    expect(await overKit()).toMatchObject({ topUpInHand: null });
    ({ topUpId } = await services.topUp.start(w.senco.actor, w.pupilK.id, { pupilActionId: null }));
    expect(await listedKit()).toMatchObject({ status: 'draft', outcome: null });
    expect(await overKit()).toMatchObject({ topUpInHand: null });
  });

  it('says the application was sent while it waits, and the funding agreed once decided', async () => {
    await services.topUp.save(w.senco.actor, topUpId, 1, {
      amountPence: 450_000,
      periodFrom: '2026-11-01',
      periodTo: '2027-08-31',
      rationale: 'Daily one-to-one support has moved Kit on.',
    });
    await sendTopUp(services, w.senco.actor, topUpId, 2);
    expect(await listedKit()).toMatchObject({ status: 'sent', outcome: null });
    expect((await overKit())?.topUpInHand).toBe('Application for top-up funding sent 20 November 2026');
    const [app] = await database.db.select().from(topUpApplication).where(eq(topUpApplication.id, topUpId));
    await services.topUp.decide(w.officer.actor, app!.caseId!, 0, {
      outcome: 'agreed',
      decidedOn: TODAY,
      amountPence: 400_000,
      band: 'C',
      conditions: null,
      reasons: 'Well evidenced',
      fundedFrom: '2026-11-01',
      fundedUntil: '2026-12-31',
    });
    expect(await listedKit()).toMatchObject({
      status: 'sent',
      outcome: 'agreed',
      decidedAmountPence: 400_000,
      fundedUntil: '2026-12-31',
    });
    expect((await overKit())?.topUpInHand).toBe('Top-up agreed to 31 December 2026');
    // A class teacher of Kit sees the application's standing in the list; a teacher of another class does not.
    const teacher = await services.ehcRequests.list(w.teacherA.actor, {});
    expect(teacher.topUps.map((t) => t.id)).toContain(topUpId);
    expect(teacher.mayOpenTopUps).toBe(false);
    const otherClass = await services.ehcRequests.list(w.teacherB.actor, {});
    expect(otherClass.topUps.map((t) => t.id)).not.toContain(topUpId);
    const otherSchool = await services.ehcRequests.list(w.otherSenco.actor, {});
    expect(otherSchool.topUps.map((t) => t.id)).not.toContain(topUpId);
  });
});
