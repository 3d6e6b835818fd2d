import { randomUUID } from 'node:crypto';
import type { Database, Executor } from '../../db/client.ts';
import { atLeast, type Level, sectionAccess } from '../../domain/access.ts';
import { fieldChanges } from '../../domain/audit.ts';
import { academicYearStartOf, effectiveNcYear, ncYearLabel } from '../../domain/calendar.ts';
import { formatDate, type IsoDate } from '../../domain/dates.ts';
import {
  LETTER_KINDS,
  type LetterKind,
  type MergeInput,
  mergeValues,
  namesInText,
  renderTemplate,
  type SentVia,
  STARTER_TEMPLATES,
  sampleMergeInput,
  templateProblems,
  usesMeeting,
} from '../../domain/letters.ts';
import { currentProvision } from '../../domain/provision-summary.ts';
import { pupilDateProblem } from '../../domain/pupil-dates.ts';
import { letterActions } from '../../policies/letter.ts';
import { familyReadsOf } from '../../repositories/family-reading.ts';
import { failedLetterNotices, repliesOfLetter } from '../../repositories/letter-replies.ts';
import {
  findLetter,
  findTemplate,
  hasTemplates,
  insertLetters,
  insertTemplates,
  type LetterTemplateRow,
  lockSchoolTemplates,
  planFactsOf,
  recordSlipReturn,
  templatesOfSchool,
  updateTemplate,
} from '../../repositories/letters.ts';
import { provisionOfPupil } from '../../repositories/provision.ts';
import { listPupils, type PupilRow, parentsOfPupil } from '../../repositories/pupils.ts';
import { findSchool } from '../../repositories/schools.ts';
import { activeStaffWithRole } from '../../repositories/staff.ts';
import { queueFamilyMail } from '../family/mail.ts';
import { type Actor, type SchoolActor, scopeOf } from '../kernel/actor.ts';
import { audit } from '../kernel/audit.ts';
import { mayUseSection, requireCapability, requireSection } from '../kernel/authorise.ts';
import type { Clock } from '../kernel/clock.ts';
import { ConflictError, type FieldError, NotFoundError, ValidationError } from '../kernel/errors.ts';
import { type MailContext, NO_MAIL_CONTEXT } from '../kernel/ports.ts';
import { pupilFor } from '../kernel/pupil-access.ts';
import { changePupil, unitOfWork } from '../kernel/unit-of-work.ts';
import { createSettings } from '../plans/settings.ts';

export interface TemplateInput {
  name: string;
  body: string;
  slip: string | null;
}

export interface LetterInput {
  templateId: string;
  /** The parents and carers it is for (ids of the pupil's parents and carers). */
  recipientIds: string[];
  sentOn: IsoDate;
  sentVia: SentVia;
  meetingDate: IsoDate | null;
  meetingTime: string | null;
}

const WRITE = { section: 'letters', level: 'write' } as const;

const TEMPLATE_LABELS = { name: 'Name', body: 'Letter', slip: 'Reply slip' };

/**
 * Letters to parents and carers: the school's templates (the SENCo keeps them; every school starts
 * with the starter set), letters produced from them for a pupil with the text stored as sent, and the
 * signed slips the office records when they come back.
 */
export function createLetterService(database: Database, clock: Clock, mail: MailContext = NO_MAIL_CONTEXT) {
  const { db } = database;
  const settings = createSettings(database);

  /** The starter templates, added the first time a school's templates are needed. */
  async function ensureStarter(schoolId: string) {
    if (await hasTemplates(db, schoolId)) return;
    await db.transaction(async (tx) => {
      // Serialised per school so two first visits at once add one set.
      await lockSchoolTemplates(tx, schoolId);
      if (await hasTemplates(tx, schoolId)) return;
      const now = Date.now();
      await insertTemplates(
        tx,
        STARTER_TEMPLATES.map((t, i) => ({
          schoolId,
          id: randomUUID(),
          kind: t.kind,
          name: t.name,
          body: t.body,
          slip: t.slip,
          // In the order the starter list gives them.
          createdAt: new Date(now + i),
        })),
      );
    });
  }

  async function templateOr404(tx: Executor, schoolId: string, templateId: string) {
    const t = await findTemplate(tx, schoolId, templateId);
    if (!t) throw new NotFoundError('Letter template not found', { kind: 'letter_template', id: templateId });
    return t;
  }

  function checkTemplate(input: TemplateInput) {
    const errors: FieldError[] = [];
    const body = templateProblems(input.body);
    if (body.length > 0) errors.push({ field: 'body', message: body.join('; ') });
    const slip = templateProblems(input.slip ?? '');
    if (slip.length > 0) errors.push({ field: 'slip', message: slip.join('; ') });
    if (errors.length > 0) throw new ValidationError(errors);
  }

  /** Who signs as the SENCo: the actor when they are one, else the school's first SENCo by name. */
  async function sencoName(tx: Executor, a: SchoolActor): Promise<string | null> {
    if (a.roles.includes('senco')) return a.name;
    return (await activeStaffWithRole(tx, a.schoolId, 'senco'))[0]?.name ?? null;
  }

  /** Everything the merge fields are filled from, for one pupil; of their plan, only dates and a count. */
  async function mergeInputFor(
    tx: Executor,
    a: SchoolActor,
    pupil: PupilRow,
    className: string | null,
    recipients: string[],
    meeting: MergeInput['meeting'],
    values: { planName: string; maxTargets: number },
    access: { provision: Level | null },
  ): Promise<MergeInput> {
    // In order, not at once: inside a transaction there is one connection.
    const school = await findSchool(tx, a.schoolId);
    const senco = await sencoName(tx, a);
    const plan = await planFactsOf(tx, a.schoolId, pupil.id);
    // The pupil's provision only for a writer who may read it (one query); else the field is left blank.
    const provision = atLeast(access.provision, 'read')
      ? currentProvision(await provisionOfPupil(tx, a.schoolId, pupil.id), clock.today())
      : null;
    return {
      pupil: {
        forename: pupil.forename,
        preferredName: pupil.preferredName,
        surname: pupil.surname,
        dateOfBirth: pupil.dateOfBirth,
        className,
        yearGroup: ncYearLabel(effectiveNcYear(pupil.dateOfBirth, pupil.ncYearOverride, clock.today())),
      },
      recipients,
      schoolName: school?.name ?? '',
      sencoName: senco,
      today: clock.today(),
      planName: values.planName,
      plan,
      maxTargets: values.maxTargets,
      meeting,
      provision,
    };
  }

  function rendered(t: Pick<LetterTemplateRow, 'body' | 'slip'>, input: MergeInput) {
    const values = mergeValues(input);
    return { body: renderTemplate(t.body, values), slip: t.slip ? renderTemplate(t.slip, values) : null };
  }

  /** The parents and carers a letter can go to (those the actor may see), with parental responsibility first. */
  async function parentsFor(a: SchoolActor, pupilId: string, access: { identity: unknown }) {
    return access.identity ? parentsOfPupil(db, a.schoolId, pupilId) : [];
  }

  return {
    // Templates (the SENCo and head: settings.manage)

    /** The school's templates, for the settings page. */
    async templates(actor: Actor) {
      const a = requireCapability(actor, 'settings.manage');
      await ensureStarter(a.schoolId);
      return templatesOfSchool(db, a.schoolId);
    },

    /**
     * A template to change, with the pupils a preview can use (those on the register or the monitoring
     * list, when the actor may see the register).
     */
    async templateForEdit(actor: Actor, templateId: string | null) {
      const a = requireCapability(actor, 'settings.manage');
      await ensureStarter(a.schoolId);
      const template = templateId ? await templateOr404(db, a.schoolId, templateId) : null;
      const previewPupils = mayUseSection(a, 'register')
        ? (
            await listPupils(
              db,
              scopeOf(a),
              'letters',
              { listedOnly: true },
              academicYearStartOf(clock.today()),
              { limit: 500, offset: 0 },
            )
          ).rows
        : [];
      return {
        template,
        previewPupils: previewPupils.map((p) => ({ id: p.id, name: `${p.surname}, ${p.forename}` })),
      };
    },

    /**
     * The template filled in, before it is saved: with made-up values, or a real pupil's (a view of
     * that pupil's letters, audited). Refused with the unknown field named.
     */
    async previewTemplate(actor: Actor, input: TemplateInput, pupilId: string | null) {
      const a = requireCapability(actor, 'settings.manage');
      checkTemplate(input);
      let mergeInput: MergeInput;
      if (pupilId) {
        const found = await pupilFor(db, a, pupilId, { section: 'letters' });
        const parents = (await parentsFor(a, pupilId, found.access)).filter((p) => p.parentalResponsibility);
        mergeInput = await mergeInputFor(
          db,
          a,
          found.pupil,
          found.className,
          parents.map((p) => p.name),
          null,
          await settings.values(a.schoolId),
          found.access,
        );
        await audit(db, a, 'letter.viewed', { pupilId, detail: { preview: true } });
      } else {
        const values = await settings.values(a.schoolId);
        const school = await findSchool(db, a.schoolId);
        mergeInput = sampleMergeInput(clock.today(), school?.name ?? '', values.planName, values.maxTargets);
      }
      return rendered(input, mergeInput);
    },

    /** Save a template (with optimistic locking); a template naming an unknown field is refused, naming it. */
    async saveTemplate(actor: Actor, templateId: string, version: number, input: TemplateInput) {
      const a = requireCapability(actor, 'settings.manage');
      checkTemplate(input);
      await unitOfWork(db, a, async (w) => {
        const before = await templateOr404(w.tx, a.schoolId, templateId);
        const saved = await updateTemplate(w.tx, a.schoolId, templateId, version, {
          ...input,
          updatedBy: a.userId,
          updatedByName: a.name,
        });
        if (!saved) {
          throw new ConflictError(
            `${before.updatedByName ?? 'Someone else'} changed this template while you were editing it. Their version is shown; your text is kept in the form: check it and save again.`,
            { name: before.name, body: before.body, slip: before.slip },
          );
        }
        w.audit('letter_template.changed', {
          detail: { templateId, name: input.name, changes: fieldChanges(before, input, TEMPLATE_LABELS) },
        });
      });
    },

    /** A new template of the school's own (another letter, or a second version of one). */
    async addTemplate(actor: Actor, kind: LetterKind, input: TemplateInput): Promise<string> {
      const a = requireCapability(actor, 'settings.manage');
      if (!LETTER_KINDS.includes(kind))
        throw new ValidationError([{ field: 'kind', message: 'Choose what the letter is for' }]);
      checkTemplate(input);
      await ensureStarter(a.schoolId);
      const id = randomUUID();
      await unitOfWork(db, a, async (w) => {
        await insertTemplates(w.tx, [
          { schoolId: a.schoolId, id, kind, ...input, updatedBy: a.userId, updatedByName: a.name },
        ]);
        w.audit('letter_template.changed', { detail: { templateId: id, name: input.name, created: true } });
      });
      return id;
    },

    // Letters (the letters section: the office, the SENCo and the head write them)

    /**
     * The "write a letter" form for a pupil: the templates, the parents and carers it can go to (those
     * with parental responsibility chosen at first), and the chosen template filled in.
     */
    async writeForm(
      actor: Actor,
      pupilId: string,
      choice: { templateId: string | null; recipientIds?: string[] | null; meeting?: MergeInput['meeting'] },
      options: { audit: boolean } = { audit: true },
    ) {
      const a = requireSection(actor, 'letters', 'write');
      const found = await pupilFor(db, a, pupilId, WRITE);
      await ensureStarter(a.schoolId);
      const [templates, parents] = await Promise.all([
        templatesOfSchool(db, a.schoolId),
        parentsFor(a, pupilId, found.access),
      ]);
      const template = choice.templateId ? (templates.find((t) => t.id === choice.templateId) ?? null) : null;
      const chosen = choice.recipientIds
        ? parents.filter((p) => choice.recipientIds!.includes(p.id))
        : parents.filter((p) => p.parentalResponsibility);
      const preview = template
        ? rendered(
            template,
            await mergeInputFor(
              db,
              a,
              found.pupil,
              found.className,
              chosen.map((p) => p.name),
              choice.meeting ?? null,
              await settings.values(a.schoolId),
              found.access,
            ),
          )
        : null;
      if (options.audit)
        await audit(db, a, 'pupil.opened_form', { pupilId, detail: { form: 'write a letter to parents' } });
      return {
        pupil: found.pupil,
        className: found.className,
        templates,
        template,
        needsMeeting: template ? usesMeeting(template.body, template.slip) : false,
        parents,
        defaultRecipientIds: parents.filter((p) => p.parentalResponsibility).map((p) => p.id),
        preview,
      };
    },

    /**
     * Produce a letter: rendered now and stored as sent (a later change to the template does not alter
     * it), with when, to whom and how it went; a slip is expected back when the template has one.
     */
    async produce(actor: Actor, pupilId: string, input: LetterInput): Promise<string> {
      const a = requireSection(actor, 'letters', 'write');
      const id = randomUUID();
      const settingValues = await settings.values(a.schoolId);
      const queued = await changePupil(db, a, pupilId, WRITE, async (w) => {
        const template = await findTemplate(w.tx, a.schoolId, input.templateId);
        const errors: FieldError[] = [];
        if (!template) errors.push({ field: 'templateId', message: 'Choose a letter from the list' });
        const parents = w.access.identity ? await parentsOfPupil(w.tx, a.schoolId, pupilId) : [];
        const chosen = parents.filter((p) => input.recipientIds.includes(p.id));
        if (chosen.length !== new Set(input.recipientIds).size) {
          errors.push({ field: 'recipientIds', message: 'Choose parents and carers from the list' });
        } else if (parents.length > 0 && chosen.length === 0) {
          errors.push({ field: 'recipientIds', message: 'Choose who the letter is for' });
        }
        const dateProblem = pupilDateProblem(input.sentOn, w.pupil, 'The date sent', clock.today());
        if (dateProblem) errors.push({ field: 'sentOn', message: dateProblem });
        if (template && usesMeeting(template.body, template.slip)) {
          if (!input.meetingDate)
            errors.push({ field: 'meetingDate', message: 'Enter the date of the review meeting' });
          if (!input.meetingTime)
            errors.push({
              field: 'meetingTime',
              message: 'Enter the time of the review meeting, like 3:30pm',
            });
        }
        if (errors.length > 0 || !template) throw new ValidationError(errors);
        const names = chosen.map((p) => p.name);
        const mergeInput = await mergeInputFor(
          w.tx,
          a,
          w.pupil,
          w.className,
          names,
          { date: input.meetingDate, time: input.meetingTime },
          settingValues,
          w.access,
        );
        const text = rendered(template, mergeInput);
        const plan = await planFactsOf(w.tx, a.schoolId, pupilId);
        await insertLetters(w.tx, [
          {
            schoolId: a.schoolId,
            id,
            pupilId,
            templateId: template.id,
            kind: template.kind,
            planId: plan?.id ?? null,
            recipients: names.length > 0 ? namesInText(names) : 'Parent/Carer',
            recipientCarerIds: chosen.map((p) => p.id),
            body: text.body,
            slip: text.slip,
            pupilAsSent: { forename: w.pupil.forename, surname: w.pupil.surname, className: w.className },
            sentOn: input.sentOn,
            sentVia: input.sentVia,
            sentBy: a.userId,
            sentByName: a.name,
            slipExpected: text.slip !== null,
          },
        ]);
        // Each parent it is for who has an account hears of it by email (general words, never the child's
        // name), unless they turned that mail off; the letter itself is read on the family's pages.
        const mailed = await queueFamilyMail(w.tx, {
          schoolId: a.schoolId,
          pupilId,
          kind: 'family.letter',
          values: { link: `${mail.publicUrl}/children/${pupilId}/letters/${id}` },
          ...(chosen.length > 0 ? { parentCarerIds: chosen.map((p) => p.id) } : {}),
        });
        w.audit('letter.produced', {
          pupilId,
          detail: {
            letterId: id,
            kind: template.kind,
            sentVia: input.sentVia,
            templateId: template.id,
            ...(mailed.length > 0 ? { parentsEmailed: mailed.length } : {}),
          },
        });
        return mailed.length;
      });
      if (queued > 0) mail.jobsQueued();
      return id;
    },

    /** A letter with what the actor may do with it; every view is audited. */
    async view(actor: Actor, letterId: string, options: { audit: boolean } = { audit: true }) {
      const a = requireSection(actor, 'letters');
      const found = await findLetter(db, scopeOf(a), letterId);
      const access = found ? sectionAccess(a.roles, found.reaches) : null;
      if (!found || !access || !atLeast(access.letters, 'read')) {
        throw new NotFoundError('Letter not found', { kind: 'letter', id: letterId });
      }
      if (options.audit)
        await audit(db, a, 'letter.viewed', { pupilId: found.pupil.id, detail: { letterId } });
      // Parents' replies online (each parent's own), and emailed notices of it that could not be delivered.
      const [replies, failedNotices] = await Promise.all([
        repliesOfLetter(db, a.schoolId, letterId),
        failedLetterNotices(db, a.schoolId, letterId),
      ]);
      return {
        ...found,
        // Which parents read the letter online, and when (their read receipts; docs/adr/0039).
        familyReads: await familyReadsOf(db, a.schoolId, found.pupil.id, 'letter', letterId),
        replies,
        failedNotices,
        access,
        actions: letterActions(a, { letter: found.letter, pupil: found.pupil }, { access }),
        today: clock.today(),
      };
    },

    /** The letter for recording its signed slip: for those who write the pupil's letters. */
    async slipForm(actor: Actor, letterId: string, options: { audit: boolean } = { audit: true }) {
      const a = requireSection(actor, 'letters', 'write');
      const found = await this.view(a, letterId, options);
      if (!atLeast(found.access.letters, 'write')) {
        throw new NotFoundError('Letter not found', { kind: 'letter', id: letterId });
      }
      return found;
    },

    /** The letter for its print view or PDF, audited as printed. */
    async forDocument(actor: Actor, letterId: string, format: 'print' | 'pdf') {
      const a = requireSection(actor, 'letters');
      const found = await this.view(a, letterId, { audit: false });
      const school = await findSchool(db, a.schoolId);
      await audit(db, a, 'letter.printed', { pupilId: found.pupil.id, detail: { letterId, format } });
      const l = found.letter;
      return {
        id: l.id,
        pupilId: l.pupilId,
        kind: l.kind,
        body: l.body,
        slip: l.slip,
        recipients: l.recipients,
        sentOn: l.sentOn,
        sentVia: l.sentVia,
        sentByName: l.sentByName,
        // The pupil as the letter named them when it was sent, not as they are now.
        pupil: l.pupilAsSent,
        schoolName: school?.name ?? '',
      };
    },

    /** The office records the signed slip when it comes back (date and a note; version). */
    async recordSlip(
      actor: Actor,
      letterId: string,
      version: number,
      input: { returnedOn: IsoDate; note: string | null },
    ) {
      const a = requireSection(actor, 'letters', 'write');
      const found = await findLetter(db, scopeOf(a), letterId);
      if (!found) throw new NotFoundError('Letter not found', { kind: 'letter', id: letterId });
      await changePupil(db, a, found.pupil.id, WRITE, async (w) => {
        const current = await findLetter(w.tx, scopeOf(a), letterId, { lock: true });
        if (!current) throw new NotFoundError('Letter not found', { kind: 'letter', id: letterId });
        const l = current.letter;
        if (!l.slipExpected) {
          throw new ValidationError([{ field: 'form', message: 'This letter has no slip to return' }]);
        }
        if (l.slipReturnedOn || l.version !== version) {
          throw new ConflictError(
            l.slipReturnedOn
              ? `${l.slipRecordedByName ?? 'Someone else'} has already recorded this slip as returned on ${formatDate(l.slipReturnedOn)}.`
              : 'Someone else changed this letter while you were working on it: check it and try again.',
            {
              slipReturnedOn: l.slipReturnedOn,
              slipRecordedByName: l.slipRecordedByName,
              slipNote: l.slipNote,
            },
          );
        }
        if (input.returnedOn > clock.today()) {
          throw new ValidationError([
            { field: 'returnedOn', message: 'The date it came back must be today or in the past' },
          ]);
        }
        if (input.returnedOn < l.sentOn) {
          throw new ValidationError([
            { field: 'returnedOn', message: 'The date it came back cannot be before the letter was sent' },
          ]);
        }
        if (
          !(await recordSlipReturn(w.tx, a.schoolId, letterId, version, {
            slipReturnedOn: input.returnedOn,
            slipNote: input.note,
            slipRecordedBy: a.userId,
            slipRecordedByName: a.name,
          }))
        ) {
          throw new ConflictError('Someone else changed this letter while you were working on it.');
        }
        w.audit('letter.slip_recorded', {
          pupilId: l.pupilId,
          detail: { letterId, returnedOn: input.returnedOn },
        });
      });
    },
  };
}

export type LetterService = ReturnType<typeof createLetterService>;
