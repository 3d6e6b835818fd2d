import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import yauzl from 'yauzl';
import { buildConcern, TODAY, useWorld } from '../../../test/builders/index.ts';
import { readPdf } from '../../../test/pdf.ts';
import { auditEvent, subjectAccessRequest } from '../../db/schema/index.ts';
import { subjectAccessZip } from '../../documents/subject-access.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../kernel/errors.ts';

const world = useWorld();

/** The entries of a ZIP, read back with a separate library. */
function unzip(bytes: Buffer): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(bytes, { lazyEntries: true }, (error, zip) => {
      if (error || !zip) return reject(error);
      const entries = new Map<string, Buffer>();
      zip.on('entry', (entry: yauzl.Entry) => {
        zip.openReadStream(entry, (e, stream) => {
          if (e || !stream) return reject(e);
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', () => {
            entries.set(entry.fileName, Buffer.concat(chunks));
            zip.readEntry();
          });
        });
      });
      zip.on('end', () => resolve(entries));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}

const request = {
  requester: 'parent' as const,
  requesterName: 'Kasia Kowalski',
  receivedOn: '2026-11-02',
  notes: null,
};

describe('a subject access request', () => {
  it('is due one calendar month after it was received, and listed soonest first until released', async () => {
    const { services, w } = world;
    const id = await services.subjectAccess.record(w.senco.actor, w.pupilK.id, request);
    const open = await services.subjectAccess.open(w.senco.actor);
    expect(open.find((r) => r.id === id)).toMatchObject({
      dueOn: '2026-12-02',
      status: 'open',
      overdue: false,
    });
    await expect(
      services.subjectAccess.record(w.senco.actor, w.pupilK.id, { ...request, receivedOn: '2026-12-25' }),
    ).rejects.toBeInstanceOf(ValidationError);
    expect(TODAY < '2026-12-25').toBe(true);
  });

  it('gathers everything held about the pupil into a ZIP read back whole: the PDF, the JSON, who saw it, and the text naming another pupil flagged', async () => {
    const { services, database, w } = world;
    await buildConcern(database.db, {
      schoolId: w.school.id,
      pupilId: w.pupilK.id,
      concernDate: '2026-11-10',
      reasons: 'Finds phonics hard; works best beside Amara Adebayo.',
      classroomEvidence: 'Reading book band two terms behind.',
      raiser: { userId: w.teacherA.actor.userId, name: 'Tara Teacher' },
    });
    await services.pupils.view(w.senco.actor, w.pupilK.id);
    const id = await services.subjectAccess.record(w.senco.actor, w.pupilK.id, request);
    const data = await services.subjectAccess.gather(w.senco.actor, id);
    expect(data.pupil).toMatchObject({ forename: 'Kit', surname: 'Kowalski' });
    const concerns = data.kinds.find((k) => k.kind === 'concern')!;
    expect(concerns.rows).toHaveLength(1);
    expect(concerns.rows[0]).not.toHaveProperty('school_id');
    expect(data.flagged).toEqual([
      expect.objectContaining({ kind: 'concern', field: 'reasons', names: ['Amara Adebayo'] }),
    ]);
    expect(data.views.some((v) => v.action === 'pupil.viewed' && v.name === 'Sam Senco')).toBe(true);
    // Nothing of another pupil's own records.
    expect(JSON.stringify(data.kinds)).not.toContain(w.pupilA.id);

    const zip = await subjectAccessZip(data);
    await services.subjectAccess.saveExport(w.senco.actor, id, data.version, zip);
    const file = await services.subjectAccess.download(w.senco.actor, id);
    expect(file.contentType).toBe('application/zip');
    const entries = await unzip(file.bytes);
    expect([...entries.keys()].sort()).toEqual(['README.txt', 'record.json', 'record.pdf', 'views.csv']);
    const json = JSON.parse(entries.get('record.json')!.toString());
    expect(json.records.concern.rows[0].reasons).toContain('Finds phonics hard');
    expect(json.pupil.upn).toBe(w.pupilK.upn);
    // Codes keep their value as data, with the words the pages use beside them.
    expect(json.records.pupil.rows[0]).toMatchObject({
      sen_stage: 'sen_support',
      sen_stage_label: 'SEN support',
    });
    expect(json.records.concern.rows[0]).toMatchObject({ kind: 'send', kind_label: 'SEND' });
    const pdf = readPdf(entries.get('record.pdf')!);
    expect(pdf.text).toContain(`What ${w.school.name} holds about Kit Kowalski`);
    expect(pdf.text).toContain('Raised by name: Tara Teacher');
    expect(pdf.text).not.toContain(w.teacherA.actor.userId);
    expect(pdf.text).toContain('Reading book band two terms behind.');
    // The PDF reads the codes as words.
    expect(pdf.text).toContain('SEN stage: SEN support');
    expect(pdf.text).toContain('Primary need: Speech, language and communication needs');
    expect(pdf.text).not.toMatch(/sen_support|: SLCN\b|: female\b/);
    expect(pdf.info).toMatch(/Tagged:\s+yes/);
    expect(entries.get('README.txt')!.toString()).toMatch(/BEFORE RELEASE[\s\S]*Amara Adebayo/);
    expect(entries.get('views.csv')!.toString()).toContain('Sam Senco');

    // Released once checked; a stale release is refused and changes nothing.
    const { request: produced } = await services.subjectAccess.get(w.senco.actor, id);
    expect(produced.status).toBe('produced');
    await expect(
      services.subjectAccess.release(w.senco.actor, id, { version: produced.version - 1, releasedOn: TODAY }),
    ).rejects.toBeInstanceOf(ConflictError);
    await services.subjectAccess.release(w.senco.actor, id, { version: produced.version, releasedOn: TODAY });
    const [row] = await database.db
      .select()
      .from(subjectAccessRequest)
      .where(and(eq(subjectAccessRequest.schoolId, w.school.id), eq(subjectAccessRequest.id, id)));
    expect(row).toMatchObject({ status: 'released', releasedOn: TODAY, releasedByName: 'Sam Senco' });
    const actions = (
      await database.db
        .select({ action: auditEvent.action })
        .from(auditEvent)
        .where(eq(auditEvent.pupilId, w.pupilK.id))
    ).map((r) => r.action);
    for (const a of [
      'subject_access.recorded',
      'subject_access.gathered',
      'subject_access.produced',
      'subject_access.downloaded',
      'subject_access.released',
    ])
      expect(actions).toContain(a);
  });

  it('is the head’s and SENCo’s alone, and another school’s request is not found', async () => {
    const { services, w } = world;
    const id = await services.subjectAccess.record(w.senco.actor, w.pupilK.id, request);
    await expect(services.subjectAccess.gather(w.teacherA.actor, id)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(services.subjectAccess.open(w.office.actor)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(services.subjectAccess.gather(w.otherSenco.actor, id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(
      services.subjectAccess.record(w.otherSenco.actor, w.pupilK.id, request),
    ).rejects.toBeInstanceOf(NotFoundError);
  });

  it('is refused to a leader a complaint naming the pupil is about (produce and download), audited; the other leader produces it', async () => {
    const { services, database, w } = world;
    const complaintId = await services.complaints.create(w.head.actor, {
      kind: 'formal',
      receivedOn: '2026-11-02',
      complainantName: 'Erin’s father',
      complainantRelationship: 'Father',
      pupilId: w.pupilE.id,
      summary: 'The SENCo did not pass on the speech therapist’s advice.',
      aboutUserIds: [w.senco.actor.userId],
      handledBy: null,
    });
    const id = await services.subjectAccess.record(w.head.actor, w.pupilE.id, request);
    const refused = await services.subjectAccess.gather(w.senco.actor, id).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ForbiddenError);
    expect((refused as ForbiddenError).message).toBe(
      "This pupil's record includes a complaint about you: another leader must produce it",
    );
    await expect(
      services.subjectAccess.saveExport(w.senco.actor, id, 1, Buffer.from('zip')),
    ).rejects.toBeInstanceOf(ForbiddenError);
    const data = await services.subjectAccess.gather(w.head.actor, id);
    expect(JSON.stringify(data.kinds)).toContain(complaintId);
    await services.subjectAccess.saveExport(w.head.actor, id, data.version, await subjectAccessZip(data));
    await expect(services.subjectAccess.download(w.senco.actor, id)).rejects.toBeInstanceOf(ForbiddenError);
    expect((await services.subjectAccess.download(w.head.actor, id)).bytes.length).toBeGreaterThan(0);
    const refusals = await database.db
      .select()
      .from(auditEvent)
      .where(and(eq(auditEvent.action, 'access.refused'), eq(auditEvent.userId, w.senco.actor.userId)));
    expect(refusals.filter((r) => r.detail?.need === 'complaint.not_about_actor')).toHaveLength(3);
  });
});
