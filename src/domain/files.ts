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

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

/**
 * The names of the entries of a ZIP file, from its central directory (what Word and every ZIP reader
 * use), or null when there is none to read (not a ZIP, cut short, or ZIP64, which no Word document
 * under 20 MB needs).
 */
export function zipEntryNames(bytes: Uint8Array): string[] | null {
  const data = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // The end of central directory record: 22 bytes and a comment of up to 65,535, at the very end.
  const earliest = Math.max(0, data.length - 22 - 65535);
  let end = -1;
  for (let at = data.length - 22; at >= earliest; at--)
    if (data.readUInt32LE(at) === 0x06054b50) {
      end = at;
      break;
    }
  if (end < 0) return null;
  const count = data.readUInt16LE(end + 10);
  const size = data.readUInt32LE(end + 12);
  const offset = data.readUInt32LE(end + 16);
  if (count === 0xffff || offset === 0xffffffff || offset + size > end) return null;
  const names: string[] = [];
  let at = offset;
  for (let i = 0; i < count; i++) {
    if (at + 46 > end || data.readUInt32LE(at) !== 0x02014b50) return null;
    const nameLength = data.readUInt16LE(at + 28);
    const extraLength = data.readUInt16LE(at + 30);
    const commentLength = data.readUInt16LE(at + 32);
    if (at + 46 + nameLength > end) return null;
    names.push(data.toString('utf8', at + 46, at + 46 + nameLength));
    at += 46 + nameLength + extraLength + commentLength;
  }
  return names;
}

/**
 * Why bytes judged a PDF or a Word document are not a whole one, in plain English; null when they are.
 * The type is judged from the first bytes (a PDF's header, a Word document's content types), so a page
 * of HTML after "%PDF-", or a ZIP of anything that declares a Word document, would pass as one: a PDF
 * must end with its end-of-file marker and hold an object, a Word document must hold its document.
 */
export function wholeFileProblem(judgedType: string, bytes: Uint8Array): string | null {
  if (judgedType === 'application/pdf') {
    const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
    if (!text.slice(-1024).includes('%%EOF') || !/\d+\s+\d+\s+obj\b/.test(text))
      return `The file must be a ${ALLOWED_FILE_LABELS}: this one starts as a PDF but is not a whole PDF`;
  }
  if (judgedType === DOCX && !zipEntryNames(bytes)?.includes('word/document.xml'))
    return `The file must be a ${ALLOWED_FILE_LABELS}: this one is not a whole Word document`;
  return null;
}
