import { and, eq } from 'drizzle-orm';
import type { Executor } from '../db/client.ts';
import { storedFile } from '../db/schema/index.ts';

export type StoredFileRow = typeof storedFile.$inferSelect;
export type StoredFileInfo = Omit<StoredFileRow, 'bytes'>;

export async function insertStoredFile(db: Executor, values: typeof storedFile.$inferInsert): Promise<void> {
  await db.insert(storedFile).values(values);
}

const info = {
  ownerId: storedFile.ownerId,
  ownerKind: storedFile.ownerKind,
  id: storedFile.id,
  pupilId: storedFile.pupilId,
  name: storedFile.name,
  contentType: storedFile.contentType,
  extension: storedFile.extension,
  size: storedFile.size,
  sha256: storedFile.sha256,
  uploadedBy: storedFile.uploadedBy,
  uploadedByName: storedFile.uploadedByName,
  createdAt: storedFile.createdAt,
};

/** A file's details without its bytes. */
export async function findStoredFileInfo(
  db: Executor,
  ownerId: string,
  id: string,
): Promise<StoredFileInfo | null> {
  const rows = await db
    .select(info)
    .from(storedFile)
    .where(and(eq(storedFile.ownerId, ownerId), eq(storedFile.id, id)));
  return rows[0] ?? null;
}

export async function readStoredFile(
  db: Executor,
  ownerId: string,
  id: string,
): Promise<StoredFileRow | null> {
  const rows = await db
    .select()
    .from(storedFile)
    .where(and(eq(storedFile.ownerId, ownerId), eq(storedFile.id, id)));
  return rows[0] ?? null;
}

/** The files an owner keeps for a pupil, without their bytes. */
export async function storedFilesOfPupil(
  db: Executor,
  ownerId: string,
  pupilId: string,
): Promise<StoredFileInfo[]> {
  return db
    .select(info)
    .from(storedFile)
    .where(and(eq(storedFile.ownerId, ownerId), eq(storedFile.pupilId, pupilId)))
    .orderBy(storedFile.createdAt);
}
