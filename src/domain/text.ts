/**
 * Characters that are never part of what a person meant to type, refused wherever text comes in (forms,
 * MIS files, Common Transfer Files): C0 and C1 control characters; the invisible formatting characters
 * that can make a name read differently from what it holds (zero-width space, the left-to-right and
 * right-to-left marks, embeddings, overrides and isolates, the word joiner, a byte order mark inside the
 * text); and U+FFFD, which stands for a byte that could not be read in the file's encoding. The
 * zero-width joiner and non-joiner are kept: some scripts need them in names.
 */
const INVISIBLE = '\\u200B\\u200E\\u200F\\u202A-\\u202E\\u2060\\u2066-\\u2069\\uFEFF\\uFFFD';

/** One line of text: also no line breaks, tabs, or the Unicode line and paragraph separators. */
export const HIDDEN_IN_ONE_LINE = new RegExp(`[\\u0000-\\u001F\\u007F-\\u009F\\u2028\\u2029${INVISIBLE}]`);
/** Long text: tab, line feed and carriage return allowed. */
export const HIDDEN_IN_LONG_TEXT = new RegExp(
  `[\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F${INVISIBLE}]`,
);
/** A character that stands for bytes a file's encoding could not read. */
export const UNREADABLE = /\uFFFD/;

const HIDDEN_EVERYWHERE = new RegExp(HIDDEN_IN_ONE_LINE.source, 'g');
/** The text with every hidden character replaced (search boxes, file names, values shown back). */
export function withoutHiddenCharacters(value: string, replacement = ' '): string {
  return value.replace(HIDDEN_EVERYWHERE, replacement);
}

/**
 * The line (1 for the first) of the first NUL (U+0000) in a text, or null. A NUL is never part of a
 * text file a person or an MIS writes, and PostgreSQL cannot store it in text or jsonb: a file that
 * holds one is refused whole, with the line, before anything of it is kept.
 */
export function lineOfNul(text: string): number | null {
  const at = text.indexOf('\u0000');
  return at < 0 ? null : lineAt(text, at);
}

/** The line (1 for the first) that the character at `index` of a text is on. */
export function lineAt(text: string, index: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < index; i = text.indexOf('\n', i + 1)) line += 1;
  return line;
}

const C0_NAMES = [
  'NUL',
  'SOH',
  'STX',
  'ETX',
  'EOT',
  'ENQ',
  'ACK',
  'BEL',
  'BS',
  'TAB',
  'LF',
  'VT',
  'FF',
  'CR',
  'SO',
  'SI',
  'DLE',
  'DC1',
  'DC2',
  'DC3',
  'DC4',
  'NAK',
  'SYN',
  'ETB',
  'CAN',
  'EM',
  'SUB',
  'ESC',
  'FS',
  'GS',
  'RS',
  'US',
];

/**
 * A control character as a message names it: its short name for the C0 characters ("NUL", "BEL"),
 * "DEL", or its code point ("U+0085").
 */
export function controlCharacterName(character: string): string {
  const code = character.codePointAt(0) ?? 0;
  if (code < 0x20) return C0_NAMES[code] ?? 'NUL';
  if (code === 0x7f) return 'DEL';
  return `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
}

/**
 * Text as the database can keep it when it must be kept although it will be refused (a form sent after
 * its session ended, brought back later): a NUL, which PostgreSQL cannot store, is kept as U+FFFD,
 * which every field refuses as a hidden character. The person is told when they send it again; the
 * text is never changed silently into something a field would accept.
 */
export function keepableText(value: string): string {
  return value.replaceAll('\u0000', '\uFFFD');
}

/** The longest name of an uploaded file kept and shown (its extension included). */
export const FILE_NAME_MAX = 200;

/**
 * The name of an uploaded file as OpenSEND keeps and shows it, whatever the browser sent: its base
 * name only (no folders: "../../etc/passwd" is "passwd"), without control characters or the invisible
 * formatting characters that make a name read differently from what it holds (a right-to-left override
 * can make "exe.csv" look like "vsc.exe"), and at most 200 characters, the extension kept. A name
 * with nothing left is `fallback`.
 */
export function uploadFileName(sent: string, fallback: string): string {
  const base = withoutHiddenCharacters(sent, '').split(/[/\\]/).at(-1) ?? '';
  const name = base.replace(/\s+/g, ' ').trim();
  if (/^\.*$/.test(name)) return fallback;
  const characters = Array.from(name);
  if (characters.length <= FILE_NAME_MAX) return name;
  const extension = /\.[A-Za-z0-9]{1,10}$/.exec(name)?.[0] ?? '';
  const stem = characters
    .slice(0, FILE_NAME_MAX - extension.length - 1)
    .join('')
    .trimEnd();
  return `${stem}…${extension}`;
}
