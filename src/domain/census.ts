/**
 * The DfE school census codes for SEN provision (stage) and type of need, with the four broad areas
 * of need of the SEND Code of Practice 2015.
 */
export const AREAS_OF_NEED = [
  'communication_and_interaction',
  'cognition_and_learning',
  'social_emotional_and_mental_health',
  'sensory_and_physical',
] as const;
export type AreaOfNeed = (typeof AREAS_OF_NEED)[number];

export const AREA_LABELS: Record<AreaOfNeed, string> = {
  communication_and_interaction: 'Communication and interaction',
  cognition_and_learning: 'Cognition and learning',
  social_emotional_and_mental_health: 'Social, emotional and mental health',
  sensory_and_physical: 'Sensory and/or physical',
};

export const NEED_CODES = [
  'SLCN',
  'ASD',
  'SPLD',
  'MLD',
  'SLD',
  'PMLD',
  'SEMH',
  'HI',
  'VI',
  'MSI',
  'PD',
  'OTH',
  'NSA',
] as const;
export type NeedCode = (typeof NEED_CODES)[number];

export const NEEDS: Record<NeedCode, { label: string; area: AreaOfNeed | null }> = {
  SLCN: { label: 'Speech, language and communication needs', area: 'communication_and_interaction' },
  ASD: { label: 'Autistic spectrum disorder', area: 'communication_and_interaction' },
  SPLD: { label: 'Specific learning difficulty', area: 'cognition_and_learning' },
  MLD: { label: 'Moderate learning difficulty', area: 'cognition_and_learning' },
  SLD: { label: 'Severe learning difficulty', area: 'cognition_and_learning' },
  PMLD: { label: 'Profound and multiple learning difficulty', area: 'cognition_and_learning' },
  SEMH: { label: 'Social, emotional and mental health', area: 'social_emotional_and_mental_health' },
  HI: { label: 'Hearing impairment', area: 'sensory_and_physical' },
  VI: { label: 'Vision impairment', area: 'sensory_and_physical' },
  MSI: { label: 'Multi-sensory impairment', area: 'sensory_and_physical' },
  PD: { label: 'Physical disability', area: 'sensory_and_physical' },
  OTH: { label: 'Other difficulty or disability', area: null },
  NSA: { label: 'SEN support but no specialist assessment of type of need', area: null },
};

export function isNeedCode(value: string): value is NeedCode {
  return (NEED_CODES as readonly string[]).includes(value);
}

export function needLabel(code: NeedCode): string {
  return `${NEEDS[code].label} (${code})`;
}

export function areaOfNeed(code: NeedCode): AreaOfNeed | null {
  return NEEDS[code].area;
}

export function areaLabelOf(code: NeedCode | null | undefined): string {
  if (!code) return '';
  const area = NEEDS[code].area;
  return area ? AREA_LABELS[area] : 'Other';
}

export function needCodesInArea(area: AreaOfNeed): NeedCode[] {
  return NEED_CODES.filter((code) => NEEDS[code].area === area);
}
