import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import {
  buildIntervention,
  buildParent,
  buildProvisionGroup,
  buildPupil,
  TODAY,
  useWorld,
} from '../../../test/builders/index.ts';
import { auditEvent, letterTemplate } from '../../db/schema/index.ts';
import { formatDate } from '../../domain/dates.ts';
import { letterDocument } from '../../presenters/letters.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../kernel/errors.ts';
import type { LetterInput } from './index.ts';

const world = useWorld();

async function templateOf(kind: string) {
  const { services, w } = world;
  const templates = await services.letters.templates(w.senco.actor);
  const t = templates.find((x) => x.kind === kind);
  if (!t) throw new Error(`no ${kind} template`);
  return t;
}

const letterInput = (templateId: string, recipientIds: string[], over: Partial<LetterInput> = {}) => ({
  templateId,
  recipientIds,
  sentOn: TODAY,
  sentVia: 'book_bag' as const,
  meetingDate: null,
  meetingTime: null,
  ...over,
});

describe('letter templates', () => {
  it('gives a school the starter templates once, the first time they are listed', async () => {
    const { services, w, database } = world;
    const [first, second] = await Promise.all([
      services.letters.templates(w.senco.actor),
      services.letters.templates(w.head.actor),
    ]);
    expect(first.map((t) => t.kind)).toEqual([
      'register_placement',
      'review_invitation',
      'plan_shared',
      'leaving_register',
    ]);
    expect(second).toHaveLength(4);
    const rows = await database.db
      .select({ id: letterTemplate.id })
      .from(letterTemplate)
      .where(eq(letterTemplate.schoolId, w.school.id));
    expect(rows).toHaveLength(4);
    expect(first[0]?.slip).toMatch(/I can confirm that I have received your letter/);
  });

  it('refuses a template naming a field OpenSEND does not know, naming the field, and saves nothing', async () => {
    const { services, w } = world;
    const t = await templateOf('plan_shared');
    const attempt = services.letters.saveTemplate(w.senco.actor, t.id, t.version, {
      name: t.name,
      body: `${t.body}\n\nSee you at {{pupil.shoeSize}}.`,
      slip: 'Signed {{parent.signature}}',
    });
    await expect(attempt).rejects.toBeInstanceOf(ValidationError);
    const error = (await attempt.catch((e) => e)) as ValidationError;
    expect(error.errors).toEqual([
      { field: 'body', message: expect.stringContaining('{{pupil.shoeSize}} is not a merge field') },
      { field: 'slip', message: expect.stringContaining('{{parent.signature}} is not a merge field') },
    ]);
    await expect(
      services.letters.previewTemplate(w.senco.actor, { name: 'x', body: '{{nope}}', slip: null }, null),
    ).rejects.toThrow(/\{\{nope\}\} is not a merge field/);
    expect((await templateOf('plan_shared')).version).toBe(t.version);
  });

  it('previews with made-up values or a real pupil, and keeps the other person’s change on a stale save', async () => {
    const { services, w } = world;
    const t = await templateOf('register_placement');
    const sample = await services.letters.previewTemplate(w.senco.actor, t, null);
    expect(sample.body).toContain('Alex');
    expect(sample.body).toContain('Oakfield Primary');
    const real = await services.letters.previewTemplate(w.senco.actor, t, w.pupilK.id);
    expect(real.body).toContain('Dear Kasia Kowalski');
    expect(real.slip).toContain('my child Kit Kowalski is on the SEN register');

    await services.letters.saveTemplate(w.senco.actor, t.id, t.version, {
      ...t,
      body: t.body.replace('Thank you for your support.', 'Thank you.'),
    });
    await expect(
      services.letters.saveTemplate(w.head.actor, t.id, t.version, { ...t, name: 'Older edit' }),
    ).rejects.toBeInstanceOf(ConflictError);
    const audits = await world.database.db
      .select()
      .from(auditEvent)
      .where(and(eq(auditEvent.schoolId, w.school.id), eq(auditEvent.action, 'letter_template.changed')));
    expect(audits).toHaveLength(1);
    // The class teacher and the office do not manage templates.
    await expect(services.letters.templates(w.office.actor)).rejects.toBeInstanceOf(ForbiddenError);
  });
});

describe('producing letters and recording slips', () => {
  it('the office produces the Appendix D letter for a pupil and records the signed slip when it comes back', async () => {
    const { services, w, database } = world;
    const t = await templateOf('register_placement');
    const form = await services.letters.writeForm(w.office.actor, w.pupilK.id, { templateId: t.id });
    expect(form.defaultRecipientIds).toEqual([w.parentK.id]);
    expect(form.preview?.body).toContain('Dear Kasia Kowalski');

    const letterId = await services.letters.produce(
      w.office.actor,
      w.pupilK.id,
      letterInput(t.id, [w.parentK.id]),
    );
    const view = await services.letters.view(w.office.actor, letterId);
    expect(view.letter).toMatchObject({
      kind: 'register_placement',
      recipients: 'Kasia Kowalski',
      sentVia: 'book_bag',
      sentByName: 'Olu Office',
      slipExpected: true,
      slipReturnedOn: null,
    });
    expect(view.letter.body).toContain('Sam Senco\nSENCo, Oakfield Primary');
    expect(view.letter.body).toContain('20 November 2026');
    expect(view.actions).toEqual({ print: true, recordSlip: true });

    await expect(
      services.letters.recordSlip(w.office.actor, letterId, view.letter.version, {
        returnedOn: '2026-11-19',
        note: null,
      }),
    ).rejects.toThrow(/cannot be before the letter was sent/);
    await services.letters.recordSlip(w.office.actor, letterId, view.letter.version, {
      returnedOn: TODAY,
      note: 'Signed by mother',
    });
    // A second person recording the same slip is told who did it first.
    await expect(
      services.letters.recordSlip(w.senco.actor, letterId, view.letter.version, {
        returnedOn: TODAY,
        note: null,
      }),
    ).rejects.toThrow(`Olu Office has already recorded this slip as returned on ${formatDate(TODAY)}.`);
    const after = await services.letters.view(w.office.actor, letterId);
    expect(after.letter).toMatchObject({ slipReturnedOn: TODAY, slipNote: 'Signed by mother' });
    expect(after.actions.recordSlip).toBe(false);

    // Both are in the pupil's record, which the office reads without any SEN part.
    const record = await services.pupils.view(w.office.actor, w.pupilK.id);
    expect(record.letters).toEqual([
      expect.objectContaining({ id: letterId, slipReturnedOn: TODAY, slipRecordedByName: 'Olu Office' }),
    ]);
    expect(record.history).toEqual([]);
    const actions = await database.db
      .select({ action: auditEvent.action })
      .from(auditEvent)
      .where(and(eq(auditEvent.pupilId, w.pupilK.id), eq(auditEvent.userId, w.office.actor.userId)));
    expect(actions.map((a) => a.action)).toEqual(
      expect.arrayContaining(['letter.produced', 'letter.slip_recorded', 'letter.viewed']),
    );
  });

  it('gives the office the plan’s dates and number of targets, never what the plan says', async () => {
    const { services, w } = world;
    const pupil = await buildPupil(world.database.db, {
      schoolId: w.school.id,
      classId: w.classA.id,
      forename: 'Priya',
      surname: 'Patel',
      stage: 'sen_support',
      primaryNeed: 'SPLD',
    });
    const parent = await buildParent(world.database.db, pupil, {
      name: 'Ravi Patel',
      relationship: 'Father',
    });
    const planId = await services.plans.start(w.senco.actor, pupil.id);
    const plan = await services.plans.view(w.senco.actor, planId);
    await services.plans.update(w.senco.actor, planId, plan.plan.version, {
      needAreas: ['cognition_and_learning'],
      strengths: 'Confidential strengths',
      areasOfConcern: 'Confidential concern',
      desiredOutcomes: 'Confidential outcomes',
      qualityFirst: null,
      interventions: null,
      taSupport: null,
      resources: null,
      parentPupilContribution: null,
      parentsSupportAtHome: null,
      parentsViews: null,
      pupilViews: null,
      startDate: '2026-11-16',
      reviewDate: '2027-02-08',
      targets: ['Spell ten tricky words', 'Use a word mat unprompted'].map((target) => ({
        id: null,
        area: 'cognition_and_learning' as const,
        target,
        achievementCriteria: null,
        resourcesAndTechniques: null,
        classStrategies: null,
        bankEntryId: null,
      })),
    });
    await expect(services.plans.view(w.office.actor, planId)).rejects.toBeInstanceOf(ForbiddenError);
    const t = await templateOf('plan_shared');
    const letterId = await services.letters.produce(
      w.office.actor,
      pupil.id,
      letterInput(t.id, [parent.id], { sentVia: 'post' }),
    );
    const { letter } = await services.letters.view(w.office.actor, letterId);
    expect(letter.body).toContain('starts on 16 November 2026');
    expect(letter.body).toContain('It sets out 2 targets');
    expect(letter.body).toContain('on or around 8 February 2027');
    expect(letter.body).not.toMatch(/Confidential|Spell ten tricky words|word mat/);
    expect(letter.slipExpected).toBe(false);
    expect(letter.planId).toBe(planId);
  });

  it('tells parents the pupil’s current provision when the writer may read it; the office gets a line to fill by hand', async () => {
    const { services, w, database } = world;
    const phonics = await buildIntervention(database.db, {
      schoolId: w.school.id,
      name: 'Phonics catch-up: small group',
    });
    await buildProvisionGroup(database.db, {
      schoolId: w.school.id,
      interventionId: phonics.id,
      name: 'Phonics catch-up: Year 4',
      // Delivered from outside, so that nobody on the staff reaches Kit through the group.
      deliverer: { name: 'Northshire Reading Service' },
      delivererKind: 'external',
      startDate: '2026-09-07',
      sessionsPerWeek: 3,
      minutesPerSession: 20,
      agency: 'Northshire Reading Service',
      pupilIds: [w.pupilK.id],
    });
    const input = { name: 'Provision', body: 'Support: {{pupil.provision}}', slip: null };
    const line =
      'Phonics catch-up: small group: 3 × 20 minutes a week, delivered by Northshire Reading Service (Outside agency), since 7 September 2026';
    expect((await services.letters.previewTemplate(w.senco.actor, input, w.pupilK.id)).body).toBe(
      `Support: ${line}`,
    );
    // Eli is in no group: the letter says so.
    expect((await services.letters.previewTemplate(w.senco.actor, input, w.pupilE.id)).body).toBe(
      'Support: No additional provision at the moment',
    );
    const templateId = await services.letters.addTemplate(w.senco.actor, 'other', input);
    const office = await services.letters.writeForm(w.office.actor, w.pupilK.id, { templateId });
    expect(office.preview?.body).toBe('Support: ______________');
    const senco = await services.letters.writeForm(w.senco.actor, w.pupilK.id, { templateId });
    expect(senco.preview?.body).toBe(`Support: ${line}`);
  });

  it('keeps a letter’s text as it was sent when the template changes afterwards', async () => {
    const { services, w } = world;
    const t = await templateOf('leaving_register');
    const letterId = await services.letters.produce(
      w.senco.actor,
      w.pupilK.id,
      letterInput(t.id, [w.parentK.id]),
    );
    const before = (await services.letters.view(w.senco.actor, letterId)).letter.body;
    await services.letters.saveTemplate(w.senco.actor, t.id, t.version, {
      ...t,
      body: 'A completely different letter for {{pupil.forename}}.',
    });
    const after = (await services.letters.view(w.senco.actor, letterId)).letter.body;
    expect(after).toBe(before);
    expect(after).toContain('is therefore leaving our Special Educational Needs register');
  });

  it('names the pupil and the class the letter was about when it was sent, after the pupil moves class; a new letter follows the move', async () => {
    const { services, w } = world;
    const joshua = await buildPupil(world.database.db, {
      schoolId: w.school.id,
      classId: w.classA.id,
      forename: 'Joshua',
      surname: 'Hall',
    });
    const parent = await buildParent(world.database.db, joshua, { name: 'Jo Hall' });
    const t = await templateOf('register_placement');
    const letterId = await services.letters.produce(
      w.office.actor,
      joshua.id,
      letterInput(t.id, [parent.id], { sentOn: '2026-11-02' }),
    );
    await services.classes.movePupils(w.office.actor, w.classA.id, {
      pupilIds: [joshua.id],
      toClassId: w.classB.id,
      movedOn: '2026-11-16',
    });
    for (const format of ['print', 'pdf'] as const) {
      const document = letterDocument(await services.letters.forDocument(w.office.actor, letterId, format));
      expect(document.about).toBe('About Joshua Hall, Year 4 Oak');
      expect(document.slip?.pupilLine).toBe('Pupil: Joshua Hall (Year 4 Oak)');
    }
    // A letter written now (its preview, then the letter) is about the pupil as they are now.
    const form = await services.letters.writeForm(w.office.actor, joshua.id, { templateId: t.id });
    expect(form.className).toBe('Year 5 Ash');
    const now = await services.letters.produce(w.office.actor, joshua.id, letterInput(t.id, [parent.id]));
    const later = letterDocument(await services.letters.forDocument(w.office.actor, now, 'pdf'));
    expect(later.about).toBe('About Joshua Hall, Year 5 Ash');
  });

  it('asks for the meeting’s date and time for an invitation, and for whom the letter is', async () => {
    const { services, w } = world;
    const t = await templateOf('review_invitation');
    const attempt = services.letters.produce(w.senco.actor, w.pupilK.id, letterInput(t.id, []));
    const error = (await attempt.catch((e) => e)) as ValidationError;
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.errors.map((e) => e.field)).toEqual(['recipientIds', 'meetingDate', 'meetingTime']);
    const letterId = await services.letters.produce(
      w.senco.actor,
      w.pupilK.id,
      letterInput(t.id, [w.parentK.id], { meetingDate: '2026-12-03', meetingTime: '3:30pm' }),
    );
    const { letter } = await services.letters.view(w.senco.actor, letterId);
    expect(letter.body).toContain('on 3 December 2026 at 3:30pm');
    await expect(
      services.letters.produce(w.senco.actor, w.pupilK.id, letterInput(t.id, [w.otherParent.id])),
    ).rejects.toThrow(/Choose parents and carers from the list/);
  });

  it('lets class teachers read their pupils’ letters but not write them, and hides them from everyone else', async () => {
    const { services, w } = world;
    const t = await templateOf('plan_shared');
    const letterId = await services.letters.produce(
      w.head.actor,
      w.pupilK.id,
      letterInput(t.id, [w.parentK.id]),
    );
    const seen = await services.letters.view(w.teacherA.actor, letterId);
    expect(seen.actions).toEqual({ print: true, recordSlip: false });
    await expect(
      services.letters.produce(w.teacherA.actor, w.pupilK.id, letterInput(t.id, [w.parentK.id])),
    ).rejects.toBeInstanceOf(ForbiddenError);
    await expect(services.letters.view(w.teacherB.actor, letterId)).rejects.toBeInstanceOf(NotFoundError);
    await expect(services.letters.view(w.ta.actor, letterId)).rejects.toBeInstanceOf(NotFoundError);
    await expect(services.letters.view(w.otherSenco.actor, letterId)).rejects.toBeInstanceOf(NotFoundError);
    await expect(services.letters.view(w.governor.actor, letterId)).rejects.toBeInstanceOf(ForbiddenError);
    // Another school's probe is recorded where this school sees it.
    const probes = await world.database.db
      .select()
      .from(auditEvent)
      .where(
        and(eq(auditEvent.schoolId, w.school.id), eq(auditEvent.action, 'access.probe_from_other_school')),
      );
    expect(probes.some((p) => p.pupilId === w.pupilK.id)).toBe(true);
  });
});
