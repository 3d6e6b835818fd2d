import type { ctfExport, parentCarer, pupil, registerEntry } from '../db/schema/index.ts';
import { ctfFileName } from '../domain/ctf/model.ts';
import type { IsoDate } from '../domain/dates.ts';
import { makeUpn } from '../domain/upn.ts';
import { BOY_NAMES, GIRL_NAMES, SURNAMES } from './names.ts';
import type { Random } from './random.ts';

export interface DemoLeavers {
  pupils: (typeof pupil.$inferInsert)[];
  parents: (typeof parentCarer.$inferInsert)[];
  registerEntries: (typeof registerEntry.$inferInsert)[];
  ctfExports: (typeof ctfExport.$inferInsert)[];
}

/** A date of birth between two dates (inclusive), as the random source picks. */
function birthDate(r: Random, from: IsoDate, to: IsoDate): IsoDate {
  const a = Date.parse(from);
  const b = Date.parse(to);
  return new Date(a + r.int(0, Math.round((b - a) / 86_400_000)) * 86_400_000).toISOString().slice(0, 10);
}

/**
 * Pupils who left long ago, whose records the school still holds, so that the records past their
 * retention date (domain/retention.ts) are true ones: two who left Year 6 in July 2012 and were never on
 * the SEN register (kept to 25: past); one on SEN support who moved on to a secondary school by a Common
 * Transfer File (the file went with them, so this school keeps the pupil rule: past); one on SEN support
 * who left in July 2006 with no file sent (this school was the last: kept to 31, past);
 * and one on SEN support who left in July 2013 (kept to 31: not yet). Every date a school day.
 */
export function demoLongGoneLeavers(
  r: Random,
  input: { schoolId: string; laCode: string; establishmentNumber: string },
): DemoLeavers {
  const { schoolId } = input;
  const out: DemoLeavers = { pupils: [], parents: [], registerEntries: [], ctfExports: [] };
  const formerSenco = 'Former SENCo';
  const leaver = (
    leftOn: IsoDate,
    dob: IsoDate,
    serial: number,
    sen: {
      stage: 'none' | 'sen_support';
      entries: [IsoDate, 'added_to_sen_support' | 'left_register'][];
    } | null,
  ) => {
    const female = r.chance(0.5);
    const forename = r.pick(female ? GIRL_NAMES : BOY_NAMES);
    const surname = r.pick(SURNAMES);
    const id = r.uuid();
    out.pupils.push({
      schoolId,
      id,
      upn: makeUpn(
        input.laCode,
        input.establishmentNumber,
        (Number(leftOn.slice(0, 4)) - 7) % 100,
        900 + serial,
      ),
      forename,
      surname,
      dateOfBirth: dob,
      sex: female ? 'female' : 'male',
      classId: null,
      leftOn,
      destination: null,
      senStage: sen?.stage ?? 'none',
      primaryNeed: sen?.stage === 'sen_support' ? 'SLCN' : null,
    });
    out.parents.push({
      schoolId,
      id: r.uuid(),
      pupilId: id,
      name: `${r.pick(GIRL_NAMES)} ${surname}`,
      relationship: 'Mother',
      phone: `07700 9${String(r.int(10000, 99999))}`,
      email: `${surname.toLowerCase().replace(/[^a-z]/g, '')}@families.example`,
      parentalResponsibility: true,
      contactPriority: 1,
    });
    for (const [effectiveDate, changeKind] of sen?.entries ?? []) {
      const added = changeKind === 'added_to_sen_support';
      out.registerEntries.push({
        schoolId,
        id: r.uuid(),
        pupilId: id,
        effectiveDate,
        fromStage: added ? 'none' : 'sen_support',
        stage: added ? 'sen_support' : 'none',
        primaryNeed: added ? 'SLCN' : null,
        changeKind,
        reason: added
          ? 'Speech and language therapy assessment: expressive language well below age-related expectations'
          : 'Made good progress: now working at age-related expectations',
        decidedByName: formerSenco,
        source: 'register',
      });
    }
    return id;
  };
  leaver('2012-07-20', birthDate(r, '2000-09-01', '2001-01-31'), 1, null);
  leaver('2012-07-20', birthDate(r, '2000-09-01', '2001-03-31'), 2, null);
  const movedOn = leaver('2012-07-20', birthDate(r, '2000-09-01', '2001-03-31'), 3, {
    stage: 'sen_support',
    entries: [['2009-03-04', 'added_to_sen_support']],
  });
  const source = { la: input.laCode, estab: input.establishmentNumber };
  out.ctfExports.push({
    schoolId,
    id: r.uuid(),
    sequence: 1,
    fileName: ctfFileName(source, { la: input.laCode, estab: '4001' }, 1),
    destination: 'Northshire High School',
    pupilIds: [movedOn],
    madeByName: 'Former office manager',
    createdAt: new Date('2012-07-18T10:00:00Z'),
  });
  leaver('2006-07-21', birthDate(r, '1994-09-01', '1995-03-31'), 4, {
    stage: 'sen_support',
    entries: [['2001-03-07', 'added_to_sen_support']],
  });
  leaver('2013-07-19', birthDate(r, '2001-09-01', '2002-08-31'), 5, {
    stage: 'sen_support',
    entries: [['2010-03-03', 'added_to_sen_support']],
  });
  return out;
}
