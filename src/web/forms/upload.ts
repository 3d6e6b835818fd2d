import type { MultipartFile } from '@fastify/multipart';
import { uploadFileName } from '../../domain/text.ts';

/** A file sent with a form (multipart), held in memory: imports are a few megabytes at most. */
export interface UploadedFile {
  fileName: string;
  mimeType: string;
  data: Buffer;
}

/** The most a single upload may be (a 10,000-pupil MIS export is about 3 MB). */
export const UPLOAD_LIMIT_BYTES = 20 * 1024 * 1024;

/**
 * For @fastify/multipart's onFile: keep the file's contents with its type and its name as every upload
 * keeps it (its base name, no hidden characters, at most 200 characters: domain/text.ts), so no message
 * shows back the name exactly as a browser or an attacker sent it. No name at all stays empty: no file.
 */
export async function keepUploadedFile(part: MultipartFile & { value?: unknown }): Promise<void> {
  const data = await part.toBuffer();
  const fileName = part.filename ? uploadFileName(part.filename, 'unnamed file') : '';
  part.value = { fileName, mimeType: part.mimetype, data } satisfies UploadedFile;
}

export function isUploadedFile(value: unknown): value is UploadedFile {
  return (
    typeof value === 'object' &&
    value !== null &&
    Buffer.isBuffer((value as UploadedFile).data) &&
    typeof (value as UploadedFile).fileName === 'string'
  );
}

/** The file in a form field, or why there is none, in plain English. */
export function fileFrom(
  body: Record<string, unknown>,
  field: string,
  what: string,
): { ok: true; file: UploadedFile } | { ok: false; message: string } {
  const value = body[field];
  if (!isUploadedFile(value) || value.fileName === '')
    return { ok: false, message: `Choose ${what} to upload` };
  if (value.data.length === 0) return { ok: false, message: `The file ${value.fileName} is empty` };
  return { ok: true, file: value };
}
