import { randomUUID } from 'node:crypto';
import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import type { Executor } from '../db/client.ts';
import { organisation, organisationCase, pupil, school } from '../db/schema/index.ts';
import type { CaseKind } from '../domain/cases.ts';
import type { RequestedBy } from '../domain/ehc.ts';
import type { PupilRow } from './pupils.ts';

/*
 * An organisation's cases about children (docs/adr/0029): the organisation's own rows, read by its key
 * (organisation_id, id), and linked to a school's pupil by school and pupil id and by UPN, never joined
 * to it by a foreign key.
 */

export type OrganisationCaseRow = typeof organisationCase.$inferSelect;

export async function insertOrganisationCase(db: Executor, row: typeof organisationCase.$inferInsert) {
  await db.insert(organisationCase).values(row);
}

export async function findOrganisationCase(
  db: Executor,
  organisationId: string,
  caseId: string,
  options: { lock?: boolean } = {},
): Promise<OrganisationCaseRow | null> {
  const query = db
    .select()
    .from(organisationCase)
    .where(and(eq(organisationCase.organisationId, organisationId), eq(organisationCase.id, caseId)));
  const rows = await (options.lock ? query.for('update') : query);
  return rows[0] ?? null;
}

/** The organisation's cases about a child, by their UPN (at whichever school they were opened). */
export async function organisationCasesByUpn(db: Executor, organisationId: string, upn: string) {
  return db
    .select()
    .from(organisationCase)
    .where(and(eq(organisationCase.organisationId, organisationId), eq(organisationCase.upn, upn)))
    .orderBy(organisationCase.openedOn, organisationCase.id);
}

/**
 * The pupil a case is about as they are now: their row at a school of the organisation that has their
 * UPN and has them on roll (the one the case named, if it still does; else the newest admission, as
 * after a move by Common Transfer File), else the row the case named (a child who left for a school not
 * on OpenSEND, or out of the area). `moved` says whether it is another row than the one named.
 */
export async function currentPupilOfCase(
  db: Executor,
  found: Pick<OrganisationCaseRow, 'organisationId' | 'schoolId' | 'pupilId' | 'upn'>,
): Promise<{ pupil: PupilRow; moved: boolean } | null> {
  const named = and(eq(pupil.schoolId, found.schoolId), eq(pupil.id, found.pupilId));
  const onRoll = await db
    .select({ pupil })
    .from(pupil)
    .innerJoin(school, eq(school.id, pupil.schoolId))
    .where(
      and(eq(school.organisationId, found.organisationId), eq(pupil.upn, found.upn), isNull(pupil.leftOn)),
    )
    .orderBy(desc(sql`(${named})`), sql`${pupil.admissionDate} desc nulls last`, desc(pupil.createdAt))
    .limit(1);
  const row = onRoll[0]?.pupil ?? (await db.select().from(pupil).where(named).limit(1))[0];
  if (!row) return null;
  return { pupil: row, moved: row.schoolId !== found.schoolId || row.id !== found.pupilId };
}

/** A pupil of one of the organisation's schools, by school and id: the child a case is opened about. */
export async function pupilOfOrganisation(
  tx: Executor,
  organisationId: string,
  schoolId: string,
  pupilId: string,
) {
  const rows = await tx
    .select({ schoolId: pupil.schoolId, id: pupil.id, upn: pupil.upn, leftOn: pupil.leftOn })
    .from(pupil)
    .innerJoin(school, eq(school.id, pupil.schoolId))
    .where(
      and(eq(pupil.schoolId, schoolId), eq(pupil.id, pupilId), eq(school.organisationId, organisationId)),
    )
    .limit(1);
  return rows[0] ?? null;
}

/**
 * The local authority a school sends its requests to, when that authority uses this installation: the
 * school's organisation, if it is a local authority. Null means the school downloads the files instead.
 */
export async function localAuthorityOfSchool(db: Executor, schoolId: string) {
  const rows = await db
    .select({ id: organisation.id, name: organisation.name })
    .from(school)
    .innerJoin(organisation, eq(organisation.id, school.organisationId))
    .where(and(eq(school.id, schoolId), eq(organisation.kind, 'local_authority')))
    .limit(1);
  return rows[0] ?? null;
}

/**
 * Open the local authority's case for what a school sent into its caseload (an EHC needs assessment
 * request or a top-up application): written in the school's unit of work, so the school's "sent" and
 * the authority's "received" are one change. The caller writes the organisation's audit row
 * (kernel/audit.ts `auditRowFor`).
 */
export async function receiveFromSchool(
  tx: Executor,
  input: {
    organisationId: string;
    schoolId: string;
    pupilId: string;
    upn: string;
    kind: CaseKind;
    requestId: string;
    requestedBy: RequestedBy | null;
    receivedOn: string;
    received: unknown;
    receivedFileId: string | null;
    openedBy: string | null;
  },
): Promise<string> {
  const id = randomUUID();
  await tx.insert(organisationCase).values({
    organisationId: input.organisationId,
    id,
    schoolId: input.schoolId,
    pupilId: input.pupilId,
    upn: input.upn,
    kind: input.kind,
    openedOn: input.receivedOn,
    openedBy: input.openedBy,
    stage: 'received',
    requestId: input.requestId,
    requestedBy: input.requestedBy,
    received: input.received,
    receivedFileId: input.receivedFileId,
  });
  return id;
}
