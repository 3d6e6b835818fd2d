import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import {
  buildAgency,
  buildOfficer,
  buildPupil,
  buildReferral,
  buildSchool,
  buildStaff,
  useWorld,
} from '../../../test/builders/index.ts';
import { agency, agencyProfessional, auditEvent } from '../../db/schema/index.ts';
import type { AgencyInput } from '../../domain/agencies.ts';
import { STARTER_AGENCIES } from '../../domain/agency-starter.ts';
import type { AuditAction } from '../../domain/audit.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../kernel/errors.ts';

const t = useWorld();

const SALT: AgencyInput = {
  name: 'Oakfield Speech and Language',
  serviceKind: 'speech_and_language_therapy',
  contactName: 'Sunita Rao',
  email: 'Referrals@Salt.example',
  phone: '01632 960 123',
  website: 'salt.example/referrals',
  address: '1 Clinic Road\nNorthshire',
  howToRefer: 'The referral form by secure email',
  needsFromSchool: 'The support plan and what has been tried',
  typicalWaitWeeks: 14,
};

const rowsOf = (ownerId: string) => t.database.db.select().from(agency).where(eq(agency.ownerId, ownerId));
const auditOf = (action: AuditAction) =>
  t.database.db.select().from(auditEvent).where(eq(auditEvent.action, action)).orderBy(auditEvent.id);

async function refusal(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a refusal');
}

describe('the school’s own list', () => {
  it('the SENCo adds a service: in the directory on the school’s list, audited on the school’s chain', async () => {
    const { services, w } = t;
    const id = await services.agencies.addAgency(w.senco.actor, SALT);
    const directory = await services.agencies.directory(w.teacherA.actor);
    const row = directory.services.find((s) => s.id === id);
    expect(row).toMatchObject({ ownerKind: 'school', ownerId: w.school.id, name: SALT.name, version: 1 });
    expect(directory.actions).toMatchObject({ read: true, manage: false });
    const [audit] = (await auditOf('agency.created')).filter((a) => a.detail?.agencyId === id);
    expect(audit).toMatchObject({
      schoolId: w.school.id,
      organisationId: null,
      userId: w.senco.actor.userId,
    });
    // The service page, read by the governor too: it holds no pupil data.
    const page = await services.agencies.agency(w.governor.actor, id);
    expect(page.agency.email).toBe('Referrals@Salt.example');
    expect(page.actions.manage).toBe(false);
  });

  it('refuses bad input with a message by each field and saves nothing', async () => {
    const { services, w } = t;
    const before = (await rowsOf(w.school.id)).length;
    const bad: [Partial<AgencyInput>, string][] = [
      [{ name: '  ' }, 'name'],
      [{ serviceKind: 'astrology' as AgencyInput['serviceKind'] }, 'serviceKind'],
      [{ typicalWaitWeeks: -1 }, 'typicalWaitWeeks'],
      [{ typicalWaitWeeks: 1.5 }, 'typicalWaitWeeks'],
      [{ typicalWaitWeeks: 9999 }, 'typicalWaitWeeks'],
      [{ email: 'not an email' }, 'email'],
      [{ website: 'javascript:alert(1)' }, 'website'],
      [{ phone: 'call me' }, 'phone'],
      [{ name: 'Bell\u0007Service' }, 'name'],
      [{ howToRefer: 'Form\u0000here' }, 'howToRefer'],
    ];
    for (const [change, field] of bad) {
      const error = await refusal(services.agencies.addAgency(w.senco.actor, { ...SALT, ...change }));
      expect(error, field).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).errors.map((e) => e.field)).toContain(field);
    }
    expect((await rowsOf(w.school.id)).length).toBe(before);
  });

  it('only those who keep the list change it: a class teacher is refused', async () => {
    const { services, w } = t;
    expect(await refusal(services.agencies.addAgency(w.teacherA.actor, SALT))).toBeInstanceOf(ForbiddenError);
    expect(await refusal(services.agencies.addStarter(w.office.actor))).toBeInstanceOf(ForbiddenError);
    expect(await refusal(services.agencies.directory(w.officer.actor))).toBeInstanceOf(ForbiddenError);
  });

  it('a stale save is refused with the other change; a fresh one is saved with what changed', async () => {
    const { services, w } = t;
    const id = await services.agencies.addAgency(w.senco.actor, {
      ...SALT,
      name: 'Play therapy',
      serviceKind: 'play_and_art_therapy',
    });
    await services.agencies.changeAgency(w.head.actor, id, 1, {
      ...SALT,
      name: 'Play and art therapy',
      serviceKind: 'play_and_art_therapy',
      typicalWaitWeeks: 6,
    });
    const stale = await refusal(
      services.agencies.changeAgency(w.senco.actor, id, 1, { ...SALT, name: 'Mine', serviceKind: 'thrive' }),
    );
    expect(stale).toBeInstanceOf(ConflictError);
    expect((stale as ConflictError).current).toMatchObject({ name: 'Play and art therapy', version: 2 });
    const [row] = await t.database.db.select().from(agency).where(eq(agency.id, id));
    expect(row).toMatchObject({
      name: 'Play and art therapy',
      typicalWaitWeeks: 6,
      version: 2,
      updatedByName: 'Hana Head',
    });
    const changed = (await auditOf('agency.changed')).find((a) => a.detail?.agencyId === id);
    expect(JSON.stringify(changed?.detail)).toContain('6 weeks');
  });

  it('an archived service leaves the list for new referrals and stays on existing ones', async () => {
    const { services, w } = t;
    const id = await services.agencies.addAgency(w.senco.actor, {
      ...SALT,
      name: 'Old nursing team',
      serviceKind: 'school_nurse',
    });
    await buildReferral(t.database.db, w.pupilK, {
      agency: { ownerId: w.school.id, id, name: 'Old nursing team' },
      serviceKind: 'school_nurse',
    });
    await services.agencies.archiveAgency(w.senco.actor, id, 1, true);
    expect((await services.agencies.directory(w.senco.actor)).services.map((s) => s.id)).not.toContain(id);
    expect(
      (await services.agencies.directory(w.senco.actor, { archived: true })).services.map((s) => s.id),
    ).toContain(id);
    // Its page still opens (from a referral); it can be put back.
    expect((await services.agencies.agency(w.senco.actor, id)).agency.archivedAt).not.toBeNull();
    await services.agencies.archiveAgency(w.senco.actor, id, 2, false);
    expect((await services.agencies.directory(w.senco.actor)).services.map((s) => s.id)).toContain(id);
  });

  it('filters by kind of service', async () => {
    const { services, w } = t;
    const { services: list } = await services.agencies.directory(w.senco.actor, { kind: 'school_nurse' });
    expect(list.length).toBeGreaterThan(0);
    expect(list.every((s) => s.serviceKind === 'school_nurse')).toBe(true);
  });

  it('another school’s service is not found, to read or to change', async () => {
    const { services, w } = t;
    const theirs = await services.agencies.addAgency(w.otherSenco.actor, { ...SALT, name: 'Elsewhere SALT' });
    expect(await refusal(services.agencies.agency(w.senco.actor, theirs))).toBeInstanceOf(NotFoundError);
    expect(await refusal(services.agencies.changeAgency(w.senco.actor, theirs, 1, SALT))).toBeInstanceOf(
      NotFoundError,
    );
    expect(
      await refusal(
        services.agencies.addProfessional(w.senco.actor, theirs, { name: 'X', jobTitle: null, email: null }),
      ),
    ).toBeInstanceOf(NotFoundError);
    expect((await services.agencies.directory(w.senco.actor)).services.map((s) => s.id)).not.toContain(
      theirs,
    );
    const [row] = await t.database.db.select().from(agency).where(eq(agency.id, theirs));
    expect(row?.name).toBe('Elsewhere SALT');
  });
});

describe('professionals of a service', () => {
  it('are added, changed with a version and archived; bad input saves nothing', async () => {
    const { services, w } = t;
    const id = await services.agencies.addAgency(w.senco.actor, {
      ...SALT,
      name: 'EP service',
      serviceKind: 'educational_psychology',
    });
    const pid = await services.agencies.addProfessional(w.senco.actor, id, {
      name: 'Dr Ada Park',
      jobTitle: 'Educational psychologist',
      email: 'ada.park@ep.example',
    });
    for (const bad of [
      { name: '', jobTitle: null, email: null },
      { name: 'Ok', jobTitle: null, email: 'nope' },
      { name: 'Tab\tName', jobTitle: null, email: null },
    ]) {
      expect(await refusal(services.agencies.addProfessional(w.senco.actor, id, bad))).toBeInstanceOf(
        ValidationError,
      );
    }
    await services.agencies.changeProfessional(w.senco.actor, id, pid, 1, {
      name: 'Dr Ada Park',
      jobTitle: 'Senior educational psychologist',
      email: 'ada.park@ep.example',
    });
    const stale = await refusal(
      services.agencies.changeProfessional(w.head.actor, id, pid, 1, {
        name: 'Ada',
        jobTitle: null,
        email: null,
      }),
    );
    expect(stale).toBeInstanceOf(ConflictError);
    expect((stale as ConflictError).current).toMatchObject({ jobTitle: 'Senior educational psychologist' });
    await services.agencies.archiveProfessional(w.senco.actor, id, pid, 2, true);
    const page = await services.agencies.agency(w.ta.actor, id);
    expect(page.professionals).toMatchObject([
      { id: pid, version: 3, jobTitle: 'Senior educational psychologist' },
    ]);
    expect(page.professionals[0]?.archivedAt).not.toBeNull();
    const rows = await t.database.db
      .select()
      .from(agencyProfessional)
      .where(and(eq(agencyProfessional.ownerId, w.school.id), eq(agencyProfessional.agencyId, id)));
    expect(rows).toHaveLength(1);
    // A professional under another service of the list is not found under this one.
    const other = await services.agencies.addAgency(w.senco.actor, { ...SALT, name: 'Another' });
    expect(await refusal(services.agencies.professionalForEdit(w.senco.actor, other, pid))).toBeInstanceOf(
      NotFoundError,
    );
  });
});

describe('the local authority’s list for its schools', () => {
  it('an officer adds a service: every school of the authority sees it; no school changes it', async () => {
    const { services, w } = t;
    const id = await services.organisationAgencies.addAgency(w.officer.actor, {
      ...SALT,
      name: 'Northshire Educational Psychology',
      serviceKind: 'educational_psychology',
    });
    const [row] = await t.database.db.select().from(agency).where(eq(agency.id, id));
    expect(row).toMatchObject({ ownerKind: 'organisation', ownerId: w.officer.organisationId });
    const [audit] = (await auditOf('agency.created')).filter((a) => a.detail?.agencyId === id);
    expect(audit).toMatchObject({ schoolId: null, organisationId: w.officer.organisationId });

    const seen = (await services.agencies.directory(w.teacherA.actor)).services.find((s) => s.id === id);
    expect(seen?.ownerKind).toBe('organisation');
    const page = await services.agencies.agency(w.senco.actor, id);
    expect(page.actions.manage).toBe(false);
    expect(await refusal(services.agencies.changeAgency(w.senco.actor, id, 1, SALT))).toBeInstanceOf(
      ForbiddenError,
    );
    expect(await refusal(services.agencies.archiveAgency(w.head.actor, id, 1, true))).toBeInstanceOf(
      ForbiddenError,
    );
    expect(
      await refusal(
        services.agencies.addProfessional(w.senco.actor, id, { name: 'X', jobTitle: null, email: null }),
      ),
    ).toBeInstanceOf(ForbiddenError);
    // A school of no authority, or of another, does not see it.
    expect(await refusal(services.agencies.agency(w.otherSenco.actor, id))).toBeInstanceOf(NotFoundError);
    const [after] = await t.database.db.select().from(agency).where(eq(agency.id, id));
    expect(after?.version).toBe(1);

    // The officer keeps its professionals.
    const pid = await services.organisationAgencies.addProfessional(w.officer.actor, id, {
      name: 'Dr Priya Shah',
      jobTitle: 'Educational psychologist',
      email: 'priya@northshire.example',
    });
    expect((await services.agencies.agency(w.senco.actor, id)).professionals.map((p) => p.id)).toEqual([pid]);
  });

  it('a panel member reads the list and changes nothing; another authority’s officer finds nothing', async () => {
    const { services, w } = t;
    const id = await services.organisationAgencies.addAgency(w.officer.actor, {
      ...SALT,
      name: 'Northshire OT',
      serviceKind: 'occupational_therapy',
    });
    const panel = await buildOfficer(t.database.db, w.officer.organisationId, ['panel_member']);
    const list = await services.organisationAgencies.directory(panel.actor);
    expect(list.services.map((s) => s.id)).toContain(id);
    expect(list.actions.manage).toBe(false);
    expect(await refusal(services.organisationAgencies.addAgency(panel.actor, SALT))).toBeInstanceOf(
      ForbiddenError,
    );
    const stranger = await buildOfficer(t.database.db);
    expect(await refusal(services.organisationAgencies.agency(stranger.actor, id))).toBeInstanceOf(
      NotFoundError,
    );
    expect(
      await refusal(services.organisationAgencies.changeAgency(stranger.actor, id, 1, SALT)),
    ).toBeInstanceOf(NotFoundError);
    // A school's own service is not the authority's to change.
    const schools = await services.agencies.addAgency(w.senco.actor, { ...SALT, name: 'Our own' });
    expect(
      await refusal(services.organisationAgencies.agencyForEdit(w.officer.actor, schools)),
    ).toBeInstanceOf(NotFoundError);
    const refusals = await auditOf('access.not_found');
    expect(refusals.some((r) => r.userId === stranger.actor.userId && r.detail?.id === id)).toBe(true);
  });
});

describe('the common services for a new school', () => {
  it('are offered when both lists are empty, added once, and not offered again', async () => {
    const { services } = t;
    const organisation = await buildOfficer(t.database.db);
    const school = await buildSchool(t.database.db, { organisationId: organisation.organisationId });
    const senco = await buildStaff(t.database.db, 'senco', { schoolId: school.id });
    const teacher = await buildStaff(t.database.db, 'class_teacher', { schoolId: school.id });
    expect((await services.agencies.directory(senco.actor)).offerStarter).toBe(true);
    expect((await services.agencies.directory(teacher.actor)).offerStarter).toBe(false);
    expect(await services.agencies.addStarter(senco.actor)).toBe(STARTER_AGENCIES.length);
    const listed = await services.agencies.directory(senco.actor);
    expect(listed.offerStarter).toBe(false);
    expect(listed.services).toHaveLength(STARTER_AGENCIES.length);
    expect(listed.services.every((s) => s.email === null && s.ownerKind === 'school')).toBe(true);
    expect(await refusal(services.agencies.addStarter(senco.actor))).toBeInstanceOf(ValidationError);
    expect(await rowsOf(school.id)).toHaveLength(STARTER_AGENCIES.length);
  });

  it('are not offered when the local authority’s list has services', async () => {
    const { services } = t;
    const organisation = await buildOfficer(t.database.db);
    const school = await buildSchool(t.database.db, { organisationId: organisation.organisationId });
    const senco = await buildStaff(t.database.db, 'senco', { schoolId: school.id });
    await buildAgency(t.database.db, organisation.organisationId, { ownerKind: 'organisation' });
    expect((await services.agencies.directory(senco.actor)).offerStarter).toBe(false);
    expect(await refusal(services.agencies.addStarter(senco.actor))).toBeInstanceOf(ValidationError);
    expect(await rowsOf(school.id)).toHaveLength(0);
  });
});

describe('counts of referrals', () => {
  it('the governor sees counts by kind and how far they got, small numbers hidden; the SENCo sees them all', async () => {
    const { services } = t;
    const school = await buildSchool(t.database.db, { name: 'Counting Primary' });
    const governor = await buildStaff(t.database.db, 'sen_governor', { schoolId: school.id });
    const senco = await buildStaff(t.database.db, 'senco', { schoolId: school.id });
    const salt = await buildAgency(t.database.db, school.id);
    for (const status of [
      'sent',
      'sent',
      'waiting_list',
      'closed',
      'report_received',
      'closed',
      'declined',
    ] as const) {
      const p = await buildPupil(t.database.db, { schoolId: school.id });
      await buildReferral(t.database.db, p, { agency: salt, status });
    }
    const ep = await buildAgency(t.database.db, school.id, {
      name: 'EP',
      serviceKind: 'educational_psychology',
    });
    const p = await buildPupil(t.database.db, { schoolId: school.id });
    await buildReferral(t.database.db, p, {
      agency: ep,
      serviceKind: 'educational_psychology',
      status: 'sent',
    });

    const open = await services.agencies.referralFigures(senco.actor);
    expect(open.suppressed).toBe(false);
    expect(open.rows.map((r) => r.label)).toEqual(['Educational psychology', 'Speech and language therapy']);
    expect(open.rows[1]).toMatchObject({ counts: { underWay: 3, done: 3, ended: 1 }, total: 7 });
    expect(open.totals.total).toBe(8);

    const hidden = await services.agencies.referralFigures(governor.actor);
    expect(hidden.suppressed).toBe(true);
    expect(hidden.totals.total).toBe(8);
    // 1 educational psychology referral, 1 declined: hidden, and whatever would give them away.
    expect(hidden.rows[0]?.counts.underWay).not.toBe(1);
    expect(hidden.rows[1]?.counts.ended).not.toBe(1);
    expect(JSON.stringify(hidden)).not.toMatch(/"(forename|surname|pupilId)"/);
    const audit = await t.database.db
      .select()
      .from(auditEvent)
      .where(
        and(eq(auditEvent.action, 'agency.counts_viewed'), eq(auditEvent.userId, governor.actor.userId)),
      );
    expect(audit).toHaveLength(1);
    expect(await refusal(services.agencies.referralFigures(t.w.teacherA.actor))).toBeInstanceOf(
      ForbiddenError,
    );
  });

  it('the officer sees counts across the authority’s schools by service, small numbers hidden', async () => {
    const { services } = t;
    const officer = await buildOfficer(t.database.db);
    const schoolA = await buildSchool(t.database.db, { organisationId: officer.organisationId });
    const schoolB = await buildSchool(t.database.db, { organisationId: officer.organisationId });
    const elsewhere = await buildSchool(t.database.db);
    const shared = await buildAgency(t.database.db, officer.organisationId, {
      ownerKind: 'organisation',
      name: 'Shared SALT',
    });
    for (const s of [schoolA, schoolA, schoolB, schoolB, schoolB]) {
      const p = await buildPupil(t.database.db, { schoolId: s.id });
      await buildReferral(t.database.db, p, { agency: shared, status: 'sent' });
    }
    const own = await buildAgency(t.database.db, schoolA.id, { name: 'Own CAMHS', serviceKind: 'camhs' });
    const p = await buildPupil(t.database.db, { schoolId: schoolA.id });
    await buildReferral(t.database.db, p, { agency: own, serviceKind: 'camhs', status: 'sent' });
    const far = await buildPupil(t.database.db, { schoolId: elsewhere.id });
    await buildReferral(t.database.db, far, { agency: await buildAgency(t.database.db, elsewhere.id) });

    const figures = await services.organisationAgencies.referralFigures(officer.actor);
    expect(figures.schools).toBe(2);
    expect(figures.totals.total).toBe(6);
    expect(figures.rows.map((r) => r.label)).toEqual([
      'Shared SALT',
      'A school’s own service (Child and adolescent mental health services (CAMHS))',
    ]);
    // One referral to a school's own CAMHS: hidden, and nothing on the page gives it away.
    expect(['suppressed', 'withheld']).toContain(figures.rows[1]?.counts.underWay);
    expect(['suppressed', 'withheld']).toContain(figures.rows[1]?.total);
    const shown = [...figures.rows, figures.totals].flatMap((r) => [...Object.values(r.counts), r.total]);
    expect(shown).not.toContain(1);
    expect(await refusal(services.organisationAgencies.referralFigures(t.w.senco.actor))).toBeInstanceOf(
      ForbiddenError,
    );
  });
});
