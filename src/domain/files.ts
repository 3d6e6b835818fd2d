import { withoutHiddenCharacters } from './text.ts';

/**
 * Files people may upload (an agency's report, a signed consent form, a photo of a slip): what kinds,
 * how large, and what name is kept. What a file is comes from its bytes, never from its name or the
 * type the browser claimed.
 */

export const MAX_FILE_BYTES = 20 * 1024 * 1024;

/** The kinds of file OpenSEND keeps, by the type judged from the bytes. */
export const ALLOWED_FILE_TYPES: Record<string, { extension: string; label: string }> = {
  'application/pdf': { extension: 'pdf', label: 'PDF' },
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': {
    extension: 'docx',
    label: 'Word document',
  },
  'image/png': { extension: 'png', label: 'PNG image' },
  'image/jpeg': { extension: 'jpg', label: 'JPEG image' },
};

export const ALLOWED_FILE_LABELS = Object.values(ALLOWED_FILE_TYPES)
  .map((t) => t.label)
  .join(', ');

/** Why these bytes cannot be kept, in plain English; null when they can. */
export function fileProblem(size: number, judgedType: string | null): string | null {
  if (size === 0) return 'The file is empty';
  if (size > MAX_FILE_BYTES) return `The file must be smaller than ${MAX_FILE_BYTES / 1024 / 1024} MB`;
  if (!judgedType || !ALLOWED_FILE_TYPES[judgedType]) return `The file must be a ${ALLOWED_FILE_LABELS}`;
  return null;
}

/**
 * The name kept for a file: the last part of what the browser sent, without hidden characters or
 * characters that mean something in a path or a header, at most 120 characters, ending in the
 * extension of what the file really is.
 */
export function storedFileName(sent: string, extension: string): string {
  const last = sent.split(/[\\/]/).pop() ?? '';
  const cleaned = withoutHiddenCharacters(last, '')
    .replace(/["<>:|?*;]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  const stem =
    cleaned
      .replace(/\.[A-Za-z0-9]{1,5}$/, '')
      .slice(0, 110)
      .trim() || 'file';
  return `${stem}.${extension}`;
}
