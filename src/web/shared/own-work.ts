import { addDays, formatDate, type IsoDate } from '../../domain/dates.ts';
import { stageLabel } from '../../domain/register.ts';
import { dayNumber } from '../../domain/school-days.ts';
import type { HomeService } from '../../services/home.ts';
import { paths } from '../paths.ts';

const WEEKDAYS = ['Thursday', 'Friday', 'Saturday', 'Sunday', 'Monday', 'Tuesday', 'Wednesday'];

/** "Today", "Tomorrow", or "Monday 23 November 2026". */
export function dueText(date: IsoDate, today: IsoDate): string {
  if (date === today) return 'Today';
  if (date === addDays(today, 1)) return 'Tomorrow';
  return `${WEEKDAYS[dayNumber(date) % 7]} ${formatDate(date)}`;
}

type OwnWork = NonNullable<Awaited<ReturnType<HomeService['ownWork']>>>;

/** The pupils someone works with and the groups they deliver, as the home and "My pupils" show them. */
export function ownWorkModel(work: OwnWork | null) {
  if (!work) return null;
  return {
    pupils: work.pupils.map((p) => ({
      name: `${p.surname}, ${p.forename}`,
      href: paths.pupil.to({ pupilId: p.id }),
      className: p.className ?? 'No class',
      stage: stageLabel(p.senStage),
      how: p.assigned ? 'Assigned to you' : 'In your group',
    })),
    groups: work.groups.map((g) => ({
      name: g.name,
      interventionName: g.interventionName,
      href: paths.group.to({ groupId: g.id }),
      sessionHref: paths.groupSession.to({ groupId: g.id }),
      pupils: g.pupilsNow,
      frequency: `${g.sessionsPerWeek} × ${g.minutesPerSession} minutes a week${g.location ? `, ${g.location}` : ''}`,
      nextDue: g.nextDue ? dueText(g.nextDue, work.today) : 'No more sessions',
      dueNow: g.nextDue !== null && g.nextDue <= work.today,
    })),
  };
}
