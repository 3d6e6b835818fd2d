import { randomUUID } from 'node:crypto';
import type { Database } from '../../db/client.ts';
import { reachesFor } from '../../domain/access.ts';
import { formatDateTime } from '../../domain/dates.ts';
import {
  applyToCarer,
  changesOfCarer,
  decideContactChange,
  findContactChange,
  insertContactChange,
  waitingChanges,
  waitingCount,
} from '../../repositories/contact-changes.ts';
import type { Actor } from '../kernel/actor.ts';
import { audit } from '../kernel/audit.ts';
import { requireSection } from '../kernel/authorise.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../kernel/errors.ts';
import { type MailContext, NO_MAIL_CONTEXT } from '../kernel/ports.ts';
import { changePupil } from '../kernel/unit-of-work.ts';
import { auditFamilyRead, changeAsFamily, familyChild } from './access.ts';
import { queueFamilyMail } from './mail.ts';

/*
 * A parent's contact details (docs/adr/0039): they see the phone and email the school holds for them and
 * ask for a change; the change waits until the office or the SENCo confirms it (then it replaces the
 * school's record) or declines it with a reason the parent sees. Paper and a phone call stay open too.
 */

export interface ContactChangeInput {
  phone: string | null;
  email: string | null;
  note: string | null;
}

export type ContactDecision =
  | { decision: 'accept'; carerVersion: number }
  | { decision: 'decline'; reason: string };

const NOT_FOUND = (id: string) =>
  new NotFoundError('Change of contact details not found', { kind: 'contact_change', id });

/** The staff who decide: those who change parents' details for the whole school (the office, the SENCo). */
function requireDecider(actor: Actor) {
  const a = requireSection(actor, 'identity', 'write');
  if (!reachesFor(a.roles, 'identity', 'write').includes('school'))
    throw new ForbiddenError('Your role does not include changing parents’ details', 'identity.write');
  return a;
}

/**
 * The mail that tells a parent the school decided (general words, no child named), to the address the
 * record has once decided. (A family mail queue with the parent's own mail choices may replace this.)
 */
export function createContactChangeService(database: Database, mail: MailContext = NO_MAIL_CONTEXT) {
  const { db } = database;
  return {
    /** The parent's page: the details the school holds for them, and what they asked for before. */
    async contact(actor: Actor, pupilId: string) {
      const child = await familyChild(db, actor, pupilId, { section: 'identity' });
      const carer = child.carers[0]!;
      const changes = await changesOfCarer(db, child.pupil.schoolId, carer.id);
      await auditFamilyRead(db, child.parent, child, 'family.read', { record: 'contact', id: carer.id });
      const p = child.pupil;
      return {
        pupilId: p.id,
        childName: `${p.preferredName ?? p.forename} ${p.surname}`,
        schoolName: child.schoolName,
        carer: { name: carer.name, phone: carer.phone, email: carer.email },
        changes: changes.map((c) => ({
          id: c.id,
          phone: c.phone,
          email: c.email,
          note: c.note,
          status: c.status,
          sentAt: formatDateTime(c.createdAt),
          decidedAt: c.decidedAt ? formatDateTime(c.decidedAt) : null,
          declineReason: c.declineReason,
        })),
      };
    },

    /** Ask the school to change the details it holds; kept as waiting until staff decide. */
    async ask(actor: Actor, pupilId: string, input: ContactChangeInput): Promise<string> {
      return changeAsFamily(db, actor, pupilId, { section: 'identity', level: 'read' }, async (w) => {
        const carer = w.child.carers[0]!;
        const phone = input.phone && input.phone !== carer.phone ? input.phone : null;
        const email = input.email && input.email !== carer.email ? input.email : null;
        if (!phone && !email && !input.note)
          throw new ValidationError([
            {
              field: 'phone',
              message:
                'Enter a new phone number or email address, or write what else has changed. The details you entered are the ones the school already has.',
            },
          ]);
        const id = randomUUID();
        await insertContactChange(w.tx, {
          schoolId: w.child.pupil.schoolId,
          id,
          pupilId,
          parentCarerId: carer.id,
          requestedBy: w.actor.userId,
          phone,
          email,
          note: input.note,
        });
        w.audit('family.contact_change_asked', {
          pupilId,
          detail: {
            contactChangeId: id,
            phone: phone !== null,
            email: email !== null,
            note: input.note !== null,
          },
        });
        return id;
      });
    },

    /** How many changes wait for the school (for the office's and SENCo's home). Zero for anyone else. */
    async waitingCount(actor: Actor): Promise<number> {
      if (actor.kind !== 'staff' || !actor.schoolId) return 0;
      if (!reachesFor(actor.roles, 'identity', 'write').includes('school')) return 0;
      return waitingCount(db, actor.schoolId);
    },

    /** The school's waiting changes, for the office and the SENCo. Audited with the pupils listed. */
    async list(actor: Actor) {
      const a = requireDecider(actor);
      const rows = await waitingChanges(db, a.schoolId);
      for (const pupilId of new Set(rows.map((r) => r.change.pupilId)))
        await audit(db, a, 'pupil.viewed', { pupilId, detail: { list: 'contact changes' } });
      return rows.map((r) => ({
        id: r.change.id,
        pupilName: `${r.pupilForename} ${r.pupilSurname}`,
        carerName: r.carerName,
        sentAt: formatDateTime(r.change.createdAt),
        phone: r.change.phone,
        email: r.change.email,
        note: r.change.note,
        asked: [r.change.phone, r.change.email, r.change.note].filter((x) => x).join('; '),
      }));
    },

    /** One change to decide: what was asked and the record as it is now (its version). */
    async view(actor: Actor, id: string, options: { audit: boolean } = { audit: true }) {
      const a = requireDecider(actor);
      const found = await findContactChange(db, a.schoolId, id);
      if (!found) throw NOT_FOUND(id);
      const { change, carer } = found;
      return changePupil(db, a, change.pupilId, { section: 'identity', level: 'write' }, async (w) => {
        if (options.audit)
          w.audit('pupil.opened_form', {
            pupilId: change.pupilId,
            detail: { form: 'decide a change of contact details', contactChangeId: id },
          });
        return {
          change: {
            id: change.id,
            status: change.status,
            phone: change.phone,
            email: change.email,
            note: change.note,
            sentAt: formatDateTime(change.createdAt),
            declineReason: change.declineReason,
          },
          carer: {
            name: carer.name,
            relationship: carer.relationship,
            phone: carer.phone,
            email: carer.email,
          },
          pupilName: `${w.pupil.forename} ${w.pupil.surname}`,
          version: carer.version,
        };
      });
    },

    /**
     * Confirm (the record takes the new phone and email; a record changed since the page was opened
     * refuses, showing it as it is now) or decline with a reason the parent sees. Either way the parent
     * is told by mail, in general words.
     */
    async decide(actor: Actor, id: string, input: ContactDecision): Promise<void> {
      const a = requireDecider(actor);
      const first = await findContactChange(db, a.schoolId, id);
      if (!first) throw NOT_FOUND(id);
      await changePupil(db, a, first.change.pupilId, { section: 'identity', level: 'write' }, async (w) => {
        const found = await findContactChange(w.tx, a.schoolId, id, { lock: true });
        if (!found) throw NOT_FOUND(id);
        const { change, carer } = found;
        if (change.status !== 'waiting')
          throw new ValidationError([
            {
              field: 'decision',
              message: `This change was already ${change.status === 'accepted' ? 'confirmed' : 'declined'}: nothing was changed`,
            },
          ]);
        let _to = carer.email;
        if (input.decision === 'accept') {
          const values: { phone?: string; email?: string } = {};
          if (change.phone) values.phone = change.phone;
          if (change.email) values.email = change.email;
          const saved =
            Object.keys(values).length === 0 ||
            (carer.version === input.carerVersion &&
              (await applyToCarer(w.tx, a.schoolId, carer.id, input.carerVersion, values)));
          if (!saved)
            throw new ConflictError(
              `Someone else changed ${carer.name}’s details after you opened this page. The details as they are now are shown below: check the change against them and confirm again.`,
              { name: carer.name, phone: carer.phone, email: carer.email },
            );
          _to = change.email ?? carer.email;
        }
        await decideContactChange(w.tx, a.schoolId, id, {
          status: input.decision === 'accept' ? 'accepted' : 'declined',
          decidedBy: a.userId,
          declineReason: input.decision === 'decline' ? input.reason : null,
        });
        w.audit(
          input.decision === 'accept' ? 'family.contact_change_accepted' : 'family.contact_change_declined',
          {
            pupilId: change.pupilId,
            detail: { contactChangeId: id, parentId: carer.id },
          },
        );
        // To the parent's account that asked (not the record's address, which may be the one changed).
        await queueFamilyMail(w.tx, {
          schoolId: a.schoolId,
          pupilId: change.pupilId,
          kind: 'family.contact_change',
          values: { link: `${mail.publicUrl}/children/${change.pupilId}/contact` },
          userIds: [change.requestedBy],
        });
      });
      mail.jobsQueued();
    },
  };
}

export type ContactChangeService = ReturnType<typeof createContactChangeService>;
