import { randomUUID } from 'node:crypto';
import type { Database } from '../../db/client.ts';
import { fieldChanges } from '../../domain/audit.ts';
import { mayBeInvited } from '../../domain/family-invitations.ts';
import { endLinksOfCarer, endOpenInvitations } from '../../repositories/family-invitations.ts';
import {
  deleteParent,
  findParent,
  insertParents,
  parentsOfPupil,
  updateParent,
} from '../../repositories/pupils.ts';
import type { Actor } from '../kernel/actor.ts';
import { audit } from '../kernel/audit.ts';
import { requireSection } from '../kernel/authorise.ts';
import { ConflictError, NotFoundError } from '../kernel/errors.ts';
import { pupilFor } from '../kernel/pupil-access.ts';
import { changePupil } from '../kernel/unit-of-work.ts';

export interface ParentCarerInput {
  name: string;
  relationship: string;
  phone: string | null;
  email: string | null;
  parentalResponsibility: boolean;
  /** A court order limits what this parent may be told or see: they are never invited online. */
  courtOrder: boolean;
}

const PARENT_LABELS = {
  name: 'Name',
  relationship: 'Relationship',
  phone: 'Telephone',
  email: 'Email',
  parentalResponsibility: 'Parental responsibility',
  courtOrder: 'Court order',
};

const WRITE = { section: 'identity', level: 'write' } as const;

/** Parents and carers: part of the pupil's details and contacts. */
export function createParents(database: Database) {
  const { db } = database;
  const parentOr404 = async (
    tx: Parameters<typeof findParent>[0],
    schoolId: string,
    pupilId: string,
    parentId: string,
  ) => {
    const parent = await findParent(tx, schoolId, pupilId, parentId);
    if (!parent) throw new NotFoundError('Parent or carer not found', { kind: 'parent', id: parentId });
    return parent;
  };

  return {
    async addParent(actor: Actor, pupilId: string, parent: ParentCarerInput): Promise<void> {
      const a = requireSection(actor, 'identity', 'write');
      await changePupil(db, a, pupilId, WRITE, async (w) => {
        const existing = await parentsOfPupil(w.tx, a.schoolId, pupilId);
        await insertParents(w.tx, [
          {
            schoolId: a.schoolId,
            id: randomUUID(),
            pupilId,
            ...parent,
            contactPriority: existing.length + 1,
          },
        ]);
        w.audit('pupil.parent_added', {
          pupilId,
          detail: { name: parent.name, relationship: parent.relationship },
        });
      });
    },

    /** A parent or carer of a pupil the actor may change, for the edit form. */
    async parentForEdit(
      actor: Actor,
      pupilId: string,
      parentId: string,
      options: { audit: boolean } = { audit: true },
    ) {
      const a = requireSection(actor, 'identity', 'write');
      const found = await pupilFor(db, a, pupilId, WRITE);
      const parent = await parentOr404(db, a.schoolId, pupilId, parentId);
      if (options.audit)
        await audit(db, a, 'pupil.opened_form', {
          pupilId,
          detail: { form: 'change a parent or carer’s details', parentId },
        });
      return { ...found, parent };
    },

    async updateParent(
      actor: Actor,
      pupilId: string,
      parentId: string,
      version: number,
      input: ParentCarerInput,
    ): Promise<void> {
      const a = requireSection(actor, 'identity', 'write');
      await changePupil(db, a, pupilId, WRITE, async (w) => {
        const parent = await parentOr404(w.tx, a.schoolId, pupilId, parentId);
        const saved = await updateParent(w.tx, a.schoolId, parentId, version, input);
        if (!saved) {
          throw new ConflictError(
            `Someone else changed ${parent.name}’s details while you were editing. Their change is shown below; your changes are kept in the form: check them and save again.`,
            {
              name: parent.name,
              relationship: parent.relationship,
              phone: parent.phone,
              email: parent.email,
              parentalResponsibility: parent.parentalResponsibility,
              courtOrder: parent.courtOrder,
            },
          );
        }
        const changes = fieldChanges(parent, input, PARENT_LABELS, (_k, v) =>
          typeof v === 'boolean' ? (v ? 'Yes' : 'No') : v === null || v === undefined ? '' : String(v),
        );
        w.audit('pupil.parent_changed', { pupilId, detail: { parentId, changes } });
        // No parental responsibility, or a court order: their access to OpenSEND ends with this save
        // (the link and any invitation not used), and comes back only with a new invitation.
        if (!mayBeInvited(input)) {
          const now = new Date();
          const accounts = await endLinksOfCarer(w.tx, a.schoolId, parentId, a.userId, now);
          const invitations = await endOpenInvitations(w.tx, a.schoolId, parentId, a.userId, now);
          if (accounts.length > 0 || invitations.length > 0)
            w.audit('family.access_ended', {
              pupilId,
              detail: {
                parentId,
                accountsEnded: accounts.length,
                invitationsEnded: invitations,
                reason: input.courtOrder ? 'court_order' : 'no_parental_responsibility',
              },
            });
        }
      });
    },

    async removeParent(actor: Actor, pupilId: string, parentId: string): Promise<string> {
      const a = requireSection(actor, 'identity', 'write');
      return changePupil(db, a, pupilId, WRITE, async (w) => {
        const parent = await parentOr404(w.tx, a.schoolId, pupilId, parentId);
        const accountsUnlinked = await deleteParent(w.tx, a.schoolId, parentId);
        w.audit('pupil.parent_removed', {
          pupilId,
          detail: {
            parentId,
            name: parent.name,
            relationship: parent.relationship,
            ...(accountsUnlinked ? { accountsUnlinked } : {}),
          },
        });
        return parent.name;
      });
    },
  };
}
