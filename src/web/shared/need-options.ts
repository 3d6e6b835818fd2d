import { AREA_LABELS, NEED_CODES, NEEDS } from '../../domain/census.ts';

/** The options of a need select, with the broad area beside each code. */
export function needOptions(selected: string | undefined | null, emptyText: string) {
  return [
    { value: '', text: emptyText, selected: !selected },
    ...NEED_CODES.map((c) => ({
      value: c,
      text: `${c}: ${NEEDS[c].label}${NEEDS[c].area ? ` (${AREA_LABELS[NEEDS[c].area!]})` : ''}`,
      selected: c === selected,
    })),
  ];
}
