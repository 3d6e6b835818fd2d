import type { MultipartFile } from '@fastify/multipart';

/** A file sent with a form (multipart), held in memory: imports are a few megabytes at most. */
export interface UploadedFile {
  fileName: string;
  mimeType: string;
  data: Buffer;
}

/** The most a single upload may be (a 10,000-pupil MIS export is about 3 MB). */
export const UPLOAD_LIMIT_BYTES = 20 * 1024 * 1024;

/** For @fastify/multipart's onFile: keep the file's name and type with its contents. */
export async function keepUploadedFile(part: MultipartFile & { value?: unknown }): Promise<void> {
  const data = await part.toBuffer();
  part.value = { fileName: part.filename, mimeType: part.mimetype, data } satisfies UploadedFile;
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
