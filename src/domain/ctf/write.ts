import type { IsoDate } from '../dates.ts';
import { upnProblem } from '../upn.ts';
import { senHistoryProblems } from './history.ts';
import type { CtfContact, CtfFile, CtfPupil, CtfSenHistory } from './model.ts';

/**
 * Writing a Common Transfer File for leavers: the header, then each pupil's identity, SEN history
 * and contacts, in the order the DfE's schema gives them. Every text is escaped, and characters XML
 * cannot hold are dropped.
 */

const NOT_XML =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: characters XML 1.0 cannot hold are the point
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function escapeXml(value: string): string {
  return value
    .replace(NOT_XML, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

class Xml {
  private lines: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  private depth = 0;
  open(name: string) {
    this.lines.push(`${'  '.repeat(this.depth)}<${name}>`);
    this.depth += 1;
  }
  close(name: string) {
    this.depth -= 1;
    this.lines.push(`${'  '.repeat(this.depth)}</${name}>`);
  }
  el(name: string, value: string | number | null | undefined) {
    if (value === null || value === undefined || value === '') return;
    this.lines.push(`${'  '.repeat(this.depth)}<${name}>${escapeXml(String(value))}</${name}>`);
  }
  toString() {
    return `${this.lines.join('\n')}\n`;
  }
}

function writeHistory(x: Xml, history: CtfSenHistory) {
  if (history.provisions.length === 0 && history.needs.length === 0) return;
  x.open('SENhistory');
  for (const p of history.provisions) {
    x.open('SEN');
    x.el('StartDate', p.startDate);
    x.el('SENprovision', p.provision);
    x.close('SEN');
  }
  if (history.needs.length > 0) {
    x.open('SENneeds');
    for (const n of history.needs) {
      x.open('SENneed');
      x.el('NeedStartDate', n.startDate);
      x.el('NeedEndDate', n.endDate);
      x.el('SENtype', n.type);
      x.el('SENtypeRank', n.rank);
      x.close('SENneed');
    }
    x.close('SENneeds');
  }
  x.close('SENhistory');
}

function writeContact(x: Xml, c: CtfContact) {
  x.open('Contact');
  x.el('Order', c.order);
  x.el('Title', c.title);
  x.el('Surname', c.surname);
  x.el('Forename', c.forename);
  x.el('Relationship', c.relationship);
  x.el('Responsibility', c.responsibility ? 'true' : 'false');
  if (c.phones.length > 0) {
    x.open('Phones');
    for (const phone of c.phones) {
      x.open('Phone');
      x.el('TelephoneType', /^(\+44\s*|0)7/.test(phone) ? 'M' : 'H');
      x.el('TelephoneNumber', phone);
      x.close('Phone');
    }
    x.close('Phones');
  }
  x.el('Email', c.email);
  x.close('Contact');
}

function writePupil(x: Xml, p: CtfPupil) {
  x.open('Pupil');
  x.el('UPN', p.upn);
  x.el('Surname', p.surname);
  x.el('Forename', p.forename);
  x.el('DOB', p.dateOfBirth);
  x.el('Sex', p.sex);
  if (p.preferredForename) {
    x.open('BasicDetails');
    x.el('PreferredForename', p.preferredForename);
    x.close('BasicDetails');
  }
  writeHistory(x, p.senHistory);
  if (p.contacts.length > 0) {
    x.open('Contacts');
    for (const c of p.contacts) writeContact(x, c);
    x.close('Contacts');
  }
  x.close('Pupil');
}

export function writeCtf(file: CtfFile): string {
  const x = new Xml();
  const h = file.header;
  x.open('CTfile');
  x.open('Header');
  x.el('DocumentName', 'Common Transfer File');
  x.el('CTFversion', h.version);
  x.el('DateTime', h.dateTime);
  x.el('DocumentQualifier', h.qualifier);
  x.el('SupplierID', h.supplierId);
  x.open('SourceSchool');
  x.el('LEA', h.source.la);
  x.el('Estab', h.source.estab);
  x.el('URN', h.source.urn);
  x.el('SchoolName', h.source.name);
  x.el('AcademicYear', h.source.academicYear);
  x.close('SourceSchool');
  x.open('DestSchool');
  x.el('LEA', h.destination.la);
  x.el('Estab', h.destination.estab);
  x.close('DestSchool');
  x.close('Header');
  x.open('CTFpupilData');
  for (const p of file.pupils) writePupil(x, p);
  x.close('CTFpupilData');
  x.close('CTfile');
  return x.toString();
}

/**
 * Why a pupil cannot go into a CTF as they are (the rules of "Moving schools" in DOMAIN.md): their
 * UPN must be valid, their SEN history dated, needs ranked 1 and 2 with no rank twice, NSA only with
 * K, and no needs at N.
 */
export function ctfPupilProblems(p: CtfPupil, today: IsoDate): string[] {
  const problems: string[] = [];
  if (upnProblem(p.upn)) problems.push(`${p.forename} ${p.surname}’s UPN (${p.upn}) is not valid`);
  problems.push(
    ...senHistoryProblems(p.senHistory, { dateOfBirth: p.dateOfBirth, today, strict: true }).map(
      (m) => `${p.forename} ${p.surname}: ${m}`,
    ),
  );
  return problems;
}
