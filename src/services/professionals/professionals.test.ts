import { and, eq } from 'drizzle-orm';
import { describe, expect, it, vi } from 'vitest';
import {
  buildAgency,
  buildConsent,
  buildPlan,
  buildReferral,
  buildReport,
  TODAY,
  useWorld,
} from '../../../test/builders/index.ts';
import { notAPdf, pdfWithScript, reportPdf } from '../../../test/report-files.ts';
import {
  accountSetUpToken,
  agencyProfessional,
  agencyReport,
  appUser,
  auditEvent,
  outboundMail,
  professionalAccount,
  pupilShare,
  recommendation,
  referral,
  referralEvent,
  storedFile,
} from '../../db/schema/index.ts';
import { insertAgencyProfessionals } from '../../repositories/agencies.ts';
import type { Actor } from '../kernel/actor.ts';
import { ForbiddenError, NotFoundError, ValidationError } from '../kernel/errors.ts';

/*
 * The professional of a referral: invited by the SENCo (an account made with a one-time link, or a
 * professional's place given to an account that exists), seeing only the sections the referral shares
 * while the share is live, sending a report back with recommendations; and the report page for those
 * who may read it.
 */
const world = useWorld();

/*
 * Something to run while a report is on its way: after the form's check of the share and before the
 * report's unit of work (the service reads the professional's account between the two).
 */
const midway = vi.hoisted(() => ({ run: null as null | (() => Promise<void>) }));
vi.mock('../../repositories/professionals.ts', async (original) => {
  const actual = await original<typeof import('../../repositories/professionals.ts')>();
  return {
    ...actual,
    professionalAccountOf: async (...args: Parameters<typeof actual.professionalAccountOf>) => {
      const run = midway.run;
      midway.run = null;
      if (run) await run();
      return actual.professionalAccountOf(...args);
    },
  };
});

async function sentReferral(options: Partial<Parameters<typeof buildReferral>[2]> = {}) {
  const { database, w } = world;
  const made = await buildReferral(database.db, w.pupilK, {
    status: 'sent',
    sentOn: '2026-10-10',
    ...options,
  });
  await buildConsent(database.db, made);
  return made;
}

async function auditOf(action: string, schoolId: string | null = world.w.school.id) {
  return world.database.db
    .select()
    .from(auditEvent)
    .where(
      and(
        eq(auditEvent.action, action as typeof auditEvent.$inferSelect.action),
        schoolId ? eq(auditEvent.schoolId, schoolId) : undefined,
      ),
    );
}

const invite = (actor: Actor, referralId: string, more: Record<string, unknown> = {}) =>
  world.services.professionals.invite(actor, referralId, {
    agencyProfessionalId: null,
    name: 'Jo Carter',
    email: `jo.${referralId.slice(0, 8)}@salt.example`,
    sharedUntil: '2027-02-12',
    version: 1,
    ...more,
  });

describe('inviting the service’s professional', () => {
  it('makes an account with no usable password, a link by mail that names no child, and the share of the referral’s sections', async () => {
    const { services, database, w } = world;
    const made = await sentReferral();
    const form = await services.professionals.inviteForm(w.senco.actor, made.id);
    expect(form.sharedUntil).toBe('2027-02-12');
    expect(form.sections).toEqual(['SEN register', 'support plans']);
    expect(form.problem).toBeNull();
    const email = `jo.${made.id.slice(0, 8)}@salt.example`;
    const result = await invite(w.senco.actor, made.id);
    expect(result).toMatchObject({ newAccount: true, email });
    const [account] = await database.db.select().from(appUser).where(eq(appUser.email, email));
    expect(account?.passwordHash).toBe('!set-up-pending');
    const [pro] = await database.db
      .select()
      .from(professionalAccount)
      .where(eq(professionalAccount.userId, account!.id));
    expect(pro?.agencyName).toBe(made.agencyName);
    const links = await database.db
      .select()
      .from(accountSetUpToken)
      .where(eq(accountSetUpToken.userId, account!.id));
    expect(links).toHaveLength(1);
    expect(links[0]!.expiresAt.getTime() - Date.now()).toBeGreaterThan(6.9 * 24 * 3600 * 1000);
    const [mail] = await database.db.select().from(outboundMail).where(eq(outboundMail.toAddress, email));
    expect(mail?.kind).toBe('account.set_up');
    expect(mail?.body).toMatch(/\/sign-in\/set-password\?token=[A-Za-z0-9_-]{40,}/);
    expect(mail?.body).not.toMatch(/Kit|Kowalski|speech|instructions/i);
    expect(mail?.body).not.toContain(links[0]!.tokenHash);
    const [share] = await database.db.select().from(pupilShare).where(eq(pupilShare.referralId, made.id));
    expect(share).toMatchObject({
      professionalUserId: account!.id,
      sections: ['register', 'plans'],
      purpose: `Referral to ${made.agencyName}`,
      sharedFrom: TODAY,
      sharedUntil: '2027-02-12',
    });
    const [after] = await database.db.select().from(referral).where(eq(referral.id, made.id));
    expect(after).toMatchObject({ professionalUserId: account!.id, shareId: share!.id, version: 2 });
    expect((await auditOf('referral.professional_invited')).some((r) => r.pupilId === w.pupilK.id)).toBe(
      true,
    );
  });

  it('gives an existing account a professional’s place, links the directory entry, and mails a plain notice', async () => {
    const { services, database, w } = world;
    const service = await buildAgency(database.db, w.school.id, { name: 'Northshire EPS' });
    const made = await sentReferral({ agency: service });
    await insertAgencyProfessionals(database.db, [
      {
        ownerId: w.school.id,
        agencyId: service.id,
        id: crypto.randomUUID(),
        name: 'Priya Psychologist',
        jobTitle: 'Educational psychologist',
        email: w.professional.email,
      },
    ]);
    const form = await services.professionals.inviteForm(w.senco.actor, made.id);
    const listed = form.professionals.find((p) => p.name === 'Priya Psychologist')!;
    const result = await invite(w.senco.actor, made.id, {
      agencyProfessionalId: listed.id,
      name: null,
      email: null,
    });
    expect(result).toMatchObject({ newAccount: false, email: w.professional.email });
    const [entry] = await database.db
      .select()
      .from(agencyProfessional)
      .where(eq(agencyProfessional.id, listed.id));
    expect(entry?.userId).toBe(w.professional.actor.userId);
    const mails = await database.db
      .select()
      .from(outboundMail)
      .where(eq(outboundMail.toAddress, w.professional.email));
    expect(mails.map((m) => m.kind)).toContain('referral.shared');
  });

  it('sends a fresh set-up link to an invited person who never set up their account; the old link stays dead', async () => {
    const { services, database, w } = world;
    const email = 'sam.waiting@salt.example';
    const first = await sentReferral();
    expect(await invite(w.senco.actor, first.id, { email, name: 'Sam Waiting' })).toMatchObject({
      newAccount: true,
      setUpLink: true,
    });
    const [account] = await database.db.select().from(appUser).where(eq(appUser.email, email));
    // A week and more later: the first link has run out, unused.
    await database.db
      .update(accountSetUpToken)
      .set({ expiresAt: new Date(Date.now() - 60_000) })
      .where(eq(accountSetUpToken.userId, account!.id));
    const tokensMailed = async () =>
      (await database.db.select().from(outboundMail).where(eq(outboundMail.toAddress, email)))
        .filter((m) => m.kind === 'account.set_up')
        .map((m) => /token=([A-Za-z0-9_-]+)/.exec(m.body)?.[1]);
    const [oldToken] = await tokensMailed();
    expect(await services.auth.setUp.linkFor(oldToken!)).toBeNull();

    const second = await sentReferral();
    expect(await invite(w.senco.actor, second.id, { email, name: 'Sam Waiting' })).toMatchObject({
      newAccount: false,
      setUpLink: true,
    });
    const tokens = await tokensMailed();
    expect(tokens).toHaveLength(2);
    const newToken = tokens.find((t) => t !== oldToken);
    expect(newToken).toBeTruthy();
    expect(await services.auth.setUp.linkFor(newToken!)).toMatchObject({ email });
    expect(await services.auth.setUp.linkFor(oldToken!)).toBeNull();

    // Once the password is chosen, a later invitation sends a plain notice, no link.
    expect(
      await services.auth.setUp.choosePassword(
        { token: newToken!, password: 'heron lantern quietly 7391 orbit' },
        crypto.randomUUID(),
      ),
    ).toBe(true);
    const third = await sentReferral();
    expect(await invite(w.senco.actor, third.id, { email, name: 'Sam Waiting' })).toMatchObject({
      setUpLink: false,
    });
    expect(await tokensMailed()).toHaveLength(2);
  });

  it('refuses a referral not yet sent, a day past consent, a stale form, and anyone but the SENCo or head', async () => {
    const { services, database, w } = world;
    const draft = await buildReferral(database.db, w.pupilK);
    await expect(invite(w.senco.actor, draft.id)).rejects.toThrow(/Send the referral before/);
    const limited = await buildReferral(database.db, w.pupilK, { status: 'accepted' });
    await buildConsent(database.db, limited, { validUntil: '2026-12-18' });
    expect((await services.professionals.inviteForm(w.head.actor, limited.id)).sharedUntil).toBe(
      '2026-12-18',
    );
    await expect(invite(w.head.actor, limited.id, { sharedUntil: '2027-01-05' })).rejects.toThrow(
      /Consent to sharing ends on 18 December 2026/,
    );
    await expect(invite(w.head.actor, limited.id, { version: 7 })).rejects.toThrow(
      /Someone else has changed/,
    );
    for (const who of [w.teacherA, w.teacherB, w.office, w.ta])
      await expect(invite(who.actor, limited.id)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(invite(w.otherSenco.actor, limited.id)).rejects.toBeInstanceOf(NotFoundError);
    expect(await database.db.select().from(pupilShare).where(eq(pupilShare.referralId, limited.id))).toEqual(
      [],
    );
  });
});

describe('what the professional sees', () => {
  async function invited(sections: ('register' | 'plans' | 'provision' | 'medical')[]) {
    const { w } = world;
    const made = await sentReferral({ shareSections: sections });
    await invite(w.senco.actor, made.id, { email: w.professional.email, name: 'Priya Psychologist' });
    return made;
  }

  it('shows the question, what was tried, and only the sections shared; each view in the school’s trail', async () => {
    const { services, database, w } = world;
    await buildPlan(database.db, { pupilId: w.pupilK.id, schoolId: w.school.id, status: 'active' });
    const made = await invited(['register']);
    const seen = await services.professionals.referral(w.professional.actor, made.id);
    expect(seen.referral.question).toBe(made.question);
    expect(seen.referral.tried).toBe(made.tried);
    expect(seen.register?.stage).toBeTruthy();
    expect(seen.plans).toBeUndefined();
    expect(seen.provision).toBeNull();
    expect(seen.medical).toBeNull();
    expect(seen.pupil.dateOfBirth).toBeNull();
    const views = await auditOf('referral.shared_viewed');
    expect(views.some((v) => v.pupilId === w.pupilK.id && v.userId === w.professional.actor.userId)).toBe(
      true,
    );
  });

  it('refuses another professional, another school’s referral, and the referral once its share ended: audited where the school sees it', async () => {
    const { services, database, w } = world;
    const made = await invited(['register', 'plans']);
    const other = await buildReferral(database.db, w.otherPupil, { status: 'sent' });
    await expect(services.professionals.referral(w.professional.actor, other.id)).rejects.toBeInstanceOf(
      NotFoundError,
    );
    await expect(services.professionals.referral(w.parent.actor, made.id)).rejects.toBeInstanceOf(
      ForbiddenError,
    );
    await services.professionals.endShare(w.senco.actor, made.id);
    await expect(services.professionals.referral(w.professional.actor, made.id)).rejects.toBeInstanceOf(
      NotFoundError,
    );
    const probes = await auditOf('access.probe_from_other_school');
    expect(probes.some((p) => (p.detail as { id?: string })?.id === made.id)).toBe(true);
    expect(
      (await auditOf('access.probe_from_other_school', w.otherSchool.id)).some(
        (p) => (p.detail as { id?: string })?.id === other.id,
      ),
    ).toBe(true);
    expect((await auditOf('referral.share_ended')).some((r) => r.pupilId === w.pupilK.id)).toBe(true);
    expect(await services.professionals.endShare(w.senco.actor, made.id)).toEqual({ ended: false });
  });
});

describe('reports back', () => {
  const three = [
    {
      area: 'communication_and_interaction' as const,
      kind: 'strategy' as const,
      text: 'One instruction at a time',
    },
    {
      area: 'communication_and_interaction' as const,
      kind: 'target' as const,
      text: 'Follow a two-step instruction',
    },
    { area: null, kind: 'further_assessment' as const, text: 'Hearing test' },
  ];

  it('keeps the professional’s report with its file and recommendations, and moves the referral through pupil seen to report received', async () => {
    const { services, database, w } = world;
    const made = await sentReferral();
    await invite(w.senco.actor, made.id, { email: w.professional.email });
    const { reportId, statusNote } = await services.professionals.sendReport(w.professional.actor, made.id, {
      title: 'Speech and language assessment',
      writtenOn: '2026-11-18',
      summary: 'Kit understands more than he says.',
      file: { name: 'report.pdf', bytes: await reportPdf() },
      recommendations: three,
    });
    expect(statusNote).toBe('The referral is now marked report received');
    const [report] = await database.db.select().from(agencyReport).where(eq(agencyReport.id, reportId));
    expect(report).toMatchObject({
      schoolId: w.school.id,
      submittedBy: 'professional',
      authorName: 'Priya Psychologist',
      authorRole: 'Educational psychologist',
    });
    expect(report?.fileId).toBeTruthy();
    const recs = await database.db.select().from(recommendation).where(eq(recommendation.reportId, reportId));
    expect(recs.map((r) => [r.position, r.kind]).sort()).toEqual([
      [1, 'strategy'],
      [2, 'target'],
      [3, 'further_assessment'],
    ]);
    const steps = await database.db.select().from(referralEvent).where(eq(referralEvent.referralId, made.id));
    expect(steps.map((s) => s.status)).toEqual(expect.arrayContaining(['seen', 'report_received']));
    // The office and teaching assistants see the steps: the note names who sent it, not the title.
    const received = steps.find((s) => s.status === 'report_received');
    expect(received?.note).toBe('Report received from Priya Psychologist');
    expect(steps.map((s) => s.note).join(' ')).not.toContain('Speech and language');
    const [after] = await database.db.select().from(referral).where(eq(referral.id, made.id));
    expect(after?.status).toBe('report_received');
    expect((await auditOf('report.added')).some((r) => r.pupilId === w.pupilK.id)).toBe(true);

    // The professional reads it and downloads it while the share is live; each in the school's trail.
    const seen = await services.professionals.report(w.professional.actor, reportId);
    expect(seen.recommendations).toHaveLength(3);
    const file = await services.professionals.reportFile(w.professional.actor, reportId);
    expect(file.contentType).toBe('application/pdf');
    expect((await auditOf('report.downloaded')).some((r) => r.userId === w.professional.actor.userId)).toBe(
      true,
    );
  });

  it('refuses a PDF with JavaScript, a file that is not what it says, and a date in the future; nothing kept', async () => {
    const { services, database, w } = world;
    const made = await sentReferral();
    await invite(w.senco.actor, made.id, { email: w.professional.email });
    const send = (file: Buffer, writtenOn = '2026-11-18') =>
      services.professionals.sendReport(w.professional.actor, made.id, {
        title: 'Report',
        writtenOn,
        summary: null,
        file: { name: 'report.pdf', bytes: file },
        recommendations: three,
      });
    await expect(send(await pdfWithScript())).rejects.toThrow(/JavaScript/);
    await expect(send(notAPdf)).rejects.toBeInstanceOf(ValidationError);
    await expect(send(Buffer.alloc(0))).rejects.toBeInstanceOf(ValidationError);
    await expect(send(await reportPdf(), '2027-01-01')).rejects.toThrow(/future/);
    expect(await database.db.select().from(agencyReport).where(eq(agencyReport.referralId, made.id))).toEqual(
      [],
    );
  });

  it('keeps nothing of a report sent while the SENCo records that consent was withdrawn: not found, audited', async () => {
    const { services, database, w } = world;
    const made = await buildReferral(database.db, w.pupilK, { status: 'sent', sentOn: '2026-10-10' });
    const consent = await buildConsent(database.db, made);
    await invite(w.senco.actor, made.id, { email: w.professional.email });
    const counts = async () => ({
      files: (await database.db.select().from(storedFile)).length,
      recommendations: (await database.db.select().from(recommendation)).length,
    });
    const before = await counts();
    // The form's check has passed when consent is withdrawn (the share ends, the referral stops).
    midway.run = async () => {
      await services.referrals.withdrawConsent(w.senco.actor, made.id, consent.id, {
        withdrawnOn: TODAY,
        note: null,
      });
    };
    await expect(
      services.professionals.sendReport(w.professional.actor, made.id, {
        title: 'Speech and language assessment',
        writtenOn: '2026-11-18',
        summary: 'Kit understands more than he says.',
        file: { name: 'report.pdf', bytes: await reportPdf() },
        recommendations: three,
      }),
    ).rejects.toBeInstanceOf(NotFoundError);
    expect(midway.run).toBeNull();
    const [after] = await database.db.select().from(referral).where(eq(referral.id, made.id));
    expect(after?.status).toBe('stopped');
    expect(await database.db.select().from(agencyReport).where(eq(agencyReport.referralId, made.id))).toEqual(
      [],
    );
    expect(await counts()).toEqual(before);
    const probes = await auditOf('access.probe_from_other_school');
    expect(probes.some((p) => (p.detail as { id?: string })?.id === made.id)).toBe(true);
  });

  it('lets the school add a report from paper; a closed referral keeps it and says its status is unchanged', async () => {
    const { services, database, w } = world;
    const closed = await buildReferral(database.db, w.pupilK, { status: 'closed' });
    const result = await services.professionals.addReport(w.senco.actor, closed.id, {
      title: 'Occupational therapy letter',
      writtenOn: '2026-11-01',
      summary: null,
      authorName: 'Sam OT',
      authorRole: 'Occupational therapist',
      file: null,
      recommendations: [three[0]!],
    });
    expect(result.statusNote).toMatch(/closed: the report is kept with it/);
    const [after] = await database.db.select().from(referral).where(eq(referral.id, closed.id));
    expect(after?.status).toBe('closed');
    await expect(
      services.professionals.addReport(w.teacherA.actor, closed.id, {
        title: 'x',
        writtenOn: '2026-11-01',
        summary: null,
        authorName: 'x',
        file: null,
        recommendations: [],
      }),
    ).rejects.toBeInstanceOf(ForbiddenError);
  });

  it('opens the report to the SENCo, the head and the class teacher, not to the office or a teaching assistant', async () => {
    const { services, database, w } = world;
    const made = await sentReferral();
    const { report } = await buildReport(database.db, made);
    for (const who of [w.senco, w.head, w.teacherA]) {
      const seen = await services.professionals.report(who.actor, report.id);
      expect(seen.recommendations.map((r) => r.kind)).toEqual(['Strategy', 'Target', 'Provision']);
    }
    expect(
      (await services.professionals.report(w.senco.actor, report.id)).recommendations[0]?.actions,
    ).toEqual({
      useInPlan: true,
      useInProvision: true,
    });
    await expect(services.professionals.report(w.office.actor, report.id)).rejects.toBeInstanceOf(
      ForbiddenError,
    );
    await expect(services.professionals.report(w.teacherB.actor, report.id)).rejects.toBeInstanceOf(
      NotFoundError,
    );
    await expect(services.professionals.report(w.otherSenco.actor, report.id)).rejects.toBeInstanceOf(
      NotFoundError,
    );
    // A professional not of this referral: not found.
    await expect(services.professionals.report(w.professional.actor, report.id)).rejects.toBeInstanceOf(
      NotFoundError,
    );
    await expect(services.professionals.reportFile(w.senco.actor, report.id)).rejects.toThrow(/no file/);
    // Eli's teaching assistant reads his recommendations elsewhere, never the report.
    const eli = await buildReferral(database.db, w.pupilE, { status: 'sent' });
    const eliReport = await buildReport(database.db, eli);
    await expect(services.professionals.report(w.ta.actor, eliReport.report.id)).rejects.toBeInstanceOf(
      ForbiddenError,
    );
    expect((await services.professionals.report(w.teacherB.actor, eliReport.report.id)).viewer).toBe('staff');
    expect(
      (await auditOf('report.viewed')).filter((r) => r.pupilId === w.pupilK.id).length,
    ).toBeGreaterThanOrEqual(3);
  });
});
