import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuid } from '../../../test/builders/common.ts';
import { buildPupilWithHistory, type PupilWithHistory } from '../../../test/builders/ehc.ts';
import { buildParent, setUpWorld, TODAY, type World } from '../../../test/builders/index.ts';
import type { Database } from '../../db/client.ts';
import {
  auditEvent,
  ehcRequest,
  organisationCase,
  parentCarer,
  pupilAction,
  storedFile,
} from '../../db/schema/index.ts';
import type { AuditAction } from '../../domain/audit.ts';
import type { EvidencePack } from '../../domain/ehc-pack.ts';
import type { Services } from '../index.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../kernel/errors.ts';
import { packSchemaProblems } from './pack-schema.ts';
import type {
  AssessmentConsentInput,
  PackRenderer,
  SaveEhcRequestInput,
  StartEhcRequestInput,
} from './requests.ts';

let database: Database;
let services: Services;
let w: World;
/** Rosa, in Year 4 Oak (Tara Teacher's class) at the world's school, whose local authority is on OpenSEND. */
let rosa: PupilWithHistory;
/** A pupil with the same history at the other school, whose authority is not. */
let otto: PupilWithHistory;

/** A renderer standing in for the PDF (the real one is exercised by the web tests and the journey). */
const render: PackRenderer = {
  pdf: async (pack) => Buffer.from(`%PDF-1.7\n% pack ${pack.requestId}\n%%EOF\n`),
  fileName: (pack, extension) =>
    `${pack.child.forename}-${pack.child.surname}-${pack.preparedOn}.${extension}`,
};

beforeAll(async () => {
  ({ database, services, w } = await setUpWorld());
  rosa = await buildPupilWithHistory(database.db, { schoolId: w.school.id, classId: w.classA.id });
  otto = await buildPupilWithHistory(database.db, {
    schoolId: w.otherSchool.id,
    classId: w.otherClass.id,
    forename: 'Otto',
    surname: 'Olsen',
  });
});
afterAll(() => database.close());

const bySchool = (over: Partial<StartEhcRequestInput> = {}): StartEhcRequestInput => ({
  requestedBy: 'school',
  parentId: null,
  parentRequestNote: null,
  pupilActionId: null,
  ...over,
});

const consentOf = (parentId: string, over: Partial<AssessmentConsentInput> = {}): AssessmentConsentInput => ({
  parentId,
  consentOn: TODAY,
  how: 'signed_form',
  note: null,
  ...over,
});

const saved = (over: Partial<SaveEhcRequestInput> = {}): SaveEhcRequestInput => ({
  coveringStatement: 'Rosa has made little progress over four cycles of support.',
  contactName: 'Sam Senco',
  contactRole: 'SENCo',
  contactEmail: 'senco@oakfield.example',
  contactPhone: null,
  leftOut: [],
  sufficient: [],
  ...over,
});

async function requestRow(id: string) {
  const [row] = await database.db.select().from(ehcRequest).where(eq(ehcRequest.id, id));
  return row!;
}

async function auditOf(action: AuditAction, requestId: string) {
  const rows = await database.db.select().from(auditEvent).where(eq(auditEvent.action, action));
  return rows.filter((r) => (r.detail as { requestId?: string } | null)?.requestId === requestId);
}

/** Withdraw whatever request is being written for the pupil, so the next test can start one. */
async function clearDraft(pupilId: string) {
  const [draft] = await database.db
    .select()
    .from(ehcRequest)
    .where(and(eq(ehcRequest.pupilId, pupilId), eq(ehcRequest.status, 'draft')));
  if (draft) await services.ehcRequests.withdraw(w.senco.actor, draft.id, draft.version, { reason: 'test' });
}

describe('starting a request', () => {
  it('starts the school’s request with the SENCo as the contact, audited', async () => {
    const id = await services.ehcRequests.start(w.senco.actor, rosa.pupilId, bySchool());
    const row = await requestRow(id);
    expect(row).toMatchObject({
      status: 'draft',
      requestedBy: 'school',
      contactName: w.senco.actor.name,
      contactEmail: w.senco.actor.email,
      contactRole: 'SENCo',
      createdByName: w.senco.actor.name,
      version: 1,
    });
    expect(await auditOf('ehc_request.started', id)).toHaveLength(1);
  });

  it('refuses a second request while one is being written, and keeps only the first', async () => {
    await expect(services.ehcRequests.start(w.senco.actor, rosa.pupilId, bySchool())).rejects.toThrow(
      /already being written/,
    );
    const drafts = await database.db
      .select()
      .from(ehcRequest)
      .where(and(eq(ehcRequest.pupilId, rosa.pupilId), eq(ehcRequest.status, 'draft')));
    expect(drafts).toHaveLength(1);
    const form = await services.ehcRequests.startForm(w.senco.actor, rosa.pupilId, { pupilActionId: null });
    expect(form.draftId).toBe(drafts[0]!.id);
  });

  it('records a parent’s own request as theirs, in their words; refuses one without the words or from someone without parental responsibility', async () => {
    await clearDraft(rosa.pupilId);
    const refused = await services.ehcRequests
      .start(w.senco.actor, rosa.pupilId, bySchool({ requestedBy: 'parent', parentId: rosa.parentId }))
      .catch((e) => e);
    expect(refused).toBeInstanceOf(ValidationError);
    expect((refused as ValidationError).errors.map((e) => e.field)).toEqual(['parentRequestNote']);
    const stepfather = await buildParent(
      database.db,
      { schoolId: w.school.id, id: rosa.pupilId },
      { name: 'Stan Step', relationship: 'Stepfather' },
    );
    await database.db
      .update(parentCarer)
      .set({ parentalResponsibility: false })
      .where(eq(parentCarer.id, stepfather.id));
    await expect(
      services.ehcRequests.start(
        w.senco.actor,
        rosa.pupilId,
        bySchool({ requestedBy: 'parent', parentId: stepfather.id, parentRequestNote: 'Please assess her' }),
      ),
    ).rejects.toThrow(/parental responsibility/);
    // Another pupil's parent is no parent of Rosa's.
    await expect(
      services.ehcRequests.start(
        w.senco.actor,
        rosa.pupilId,
        bySchool({ requestedBy: 'parent', parentId: w.parentK.id, parentRequestNote: 'Please assess her' }),
      ),
    ).rejects.toThrow(ValidationError);
    const id = await services.ehcRequests.start(
      w.senco.actor,
      rosa.pupilId,
      bySchool({
        requestedBy: 'parent',
        parentId: rosa.parentId,
        parentRequestNote: 'I want the council to assess Rosa: she is falling further behind.',
      }),
    );
    const page = await services.ehcRequests.view(w.senco.actor, id);
    expect(page.request).toMatchObject({ requestedBy: 'parent', parentId: rosa.parentId });
    expect(page.requesterName).toBe('Lucia Martinez');
    expect(page.packAsSent!.requestedBy).toBe('parent');
    expect(page.packAsSent!.parentRequest).toBe(
      'I want the council to assess Rosa: she is falling further behind.',
    );
  });

  it('refuses a young person’s own request under 16', async () => {
    await clearDraft(rosa.pupilId);
    await expect(
      services.ehcRequests.start(w.senco.actor, rosa.pupilId, bySchool({ requestedBy: 'young_person' })),
    ).rejects.toThrow(/from the age of 16/);
  });

  it('is for those who write the pupil’s EHC work: not a class teacher, not the office, not another school', async () => {
    await clearDraft(rosa.pupilId);
    await expect(
      services.ehcRequests.start(w.teacherA.actor, rosa.pupilId, bySchool()),
    ).rejects.toBeInstanceOf(ForbiddenError);
    await expect(services.ehcRequests.start(w.office.actor, rosa.pupilId, bySchool())).rejects.toBeInstanceOf(
      ForbiddenError,
    );
    await expect(
      services.ehcRequests.start(w.otherSenco.actor, rosa.pupilId, bySchool()),
    ).rejects.toBeInstanceOf(NotFoundError);
    await expect(
      services.ehcRequests.startForm(w.otherSenco.actor, rosa.pupilId, { pupilActionId: null }),
    ).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('reviewing the pack', () => {
  let id: string;
  beforeAll(async () => {
    await clearDraft(rosa.pupilId);
    id = await services.ehcRequests.start(w.senco.actor, rosa.pupilId, bySchool());
  });

  it('shows the SENCo the pack built from two years of the record, every item with its key', async () => {
    const page = await services.ehcRequests.view(w.senco.actor, id);
    expect(page.actions).toMatchObject({ readPack: true, edit: true, send: true, withdraw: true });
    expect(page.pack!.intervention.plans.length).toBeGreaterThanOrEqual(2);
    expect(page.items.map((i) => i.key)).toContain(`report:${rosa.reportId}`);
    expect(page.reports.map((i) => i.key)).toContain(`report:${rosa.reportId}`);
    expect(page.sendProblems).toEqual([
      'Record the consent of a parent with parental responsibility to the assessment',
    ]);
    expect(await auditOf('ehc_request.viewed', id)).toHaveLength(1);
  });

  it('leaves a report out of what will be sent and keeps it on the SENCo’s list, audited', async () => {
    const before = await requestRow(id);
    await services.ehcRequests.save(
      w.senco.actor,
      id,
      before.version,
      saved({ leftOut: [`report:${rosa.reportId}`] }),
    );
    const page = await services.ehcRequests.view(w.senco.actor, id, { audit: false });
    expect(page.request.leftOut).toEqual([`report:${rosa.reportId}`]);
    expect(page.request.coveringStatement).toBe('Rosa has made little progress over four cycles of support.');
    const reportsSent = page.packAsSent!.need.referrals.flatMap((r) => r.reports.map((x) => x.key));
    expect(reportsSent).not.toContain(`report:${rosa.reportId}`);
    expect(page.pack!.need.referrals.flatMap((r) => r.reports.map((x) => x.key))).toContain(
      `report:${rosa.reportId}`,
    );
    expect(page.packAsSent!.moreInformation.leftOutCount).toBe(1);
    expect(await auditOf('ehc_request.saved', id)).toHaveLength(1);
  });

  it('marks a report recent and sufficient (regulation 6(4))', async () => {
    const before = await requestRow(id);
    await services.ehcRequests.save(
      w.senco.actor,
      id,
      before.version,
      saved({ sufficient: [`report:${rosa.reportId}`] }),
    );
    const page = await services.ehcRequests.view(w.senco.actor, id, { audit: false });
    const report = page.packAsSent!.need.referrals.flatMap((r) => r.reports)[0]!;
    expect(report).toMatchObject({ key: `report:${rosa.reportId}`, sufficient: true });
  });

  it('refuses a key the pack does not hold (another pupil’s report, a made-up item) and changes nothing', async () => {
    const before = await requestRow(id);
    for (const input of [
      saved({ leftOut: [`report:${otto.reportId}`] }),
      saved({ sufficient: [`plan:${rosa.planIds[0]}`] }),
      saved({ leftOut: ['report:00000000-0000-4000-8000-000000000000'] }),
    ])
      await expect(
        services.ehcRequests.save(w.senco.actor, id, before.version, input),
      ).rejects.toBeInstanceOf(ValidationError);
    expect(await requestRow(id)).toEqual(before);
  });

  it('refuses a stale save and keeps the other person’s change', async () => {
    const before = await requestRow(id);
    await services.ehcRequests.save(
      w.head.actor,
      id,
      before.version,
      saved({ coveringStatement: 'The head’s words' }),
    );
    const stale = await services.ehcRequests
      .save(w.senco.actor, id, before.version, saved({ coveringStatement: 'The SENCo’s words' }))
      .catch((e) => e);
    expect(stale).toBeInstanceOf(ConflictError);
    expect((await requestRow(id)).coveringStatement).toBe('The head’s words');
  });

  it('shows a class teacher of the pupil that the request exists and where it stands, never the pack', async () => {
    const page = await services.ehcRequests.view(w.teacherA.actor, id);
    expect(page.actions).toMatchObject({ read: true, readPack: false, edit: false, send: false });
    expect(page.pack).toBeNull();
    expect(page.packAsSent).toBeNull();
    expect(page.items).toEqual([]);
    expect(page.parents).toEqual([]);
    await expect(services.ehcRequests.packFile(w.teacherA.actor, id, 'json', render)).rejects.toBeInstanceOf(
      ForbiddenError,
    );
    await expect(services.ehcRequests.save(w.teacherA.actor, id, 1, saved())).rejects.toBeInstanceOf(
      ForbiddenError,
    );
  });

  it('is not found for a teacher of another class, a teaching assistant not of the pupil, or another school', async () => {
    for (const actor of [w.teacherB.actor, w.ta.actor, w.otherSenco.actor])
      await expect(services.ehcRequests.view(actor, id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(services.ehcRequests.view(w.office.actor, id)).rejects.toBeInstanceOf(ForbiddenError);
  });
});

describe('consent to the assessment', () => {
  let id: string;
  beforeAll(async () => {
    await clearDraft(rosa.pupilId);
    id = await services.ehcRequests.start(w.senco.actor, rosa.pupilId, bySchool());
  });

  it('refuses a future date, someone without parental responsibility, or another pupil’s parent', async () => {
    const { version } = await requestRow(id);
    await expect(
      services.ehcRequests.recordConsent(
        w.senco.actor,
        id,
        version,
        consentOf(rosa.parentId, { consentOn: '2026-12-25' }),
      ),
    ).rejects.toThrow(/future/);
    await expect(
      services.ehcRequests.recordConsent(w.senco.actor, id, version, consentOf(w.parentK.id)),
    ).rejects.toThrow(/Choose the parent or carer/);
    const [stan] = await database.db.select().from(ehcRequest).where(eq(ehcRequest.id, id));
    expect(stan!.consentParentId).toBeNull();
  });

  it('refuses consent dated 1 January 1900 or more than 12 months ago, with plain messages, and keeps none', async () => {
    const { version } = await requestRow(id);
    await expect(
      services.ehcRequests.recordConsent(
        w.senco.actor,
        id,
        version,
        consentOf(rosa.parentId, { consentOn: '1900-01-01' }),
      ),
    ).rejects.toThrow(/before the child was born/);
    await expect(
      services.ehcRequests.recordConsent(
        w.senco.actor,
        id,
        version,
        consentOf(rosa.parentId, { consentOn: '2025-01-15' }),
      ),
    ).rejects.toThrow(/more than 12 months ago is not consent to this request/);
    const [stan] = await database.db.select().from(ehcRequest).where(eq(ehcRequest.id, id));
    expect(stan!.consentParentId).toBeNull();
    expect(stan!.consentOn).toBeNull();
  });

  it('records who, when and how; the pack carries it', async () => {
    const { version } = await requestRow(id);
    await services.ehcRequests.recordConsent(
      w.senco.actor,
      id,
      version,
      consentOf(rosa.parentId, { how: 'in_person', note: 'At the review meeting' }),
    );
    const page = await services.ehcRequests.view(w.senco.actor, id, { audit: false });
    expect(page.consentName).toBe('Lucia Martinez');
    expect(page.packAsSent!.consent).toMatchObject({
      parentName: 'Lucia Martinez',
      how: 'in_person',
      givenOn: TODAY,
    });
    expect(page.sendProblems).toEqual([]);
    expect(await auditOf('ehc_request.consent_recorded', id)).toHaveLength(1);
  });
});

describe('sending into the local authority’s caseload', () => {
  let id: string;
  let actionId: string;
  beforeAll(async () => {
    await clearDraft(rosa.pupilId);
    // The last review decided to request an assessment: its action is what the request starts from.
    actionId = uuid();
    await database.db.insert(pupilAction).values({
      schoolId: w.school.id,
      id: actionId,
      pupilId: rosa.pupilId,
      kind: 'ehc_request',
      planReviewId: rosa.reviewIds.at(-1)!,
      notes: 'Little progress after three plans',
      createdByName: 'Sam Senco',
    });
    const form = await services.ehcRequests.startForm(w.senco.actor, rosa.pupilId, {
      pupilActionId: actionId,
    });
    expect(form.action?.id).toBe(actionId);
    id = await services.ehcRequests.start(w.senco.actor, rosa.pupilId, bySchool({ pupilActionId: actionId }));
    const r = await requestRow(id);
    expect(r.planReviewId).toBe(rosa.reviewIds.at(-1));
    await services.ehcRequests.save(
      w.senco.actor,
      id,
      r.version,
      saved({ leftOut: [`report:${rosa.reportId}`] }),
    );
    await services.ehcRequests.recordConsent(w.senco.actor, id, r.version + 1, consentOf(rosa.parentId));
  });

  it('refuses a stale send and sends nothing', async () => {
    const { version } = await requestRow(id);
    await expect(services.ehcRequests.send(w.senco.actor, id, version - 1, render)).rejects.toBeInstanceOf(
      ConflictError,
    );
    expect((await requestRow(id)).status).toBe('draft');
    expect(
      await database.db.select().from(organisationCase).where(eq(organisationCase.requestId, id)),
    ).toEqual([]);
  });

  it('opens the authority’s case in the same unit of work, keeps exactly what was sent, and marks the review’s action done', async () => {
    const { version } = await requestRow(id);
    const result = await services.ehcRequests.send(w.senco.actor, id, version, render);
    expect(result).toEqual({ how: 'local_authority', localAuthority: expect.any(String) });
    const r = await requestRow(id);
    expect(r).toMatchObject({
      status: 'sent',
      sentHow: 'local_authority',
      sentByName: w.senco.actor.name,
      organisationId: w.officer.organisationId,
    });
    const sent = r.sentPack as EvidencePack;
    expect(sent.requestId).toBe(id);
    expect(packSchemaProblems(sent)).toEqual([]);
    expect(sent.need.referrals.flatMap((x) => x.reports.map((y) => y.key))).not.toContain(
      `report:${rosa.reportId}`,
    );
    const [c] = await database.db.select().from(organisationCase).where(eq(organisationCase.requestId, id));
    expect(c).toMatchObject({
      organisationId: w.officer.organisationId,
      id: r.caseId,
      schoolId: w.school.id,
      pupilId: rosa.pupilId,
      kind: 'ehc_needs_assessment',
      stage: 'received',
      openedOn: TODAY,
      requestedBy: 'school',
    });
    expect(c!.received).toEqual(sent);
    // The school keeps its PDF; the authority its own copy.
    const files = await database.db
      .select()
      .from(storedFile)
      .where(
        eq(
          storedFile.sha256,
          (await database.db.select().from(storedFile).where(eq(storedFile.id, r.sentFileId!)))[0]!.sha256,
        ),
      );
    expect(files.map((f) => [f.ownerKind, f.ownerId]).sort()).toEqual(
      [
        ['organisation', w.officer.organisationId],
        ['school', w.school.id],
      ].sort(),
    );
    expect(files.find((f) => f.ownerKind === 'organisation')!.id).toBe(c!.receivedFileId);
    const [action] = await database.db.select().from(pupilAction).where(eq(pupilAction.id, actionId));
    expect(action!.status).toBe('done');
    // One audit row on each chain.
    expect(await auditOf('ehc_request.sent', id)).toHaveLength(1);
    const received = await database.db
      .select()
      .from(auditEvent)
      .where(eq(auditEvent.action, 'ehc_case.received'));
    const mine = received.filter((e) => (e.detail as { requestId?: string }).requestId === id);
    expect(mine.map((e) => [e.organisationId, e.schoolId])).toEqual([[w.officer.organisationId, null]]);
  });

  it('shows where it stands at the authority, and the pack exactly as sent even after the record changes', async () => {
    const page = await services.ehcRequests.view(w.senco.actor, id, { audit: false });
    expect(page.standing).toMatchObject({
      stage: 'received',
      stageLabel: 'Request received',
      receivedOn: TODAY,
    });
    expect(page.actions).toMatchObject({ edit: false, send: false, recordConsent: false, withdraw: true });
    const before = await services.ehcRequests.packFile(w.senco.actor, id, 'json', render);
    await database.db
      .update(ehcRequest)
      .set({ coveringStatement: 'changed behind its back' })
      .where(eq(ehcRequest.id, id));
    const after = await services.ehcRequests.packFile(w.senco.actor, id, 'json', render);
    expect(after.bytes.equals(before.bytes)).toBe(true);
    expect(JSON.parse(after.bytes.toString())).toEqual((await requestRow(id)).sentPack);
    // The PDF as stored when sent, not made again.
    const pdf = await services.ehcRequests.packFile(w.senco.actor, id, 'pdf', {
      ...render,
      pdf: async () => Buffer.from('not this'),
    });
    expect(pdf.bytes.toString()).toContain(`% pack ${id}`);
    // A class teacher sees the stage too.
    const theirs = await services.ehcRequests.view(w.teacherA.actor, id, { audit: false });
    expect(theirs.standing?.stage).toBe('received');
  });

  it('refuses to send it again, or to change it', async () => {
    const { version } = await requestRow(id);
    await expect(services.ehcRequests.send(w.senco.actor, id, version, render)).rejects.toThrow(
      /already been sent/,
    );
    await expect(services.ehcRequests.save(w.senco.actor, id, version, saved())).rejects.toBeInstanceOf(
      ConflictError,
    );
    expect(
      await database.db.select().from(organisationCase).where(eq(organisationCase.requestId, id)),
    ).toHaveLength(1);
  });

  it('withdrawn by the school, closes the authority’s case as withdrawn with a row on its chain', async () => {
    const { version } = await requestRow(id);
    await services.ehcRequests.withdraw(w.senco.actor, id, version, { reason: 'The family moved away' });
    const r = await requestRow(id);
    expect(r).toMatchObject({
      status: 'withdrawn',
      withdrawnOn: TODAY,
      withdrawnReason: 'The family moved away',
    });
    const [c] = await database.db.select().from(organisationCase).where(eq(organisationCase.requestId, id));
    expect(c).toMatchObject({ stage: 'withdrawn', closedOn: TODAY });
    const rows = await database.db
      .select()
      .from(auditEvent)
      .where(eq(auditEvent.action, 'ehc_case.withdrawn_by_school'));
    expect(
      rows.filter((e) => (e.detail as { requestId?: string }).requestId === id).map((e) => e.organisationId),
    ).toEqual([w.officer.organisationId]);
    await expect(
      services.ehcRequests.withdraw(w.senco.actor, id, r.version, { reason: 'again' }),
    ).rejects.toBeInstanceOf(ValidationError);
  });
});

describe('sending when the authority is not on OpenSEND', () => {
  it('is recorded as sent by the school after downloading, with no case anywhere', async () => {
    const id = await services.ehcRequests.start(w.otherSenco.actor, otto.pupilId, bySchool());
    const draft = await services.ehcRequests.packFile(w.otherSenco.actor, id, 'json', render);
    expect(JSON.parse(draft.bytes.toString())).toMatchObject({
      requestId: id,
      format: 'opensend.ehc-request-pack',
    });
    expect(draft.name).toBe(`Otto-Olsen-${TODAY}.json`);
    const refused = await services.ehcRequests.send(w.otherSenco.actor, id, 1, render).catch((e) => e);
    expect(refused).toBeInstanceOf(ValidationError);
    await services.ehcRequests.recordConsent(w.otherSenco.actor, id, 1, consentOf(otto.parentId));
    const result = await services.ehcRequests.send(w.otherSenco.actor, id, 2, render);
    expect(result).toEqual({ how: 'download', localAuthority: null });
    const r = await requestRow(id);
    expect(r).toMatchObject({ status: 'sent', sentHow: 'download', organisationId: null, caseId: null });
    expect(packSchemaProblems(r.sentPack)).toEqual([]);
    expect(
      await database.db.select().from(organisationCase).where(eq(organisationCase.requestId, id)),
    ).toEqual([]);
    // Nobody at the world's school sees it.
    await expect(services.ehcRequests.view(w.senco.actor, id)).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('the list', () => {
  it('shows the SENCo the school’s requests, and a class teacher only their own pupils’, audited', async () => {
    const senco = await services.ehcRequests.list(w.senco.actor, {});
    expect(senco.rows.every((r) => r.pupilId === rosa.pupilId)).toBe(true);
    expect(senco.total).toBeGreaterThan(0);
    const teacherB = await services.ehcRequests.list(w.teacherB.actor, {});
    expect(teacherB.rows).toEqual([]);
    const teacherA = await services.ehcRequests.list(w.teacherA.actor, {});
    expect(teacherA.total).toBe(senco.total);
    const other = await services.ehcRequests.list(w.otherSenco.actor, {});
    expect(other.rows.map((r) => r.pupilId)).toEqual([otto.pupilId]);
    const withdrawn = await services.ehcRequests.list(w.senco.actor, { status: 'withdrawn' });
    expect(withdrawn.rows.every((r) => r.status === 'withdrawn')).toBe(true);
    await expect(services.ehcRequests.list(w.office.actor, {})).rejects.toBeInstanceOf(ForbiddenError);
  });
});
