import { type IsoDate, todayInEngland } from '../../domain/dates.ts';

export interface Clock {
  now(): Date;
  today(): IsoDate;
}

export const systemClock: Clock = {
  now: () => new Date(),
  today: () => todayInEngland(),
};

export function fixedClock(today: IsoDate): Clock {
  return { now: () => new Date(`${today}T12:00:00Z`), today: () => today };
}
