import {
  REFERRAL_COUNT_GROUP_LABELS,
  REFERRAL_COUNT_GROUPS,
  SERVICE_KIND_LABELS,
  SERVICE_KINDS,
  type ServiceKind,
  waitText,
  websiteLink,
} from '../../../domain/agencies.ts';
import type { AgencyService, CountRow, OrganisationDirectory } from '../../../services/agencies/index.ts';
import type { FormBody } from '../../forms/fields.ts';
import { paths } from '../../paths.ts';

/*
 * The directory's pages, shaped once for both places it is kept: the school's (its own list with the
 * local authority's) and the officer's (the authority's list for its schools). A place gives the links.
 */

export interface Place {
  /** 'school' for staff, 'organisation' for officers. */
  where: 'school' | 'organisation';
  list: string;
  add: string;
  figures: string;
  agency(id: string): string;
  edit(id: string): string;
  archive(id: string): string;
  professionalNew(id: string): string;
  professional(id: string, professionalId: string): string;
  professionalArchive(id: string, professionalId: string): string;
}

export const SCHOOL_PLACE: Place = {
  where: 'school',
  list: paths.agencies.to(),
  add: paths.agencyNew.to(),
  figures: paths.agencyFigures.to(),
  agency: (agencyId) => paths.agency.to({ agencyId }),
  edit: (agencyId) => paths.agencyEdit.to({ agencyId }),
  archive: (agencyId) => paths.agencyArchive.to({ agencyId }),
  professionalNew: (agencyId) => paths.agencyProfessionalNew.to({ agencyId }),
  professional: (agencyId, agencyProfessionalId) =>
    paths.agencyProfessional.to({ agencyId, agencyProfessionalId }),
  professionalArchive: (agencyId, agencyProfessionalId) =>
    paths.agencyProfessionalArchive.to({ agencyId, agencyProfessionalId }),
};

export const ORGANISATION_PLACE: Place = {
  where: 'organisation',
  list: paths.organisationAgencies.to(),
  add: paths.organisationAgencyNew.to(),
  figures: paths.organisationAgencyFigures.to(),
  agency: (agencyId) => paths.organisationAgency.to({ agencyId }),
  edit: (agencyId) => paths.organisationAgencyEdit.to({ agencyId }),
  archive: (agencyId) => paths.organisationAgencyArchive.to({ agencyId }),
  professionalNew: (agencyId) => paths.organisationProfessionalNew.to({ agencyId }),
  professional: (agencyId, agencyProfessionalId) =>
    paths.organisationProfessional.to({ agencyId, agencyProfessionalId }),
  professionalArchive: (agencyId, agencyProfessionalId) =>
    paths.organisationProfessionalArchive.to({ agencyId, agencyProfessionalId }),
};

type SchoolDirectory = Awaited<ReturnType<AgencyService['directory']>>;
type OrganisationList = Awaited<ReturnType<OrganisationDirectory['directory']>>;
type AgencyPage = Awaited<ReturnType<AgencyService['agency']>>;
type AgencyRow = SchoolDirectory['services'][number];

/** Whose list a service is on, in words. */
export function whoseList(ownerKind: 'school' | 'organisation', organisationName: string | null): string {
  if (ownerKind === 'school') return 'The school’s own list';
  return organisationName ? `${organisationName}’s list for its schools` : 'The local authority’s list';
}

export const kindOptions = (chosen: string | undefined, empty: string) => [
  { value: '', text: empty, selected: !chosen },
  ...SERVICE_KINDS.map((k) => ({ value: k, text: SERVICE_KIND_LABELS[k], selected: chosen === k })),
];

/** The list, grouped by kind of service (in the order of SERVICE_KINDS), each service with whose it is. */
export function directoryModel(
  result: SchoolDirectory | OrganisationList,
  place: Place,
  filter: { kind: ServiceKind | null; archived: boolean },
) {
  const row = (s: AgencyRow) => ({
    id: s.id,
    name: s.name,
    href: place.agency(s.id),
    whose: whoseList(s.ownerKind, result.organisationName),
    own: s.ownerKind === (place.where === 'school' ? 'school' : 'organisation'),
    archived: s.archivedAt !== null,
    wait: waitText(s.typicalWaitWeeks),
    contact: [s.contactName, s.email, s.phone].filter(Boolean).join(', '),
  });
  const groups = SERVICE_KINDS.map((kind) => ({
    kind,
    label: SERVICE_KIND_LABELS[kind],
    services: result.services.filter((s) => s.serviceKind === kind).map(row),
  })).filter((g) => g.services.length > 0);
  return {
    groups,
    count: result.services.length,
    organisationName: result.organisationName,
    actions: result.actions,
    offerStarter: 'offerStarter' in result ? result.offerStarter : false,
    kindOptions: kindOptions(filter.kind ?? undefined, 'All kinds of service'),
    filter,
    place,
  };
}

/** A service's page: its contact, how to refer, what it needs, its wait, its professionals. */
export function agencyPageModel(result: AgencyPage, place: Place) {
  const a = result.agency;
  return {
    pageTitle: a.name,
    agency: a,
    kindLabel: SERVICE_KIND_LABELS[a.serviceKind],
    whose: whoseList(a.ownerKind, result.organisationName),
    wait: waitText(a.typicalWaitWeeks),
    websiteHref: websiteLink(a.website),
    professionals: result.professionals.map((p) => ({
      ...p,
      href: place.professional(a.id, p.id),
      archived: p.archivedAt !== null,
    })),
    actions: result.actions,
    place,
  };
}

export function agencyFormValues(a: AgencyRow): FormBody {
  return {
    name: a.name,
    serviceKind: a.serviceKind,
    contactName: a.contactName ?? '',
    email: a.email ?? '',
    phone: a.phone ?? '',
    website: a.website ?? '',
    address: a.address ?? '',
    howToRefer: a.howToRefer ?? '',
    needsFromSchool: a.needsFromSchool ?? '',
    typicalWaitWeeks: a.typicalWaitWeeks === null ? '' : String(a.typicalWaitWeeks),
    version: String(a.version),
  };
}

export function professionalFormValues(p: {
  name: string;
  jobTitle: string | null;
  email: string | null;
  version: number;
}): FormBody {
  return { name: p.name, jobTitle: p.jobTitle ?? '', email: p.email ?? '', version: String(p.version) };
}

/** Counts as a table: a row per kind or service, a column per group, with the totals. */
export function figuresModel(table: { rows: CountRow[]; totals: CountRow }) {
  return {
    columns: REFERRAL_COUNT_GROUPS.map((g) => ({ key: g, label: REFERRAL_COUNT_GROUP_LABELS[g] })),
    rows: table.rows,
    totals: table.totals,
    counts: [...table.rows, table.totals].flatMap((r) => [
      ...REFERRAL_COUNT_GROUPS.map((g) => r.counts[g]),
      r.total,
    ]),
  };
}

/** The kinds of service for the form's select. */
export const SERVICE_KIND_OPTIONS = SERVICE_KINDS.map((k) => ({ value: k, text: SERVICE_KIND_LABELS[k] }));
