import { ncYearLabel } from '../../../domain/calendar.ts';
import { yearGroupsLabel } from '../../../domain/classes.ts';
import type { ClassService } from '../../../services/classes/index.ts';
import type { FormBody } from '../../forms/fields.ts';

type ClassList = Awaited<ReturnType<ClassService['list']>>;
type ClassPage = Awaited<ReturnType<ClassService['get']>>;

const teachersText = (teachers: { name: string }[]) =>
  teachers.length ? teachers.map((t) => t.name).join(', ') : 'No teacher yet';

export function classListModel(list: ClassList) {
  const row = (c: ClassList['inUse'][number]) => ({
    id: c.id,
    name: c.name,
    yearGroups: yearGroupsLabel(c.ncYears),
    teachers: teachersText(c.teachers),
    pupils: c.pupils,
    archivedAt: c.archivedAt,
  });
  return { inUse: list.inUse.map(row), archived: list.archived.map(row) };
}

const pupilLabel = (p: {
  forename: string;
  surname: string;
  preferredName: string | null;
  ncYear: number;
  outOfYearGroup: boolean;
}) =>
  `${p.surname}, ${p.forename}${p.preferredName ? ` (${p.preferredName})` : ''} · ${ncYearLabel(p.ncYear)}${p.outOfYearGroup ? ' (taught out of year group)' : ''}`;

export function classPageModel(page: ClassPage) {
  const c = page.schoolClass;
  return {
    schoolClass: c,
    yearGroups: yearGroupsLabel(c.ncYears),
    teachers: teachersText(c.teachers),
    archived: Boolean(c.archivedAt),
    pupilItems: page.pupils.map((p) => ({ value: p.id, text: pupilLabel(p) })),
    unplacedItems: page.unplaced.map((p) => ({ value: p.id, text: pupilLabel(p) })),
    moveOptions: [
      { value: '', text: 'Choose a class' },
      ...page.otherClasses.map((o) => ({ value: o.id, text: `${o.name} (${yearGroupsLabel(o.ncYears)})` })),
      { value: 'none', text: 'No class' },
    ],
  };
}

/** The year groups of the school as checkbox choices. */
export function yearGroupItems(yearGroups: number[]) {
  return yearGroups.map((y) => ({ value: String(y), text: ncYearLabel(y) }));
}

export function classFormValues(c: {
  name: string;
  ncYears: number[];
  version: number;
  teachers: { userId: string }[];
}): FormBody {
  return {
    name: c.name,
    ncYears: c.ncYears.map(String),
    teacherIds: c.teachers.map((t) => t.userId),
    version: String(c.version),
  };
}
