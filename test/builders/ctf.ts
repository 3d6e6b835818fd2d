import { makeUpn } from '../../src/domain/upn.ts';
import { next } from './common.ts';

/**
 * Common Transfer Files for tests, written out by hand (not by OpenSEND's writer), the way a school's
 * MIS lays them out: a header, then pupils with extra containers OpenSEND does not read.
 */
export interface TestCtfPupil {
  upn?: string;
  surname?: string;
  forename?: string;
  dob?: string;
  sex?: string;
  /** Dated provisions: [StartDate, SENprovision]. */
  sen?: [string, string][];
  /** Needs: [SENtype, SENtypeRank, NeedStartDate?, NeedEndDate?]. */
  needs?: [string, string | number, string?, string?][];
  contacts?: {
    title?: string;
    forename?: string;
    surname: string;
    relationship?: string;
    responsibility?: boolean;
    phone?: string;
    email?: string;
  }[];
  /** Raw XML added inside the Pupil element. */
  extra?: string;
}

export interface TestCtf {
  schoolName?: string;
  la?: string;
  estab?: string;
  destLa?: string;
  destEstab?: string;
  pupils: TestCtfPupil[];
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');

/** A valid UPN that no other test pupil has. */
export const testUpn = () => makeUpn('888', '4321', 21, next());

export function ctfXml(file: TestCtf): string {
  const pupils = file.pupils
    .map((p) => {
      const sen = (p.sen ?? []).map(
        ([start, code]) => `<SEN><StartDate>${start}</StartDate><SENprovision>${code}</SENprovision></SEN>`,
      );
      const needs = (p.needs ?? []).map(
        ([type, rank, start, end]) =>
          `<SENneed>${start ? `<NeedStartDate>${start}</NeedStartDate>` : ''}${end ? `<NeedEndDate>${end}</NeedEndDate>` : ''}<SENtype>${type}</SENtype><SENtypeRank>${rank}</SENtypeRank></SENneed>`,
      );
      const history =
        sen.length || needs.length
          ? `<SENhistory>${sen.join('')}${needs.length ? `<SENneeds>${needs.join('')}</SENneeds>` : ''}</SENhistory>`
          : '';
      const contacts = (p.contacts ?? []).map(
        (c, i) => `
        <Contact>
          <Order>${i + 1}</Order>
          ${c.title ? `<Title>${esc(c.title)}</Title>` : ''}
          <Surname>${esc(c.surname)}</Surname>
          ${c.forename ? `<Forename>${esc(c.forename)}</Forename>` : ''}
          <Relationship>${c.relationship ?? 'PAR'}</Relationship>
          <Responsibility>${c.responsibility === false ? 'false' : 'true'}</Responsibility>
          ${c.phone ? `<Phones><Phone><TelephoneType>H</TelephoneType><TelephoneNumber>${esc(c.phone)}</TelephoneNumber></Phone></Phones>` : ''}
          ${c.email ? `<Email>${esc(c.email)}</Email>` : ''}
        </Contact>`,
      );
      return `
    <Pupil>
      <UPN>${p.upn ?? testUpn()}</UPN>
      <UniqueLearnerNumber/>
      <Surname>${esc(p.surname ?? 'Smith')}</Surname>
      <Forename>${esc(p.forename ?? 'Sam')}</Forename>
      <DOB>${p.dob ?? '2017-04-12'}</DOB>
      <Sex>${p.sex ?? 'F'}</Sex>
      <BasicDetails><NCyearActual>4</NCyearActual><Ethnicity>WBRI</Ethnicity></BasicDetails>
      ${history}
      <Attendance><YearData><Year>2025</Year><SessionsPossible>380</SessionsPossible></YearData></Attendance>
      ${contacts.length ? `<Contacts>${contacts.join('')}</Contacts>` : ''}
      ${p.extra ?? ''}
    </Pupil>`;
    })
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?>
<CTfile>
  <Header>
    <DocumentName>Common Transfer File</DocumentName>
    <CTFversion>24.0</CTFversion>
    <DateTime>2026-11-02T09:15:00</DateTime>
    <DocumentQualifier>full</DocumentQualifier>
    <SupplierID>Test MIS</SupplierID>
    <SourceSchool>
      <LEA>${file.la ?? '888'}</LEA>
      <Estab>${file.estab ?? '4321'}</Estab>
      <URN>654321</URN>
      <SchoolName>${esc(file.schoolName ?? 'Hillside Primary')}</SchoolName>
      <AcademicYear>2026</AcademicYear>
    </SourceSchool>
    <DestSchool>
      <LEA>${file.destLa ?? '999'}</LEA>
      <Estab>${file.destEstab ?? '1234'}</Estab>
    </DestSchool>
  </Header>
  <CTFpupilData>${pupils}
  </CTFpupilData>
</CTfile>
`;
}

export const ctfBytes = (file: TestCtf) => Buffer.from(ctfXml(file), 'utf8');
