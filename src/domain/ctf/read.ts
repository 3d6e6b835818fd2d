import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { isNeedCode } from '../census.ts';
import { type IsoDate, isRealDate, parseIsoDate } from '../dates.ts';
import { dateOfBirthProblem } from '../pupil-dates.ts';
import { HIDDEN_IN_ONE_LINE, lineAt, lineOfNul } from '../text.ts';
import { normaliseUpn, UPN_MESSAGES, upnProblem } from '../upn.ts';
import { senHistoryProblems } from './history.ts';
import {
  CTF_PROVISIONS,
  type CtfContact,
  type CtfHeader,
  type CtfProvision,
  type CtfPupil,
  type CtfSenNeed,
  type CtfSenProvision,
} from './model.ts';

/**
 * Reading a Common Transfer File another school sent. The file is hostile until read: it is refused
 * whole, with a plain message, when it is not text, not XML, declares a document type or entities
 * (the way into external-entity and "billion laughs" attacks), or is not a CTF. Entities are never
 * expanded: only the five XML escapes and character references are decoded, by this reader. Each
 * pupil is then checked on its own, and its problems are reported with its position in the file.
 */

export const CTF_MAX_BYTES = 20 * 1024 * 1024;

export interface CtfReadPupil {
  /** 1 for the first pupil in the file. */
  position: number;
  upn: string;
  name: string;
  /** The pupil as read, when nothing is wrong with them. */
  pupil: CtfPupil | null;
  problems: string[];
}

export type CtfReadResult =
  | { ok: true; header: CtfHeader; pupils: CtfReadPupil[] }
  | { ok: false; message: string };

const ARRAY_TAGS = new Set(['Pupil', 'Contact', 'Phone', 'SEN', 'SENneed']);

type Node = Record<string, unknown>;

function startsWith(bytes: Uint8Array, signature: number[]): boolean {
  return signature.every((b, i) => bytes[i] === b);
}

/** Not a text file at all: say what it looks like. */
function binaryKind(bytes: Uint8Array): string | null {
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04])) return 'a spreadsheet or zip file (such as .xlsx or .zip)';
  if (startsWith(bytes, [0xd0, 0xcf, 0x11, 0xe0])) return 'an older Excel or Word file';
  if (startsWith(bytes, [0x25, 0x50, 0x44, 0x46])) return 'a PDF';
  if (startsWith(bytes, [0x1f, 0x8b])) return 'a compressed (gzip) file';
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47]) || startsWith(bytes, [0xff, 0xd8, 0xff]))
    return 'a picture';
  return null;
}

function decodeText(bytes: Uint8Array): string | null {
  try {
    if (startsWith(bytes, [0xef, 0xbb, 0xbf])) return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    if (startsWith(bytes, [0xff, 0xfe])) return new TextDecoder('utf-16le', { fatal: true }).decode(bytes);
    if (startsWith(bytes, [0xfe, 0xff])) return new TextDecoder('utf-16be', { fatal: true }).decode(bytes);
    const head = new TextDecoder('latin1').decode(bytes.subarray(0, 200));
    const declared = /^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9_-]+)["']/.exec(head)?.[1]?.toLowerCase();
    if (declared && /^(iso-8859-1|latin1|windows-1252|cp1252)$/.test(declared)) {
      return new TextDecoder('windows-1252').decode(bytes);
    }
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

const XML_ESCAPES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** The five XML escapes and character references; any other entity is left as it is, never expanded. */
export function decodeXmlText(value: string): string {
  return value.replace(
    /&(?:(lt|gt|amp|quot|apos)|#(\d{1,7})|#x([0-9A-Fa-f]{1,6}));/g,
    (all, name, dec, hex) => {
      if (name) return XML_ESCAPES[name] ?? all;
      const code = dec ? Number(dec) : Number.parseInt(hex, 16);
      return code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff)
        ? String.fromCodePoint(code)
        : '';
    },
  );
}

/**
 * The first character reference to a character no version of XML allows in a document: NUL (`&#0;`),
 * a lone surrogate, U+FFFE, U+FFFF or past U+10FFFF. Such a file is refused whole, like a raw NUL, with
 * the line: it is damaged or made to slip something past the reader. (References to other control
 * characters, such as `&#1;`, which XML 1.1 allows, make that pupil's text a problem to correct.)
 */
function forbiddenReference(xml: string): { nul: boolean; written: string; line: number } | null {
  for (const m of xml.matchAll(/&#(?:([0-9]+)|x([0-9A-Fa-f]+));/g)) {
    const code = m[1] !== undefined ? Number(m[1]) : Number.parseInt(m[2] ?? '', 16);
    const allowed =
      Number.isSafeInteger(code) &&
      code > 0 &&
      code <= 0x10ffff &&
      !(code >= 0xd800 && code <= 0xdfff) &&
      code !== 0xfffe &&
      code !== 0xffff;
    if (allowed) continue;
    const written = m[0].length > 16 ? `${m[0].slice(0, 15)}…` : m[0];
    return { nul: code === 0, written, line: lineAt(xml, m.index ?? 0) };
  }
  return null;
}

function child(node: unknown, name: string): unknown {
  if (typeof node !== 'object' || node === null || Array.isArray(node)) return undefined;
  return Object.hasOwn(node, name) ? (node as Node)[name] : undefined;
}

function list(node: unknown, name: string): unknown[] {
  const value = child(node, name);
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

/** The text of an element: '' when absent or empty. */
function text(node: unknown, name: string): string {
  const value = child(node, name);
  const raw = Array.isArray(value) ? value[0] : value;
  if (typeof raw === 'string' || typeof raw === 'number' || typeof raw === 'boolean')
    return decodeXmlText(String(raw)).trim();
  const inner = child(raw, '#text');
  return typeof inner === 'string' ? decodeXmlText(inner).trim() : '';
}

const CONTROL = HIDDEN_IN_ONE_LINE;

function dateOf(value: string): IsoDate | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return null;
  const { year, month, day } = parseIsoDate(value);
  return isRealDate(year, month, day) ? value : null;
}

/** Reads the file's bytes as a CTF. `today` is for the rules about dates. */
export function readCtf(bytes: Uint8Array, today: IsoDate): CtfReadResult {
  if (bytes.length === 0) return { ok: false, message: 'The file is empty' };
  if (bytes.length > CTF_MAX_BYTES)
    return {
      ok: false,
      message: 'The file is larger than 20 MB: it is not a Common Transfer File OpenSEND can read',
    };
  const binary = binaryKind(bytes);
  if (binary)
    return {
      ok: false,
      message: `This is ${binary}, not a Common Transfer File: choose the .xml file the other school sent`,
    };
  const xml = decodeText(bytes);
  if (xml === null)
    return {
      ok: false,
      message: 'The file is not readable text: a Common Transfer File is an XML file in UTF-8',
    };
  const nul = lineOfNul(xml);
  if (nul !== null)
    return {
      ok: false,
      message: `The file holds a NUL character (on line ${nul}), which XML does not allow: it may be damaged. Ask the other school for the file again.`,
    };
  const body = xml.replace(/^\uFEFF/, '');
  const forbidden = forbiddenReference(body);
  if (forbidden)
    return {
      ok: false,
      message: `${forbidden.nul ? `The file holds a NUL character (written ${forbidden.written} on line ${forbidden.line}), which XML does not allow` : `The file holds a reference to a character XML does not allow (${forbidden.written} on line ${forbidden.line})`}: it may be damaged. Ask the other school for the file again.`,
    };
  if (!body.trimStart().startsWith('<'))
    return {
      ok: false,
      message:
        'The file is not XML: a Common Transfer File is an XML file, usually named like 8881234_CTF_9991234_001.xml',
    };
  if (/<!DOCTYPE/i.test(body) || /<!ENTITY/i.test(body)) {
    return {
      ok: false,
      message:
        'The file declares a document type or entities, which a Common Transfer File never does: it has not been read. Ask the other school for the file again.',
    };
  }
  let valid: ReturnType<typeof XMLValidator.validate>;
  try {
    valid = XMLValidator.validate(body);
  } catch {
    valid = { err: { code: 'error', msg: '', line: 0, col: 0 } };
  }
  if (valid !== true) {
    const line = valid.err.line ? ` (near line ${valid.err.line})` : '';
    return {
      ok: false,
      message: `The file is not well-formed XML${line}: it may be damaged or cut short. Ask the other school for the file again.`,
    };
  }
  let doc: Node;
  try {
    const parser = new XMLParser({
      ignoreAttributes: true,
      processEntities: false,
      htmlEntities: false,
      parseTagValue: false,
      trimValues: true,
      removeNSPrefix: true,
      ignoreDeclaration: true,
      ignorePiTags: true,
      isArray: (name) => ARRAY_TAGS.has(name),
    });
    doc = parser.parse(body) as Node;
  } catch {
    return {
      ok: false,
      message:
        'The file could not be read as XML: it may be damaged. Ask the other school for the file again.',
    };
  }
  const rootName = Object.keys(doc).find((k) => !k.startsWith('?') && !k.startsWith('#'));
  if (rootName !== 'CTfile') {
    return {
      ok: false,
      message: `This XML file is not a Common Transfer File (it starts with <${rootName ?? '?'}>, not <CTfile>)`,
    };
  }
  const root = doc.CTfile;
  if (child(root, 'CTFpupilData') === undefined) {
    return { ok: false, message: 'This Common Transfer File has no pupil data in it (no CTFpupilData)' };
  }
  const header = readHeader(child(root, 'Header'));
  const pupils = list(child(root, 'CTFpupilData'), 'Pupil').map((node, i) => readPupil(node, i + 1, today));
  if (pupils.length === 0) return { ok: false, message: 'This Common Transfer File has no pupils in it' };
  return { ok: true, header, pupils };
}

function readHeader(node: unknown): CtfHeader {
  const source = child(node, 'SourceSchool');
  const dest = child(node, 'DestSchool');
  const la = text(source, 'LEA');
  const estab = text(source, 'Estab');
  const name = text(source, 'SchoolName');
  return {
    version: text(node, 'CTFversion'),
    dateTime: text(node, 'DateTime'),
    qualifier: text(node, 'DocumentQualifier'),
    supplierId: text(node, 'SupplierID'),
    source: {
      la,
      estab,
      urn: text(source, 'URN') || null,
      name:
        name && !CONTROL.test(name)
          ? name.slice(0, 200)
          : la || estab
            ? `school ${la}${estab}`
            : 'another school',
      academicYear: text(source, 'AcademicYear'),
    },
    destination: { la: text(dest, 'LEA'), estab: text(dest, 'Estab') },
  };
}

function checkText(problems: string[], value: string, label: string, max: number, required: boolean) {
  if (!value) {
    if (required) problems.push(`${label} is missing`);
    return;
  }
  if (CONTROL.test(value)) problems.push(`${label} contains hidden control characters`);
  if (value.length > max) problems.push(`${label} is longer than ${max} characters`);
}

/**
 * A name is refused when it starts like a spreadsheet formula, as in a file from the MIS: no real name
 * does, and it would run as one if the data were later opened in a spreadsheet.
 */
function checkName(problems: string[], value: string, label: string, required: boolean) {
  checkText(problems, value, label, 100, required);
  if (/^[=+\-@]/.test(value)) {
    problems.push(
      `${label} starts with “${value[0]}” like a spreadsheet formula: ask the school that sent the file to correct it`,
    );
  }
}

function readPupil(node: unknown, position: number, today: IsoDate): CtfReadPupil {
  const problems: string[] = [];
  const upnRaw = text(node, 'UPN');
  const upn = normaliseUpn(upnRaw);
  const upnIssue = upnProblem(upn);
  if (upnIssue)
    problems.push(upnIssue === 'empty' ? 'UPN is missing' : `${UPN_MESSAGES[upnIssue]} (${upnRaw})`);
  const surname = text(node, 'Surname');
  const forename = text(node, 'Forename');
  checkName(problems, surname, 'Surname', true);
  checkName(problems, forename, 'Forename', true);
  const preferred = text(child(node, 'BasicDetails'), 'PreferredForename') || text(node, 'PreferredForename');
  checkName(problems, preferred, 'Preferred forename', false);
  const dobText = text(node, 'DOB');
  const dateOfBirth = dateOf(dobText);
  if (!dateOfBirth)
    problems.push(
      dobText ? `Date of birth ${dobText} is not a real date (YYYY-MM-DD)` : 'Date of birth is missing',
    );
  else {
    const dob = dateOfBirthProblem(dateOfBirth, today);
    if (dob) problems.push(dob);
  }
  const sexText = (text(node, 'Sex') || text(node, 'Gender')).toUpperCase();
  if (sexText !== 'M' && sexText !== 'F') {
    problems.push(sexText ? `Sex ${sexText} is not M or F` : 'Sex is missing');
  }

  const contacts: CtfContact[] = list(child(node, 'Contacts'), 'Contact').map((c, i) => {
    const label = `Contact ${i + 1}`;
    const cSurname = text(c, 'Surname');
    const cForename = text(c, 'Forename');
    if (!cSurname && !cForename) problems.push(`${label} has no name`);
    checkName(problems, cSurname, `${label}’s surname`, false);
    checkName(problems, cForename, `${label}’s forename`, false);
    const title = text(c, 'Title');
    checkText(problems, title, `${label}’s title`, 20, false);
    const relationship = text(c, 'Relationship');
    checkText(problems, relationship, `${label}’s relationship`, 60, false);
    const responsibility = text(c, 'Responsibility').toLowerCase();
    const phones = list(child(c, 'Phones'), 'Phone')
      .map((p) => text(p, 'TelephoneNumber'))
      .filter(Boolean);
    for (const phone of phones) checkText(problems, phone, `${label}’s telephone number`, 30, false);
    const email = text(c, 'Email') || text(child(c, 'Email'), 'EmailAddress');
    checkText(problems, email, `${label}’s email address`, 254, false);
    const order = Number(text(c, 'Order'));
    return {
      order: Number.isInteger(order) && order > 0 ? order : i + 1,
      title: title || null,
      forename: cForename || null,
      surname: cSurname || cForename,
      relationship: relationship || 'OTH',
      responsibility: responsibility === 'true' || responsibility === '1' || responsibility === 'yes',
      phones,
      email: email || null,
    };
  });

  const history = child(node, 'SENhistory');
  const provisions: CtfSenProvision[] = [];
  const needs: CtfSenNeed[] = [];
  const readNeed = (n: unknown) => {
    const type = text(n, 'SENtype').toUpperCase();
    const rankText = text(n, 'SENtypeRank');
    const rank = /^\d{1,2}$/.test(rankText) ? Number(rankText) : Number.NaN;
    if (!isNeedCode(type)) {
      problems.push(type ? `Type of need ${type} is not a census code` : 'A type of need has no SENtype');
      return;
    }
    if (!Number.isInteger(rank) || rank < 1) {
      problems.push(`${type} has no rank (SENtypeRank 1 for the primary need, 2 for the secondary)`);
      return;
    }
    const start = text(n, 'NeedStartDate');
    const end = text(n, 'NeedEndDate');
    const startDate = start ? dateOf(start) : null;
    const endDate = end ? dateOf(end) : null;
    if (start && !startDate)
      problems.push(`${type} starts on ${start}, which is not a real date (YYYY-MM-DD)`);
    if (end && !endDate) problems.push(`${type} ends on ${end}, which is not a real date (YYYY-MM-DD)`);
    needs.push({ type, rank, startDate, endDate });
  };
  for (const sen of list(history, 'SEN')) {
    const start = text(sen, 'StartDate');
    const code = text(sen, 'SENprovision').toUpperCase();
    const startDate = dateOf(start);
    if (!startDate)
      problems.push(
        start
          ? `SEN provision starts on ${start}, which is not a real date (YYYY-MM-DD)`
          : 'An SEN provision has no StartDate',
      );
    if (!(CTF_PROVISIONS as readonly string[]).includes(code)) {
      problems.push(
        code ? `SEN provision ${code} is not N, K or E` : 'An SEN provision has no SENprovision code',
      );
    }
    if (startDate && (CTF_PROVISIONS as readonly string[]).includes(code)) {
      provisions.push({ startDate, provision: code as CtfProvision });
    }
    // Some files put the needs inside each SEN element: read them there too.
    for (const n of list(child(sen, 'SENneeds'), 'SENneed')) readNeed(n);
  }
  for (const n of list(child(history, 'SENneeds'), 'SENneed')) readNeed(n);
  provisions.sort((a, b) => (a.startDate < b.startDate ? -1 : a.startDate > b.startDate ? 1 : 0));
  const senHistory = { provisions, needs };
  if (dateOfBirth && problems.length === 0) {
    problems.push(...senHistoryProblems(senHistory, { dateOfBirth, today, strict: false }));
  }
  const name = [forename, surname].filter(Boolean).join(' ') || '(no name)';
  return {
    position,
    upn: upn || upnRaw,
    name,
    problems,
    pupil:
      problems.length === 0 && dateOfBirth
        ? {
            upn,
            surname,
            forename,
            preferredForename: preferred || null,
            dateOfBirth,
            sex: sexText as 'M' | 'F',
            contacts: contacts.sort((a, b) => a.order - b.order),
            senHistory,
          }
        : null,
  };
}
