import { createHash, randomUUID } from 'node:crypto';
import { constants, inflateSync } from 'node:zlib';
import { fileTypeFromBuffer } from 'file-type';
import type { Executor } from '../../db/client.ts';
import { pdfHasScript } from '../../domain/agencies.ts';
import {
  ALLOWED_FILE_TYPES,
  fileProblem,
  MAX_FILE_BYTES,
  storedFileName,
  wholeFileProblem,
} from '../../domain/files.ts';
import { insertStoredFile } from '../../repositories/files.ts';
import type { Actor } from './actor.ts';
import { ValidationError } from './errors.ts';

export interface FileOwner {
  ownerId: string;
  ownerKind: 'school' | 'organisation';
}

export interface JudgedFile {
  contentType: string;
  extension: string;
}

/** What the bytes are (PDF, Word, PNG, JPEG), or a problem in plain English naming the field. */
export async function judgeFile(bytes: Buffer, field = 'file'): Promise<JudgedFile> {
  const judged =
    bytes.length > 0 && bytes.length <= MAX_FILE_BYTES ? await fileTypeFromBuffer(bytes) : undefined;
  const problem =
    fileProblem(bytes.length, judged?.mime ?? null) ?? (judged ? wholeFileProblem(judged.mime, bytes) : null);
  if (problem || !judged)
    throw new ValidationError([{ field, message: problem ?? 'The file could not be read' }]);
  return { contentType: judged.mime, extension: ALLOWED_FILE_TYPES[judged.mime]!.extension };
}

/**
 * Whether a PDF runs JavaScript or actions on opening (domain/agencies.ts), its compressed streams
 * inflated here: a truncated stream gives what it holds, as a PDF reader would read it.
 */
export function pdfRunsScript(bytes: Buffer): boolean {
  return pdfHasScript(bytes, (data, maxBytes) => {
    if (maxBytes < 1) throw new RangeError('Nothing left to inflate');
    return inflateSync(data, { maxOutputLength: maxBytes, finishFlush: constants.Z_SYNC_FLUSH });
  });
}

/**
 * Keep an uploaded file's bytes for its owner (in the caller's transaction, so the file and the record
 * that points to it are kept together or not at all). The caller has authorised the upload.
 */
export async function storeFile(
  tx: Executor,
  actor: Actor,
  owner: FileOwner,
  file: { name: string; bytes: Buffer; pupilId?: string | null },
  field = 'file',
): Promise<{ id: string; name: string; contentType: string; size: number; sha256: string }> {
  const judged = await judgeFile(file.bytes, field);
  const id = randomUUID();
  const name = storedFileName(file.name, judged.extension);
  const sha256 = createHash('sha256').update(file.bytes).digest('hex');
  await insertStoredFile(tx, {
    ownerId: owner.ownerId,
    ownerKind: owner.ownerKind,
    id,
    pupilId: file.pupilId ?? null,
    name,
    contentType: judged.contentType,
    extension: judged.extension,
    size: file.bytes.length,
    sha256,
    bytes: file.bytes,
    uploadedBy: actor.userId,
    uploadedByName: actor.name,
  });
  return { id, name, contentType: judged.contentType, size: file.bytes.length, sha256 };
}

/** The headers a stored file goes out with: always a download, never sniffed or run. */
export function downloadHeaders(file: { name: string; contentType: string; size: number }) {
  const ascii = file.name.replace(/[^\x20-\x7E]/g, '_').replace(/["\\]/g, '_');
  return {
    'content-type': file.contentType,
    'content-length': String(file.size),
    'content-disposition': `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(file.name)}`,
    'x-content-type-options': 'nosniff',
    'content-security-policy': "default-src 'none'; sandbox",
    'cache-control': 'private, no-store',
  };
}
