import { addDays, type IsoDate } from '../domain/dates.ts';
import { isSchoolDay } from '../domain/school-days.ts';
import { subjectAccessDueOn } from '../domain/subject-access.ts';
import type { Random } from './random.ts';

export interface DemoSubjectAccessRow {
  schoolId: string;
  id: string;
  pupilId: string;
  requester: 'parent';
  requesterName: string;
  receivedOn: IsoDate;
  dueOn: IsoDate;
  notes: string;
  createdBy: string;
  createdByName: string;
}

/**
 * One subject access request waiting to be answered: a parent of a pupil at SEN support asked in
 * writing about a fortnight ago, so the home page counts it down and the SENCo can produce the export.
 */
export function demoSubjectAccess(
  random: Random,
  input: {
    schoolId: string;
    today: IsoDate;
    senco: { id: string; name: string };
    pupils: readonly { id: string; senStage: string }[];
    parents: readonly { pupilId: string; name: string; parentalResponsibility: boolean }[];
  },
): DemoSubjectAccessRow[] {
  const withParent = input.pupils.filter(
    (p) =>
      p.senStage === 'sen_support' &&
      input.parents.some((x) => x.pupilId === p.id && x.parentalResponsibility),
  );
  if (withParent.length === 0) return [];
  const pupil = withParent[random.int(0, withParent.length - 1)]!;
  const parent = input.parents.find((x) => x.pupilId === pupil.id && x.parentalResponsibility)!;
  // A letter reaches the office on a school day.
  let receivedOn = addDays(input.today, -random.int(10, 16));
  while (!isSchoolDay(receivedOn)) receivedOn = addDays(receivedOn, -1);
  return [
    {
      schoolId: input.schoolId,
      id: random.uuid(),
      pupilId: pupil.id,
      requester: 'parent',
      requesterName: parent.name,
      receivedOn,
      dueOn: subjectAccessDueOn(receivedOn),
      notes: 'Asked by letter to the school office. Identity checked against the contact details held.',
      createdBy: input.senco.id,
      createdByName: input.senco.name,
    },
  ];
}
