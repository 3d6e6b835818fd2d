import { randomUUID } from 'node:crypto';
import type { Database, Executor } from '../../db/client.ts';
import { hasCapability } from '../../domain/access.ts';
import {
  type AgencyInput,
  agencyProblems,
  type DirectoryOwnerKind,
  type ProfessionalInput,
  professionalProblems,
  REFERRAL_COUNT_GROUPS,
  type ReferralCountGroup,
  referralCountGroup,
  SERVICE_KIND_LABELS,
  SERVICE_KINDS,
  type ServiceKind,
  waitText,
} from '../../domain/agencies.ts';
import { STARTER_AGENCIES } from '../../domain/agency-starter.ts';
import { fieldChanges } from '../../domain/audit.ts';
import { figuresShown, type ShownCount, shownCount } from '../../domain/suppression.ts';
import { directoryActions } from '../../policies/agencies.ts';
import {
  type AgencyInsert,
  agenciesOfOwners,
  agencyCountOf,
  agencyForSchool,
  directoryOwnersOf,
  findAgency,
  findProfessional,
  insertAgencies,
  insertAgencyProfessionals,
  professionalsOf,
  referralCountsOfSchool,
  referralCountsOfSchools,
  updateAgency,
  updateProfessional,
} from '../../repositories/agencies.ts';
import { lockSchool } from '../../repositories/provision.ts';
import { findOrganisation, findSchool, schoolsOfOrganisation } from '../../repositories/schools.ts';
import type { Actor, SchoolActor } from '../kernel/actor.ts';
import { mayUseSection, requireCapability, requireOfficer, requireSchool } from '../kernel/authorise.ts';
import type { Clock } from '../kernel/clock.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../kernel/errors.ts';
import {
  type OrganisationActor,
  organisationUnitOfWork,
  unitOfWork,
  type Work,
} from '../kernel/unit-of-work.ts';

export type { AgencyInput, ProfessionalInput } from '../../domain/agencies.ts';

/*
 * The directory of outside agencies (docs/adr/0033): a school's own list, kept by its SENCo and head,
 * and the local authority's list for its schools, kept by its officers. Staff read both as one list;
 * each change is one unit of work with its audit row on the chain of the list's owner (the school's,
 * or the organisation's). Counts of referrals name no pupil, small numbers hidden by the one rule of
 * figuresShown.
 */

const LABELS: Record<string, string> = {
  name: 'Name',
  serviceKind: 'Kind of service',
  contactName: 'Contact name',
  email: 'Email address',
  phone: 'Phone number',
  website: 'Website',
  address: 'Address',
  howToRefer: 'How to refer',
  needsFromSchool: 'What the service needs from the school',
  typicalWaitWeeks: 'Typical wait',
  jobTitle: 'Job title',
};

function shown(key: string, value: unknown): string {
  if (value === null || value === undefined) return '';
  if (key === 'serviceKind') return SERVICE_KIND_LABELS[value as ServiceKind] ?? String(value);
  if (key === 'typicalWaitWeeks') return waitText(Number(value)) ?? '';
  if (key === 'howToRefer' || key === 'needsFromSchool' || key === 'address') return value ? '(text)' : '';
  return String(value);
}

const STALE_AGENCY =
  'Someone else changed this service while you were editing it. Theirs is shown; your changes are below: check them and save again.';
const STALE_PROFESSIONAL =
  'Someone else changed this professional’s details while you were editing them. Theirs are shown; your changes are below: check them and save again.';
const LA_LIST =
  'This service is on the local authority’s list for its schools: only the local authority’s officers change it';

function checkAgency(input: AgencyInput) {
  const problems = agencyProblems(input);
  if (problems.length > 0) throw new ValidationError(problems);
}

function checkProfessional(input: ProfessionalInput) {
  const problems = professionalProblems(input);
  if (problems.length > 0) throw new ValidationError(problems);
}

const agencyNotFound = (id: string) =>
  new NotFoundError('Service not found in the directory', { kind: 'agency', id });
const professionalNotFound = (id: string) =>
  new NotFoundError('Professional not found', { kind: 'agency_professional', id });

type AnyWork = Work<SchoolActor> | Work<OrganisationActor>;

/** One list and how to change it: whose it is, and the unit of work that audits on its owner's chain. */
interface Keeper {
  ownerId: string;
  ownerKind: DirectoryOwnerKind;
  name: string;
  run<T>(work: (w: AnyWork) => Promise<T>): Promise<T>;
}

function keeperOf(database: Database, actor: SchoolActor | OrganisationActor): Keeper {
  const { db } = database;
  if (actor.kind === 'staff') {
    const a = actor as SchoolActor;
    return {
      ownerId: a.schoolId,
      ownerKind: 'school',
      name: a.name,
      run: (work) => unitOfWork(db, a, work),
    };
  }
  const o = actor as OrganisationActor;
  return {
    ownerId: o.organisationId,
    ownerKind: 'organisation',
    name: o.name,
    run: (work) => organisationUnitOfWork(db, o, work),
  };
}

/** The changes to one list: services and their professionals, each with its audit row. */
function listChanges(clock: Clock) {
  async function agencyOf(tx: Executor, keeper: Keeper, agencyId: string, lock = false) {
    const found = await findAgency(tx, keeper.ownerId, agencyId, { lock });
    if (!found) throw agencyNotFound(agencyId);
    return found;
  }

  async function professionalOf(
    tx: Executor,
    keeper: Keeper,
    agencyId: string,
    professionalId: string,
    lock = false,
  ) {
    const service = await agencyOf(tx, keeper, agencyId, lock);
    const found = await findProfessional(tx, keeper.ownerId, agencyId, professionalId, { lock });
    if (!found) throw professionalNotFound(professionalId);
    return { service, professional: found };
  }

  return {
    agencyOf,
    professionalOf,

    async add(keeper: Keeper, input: AgencyInput): Promise<string> {
      checkAgency(input);
      const id = randomUUID();
      await keeper.run(async (w) => {
        await insertAgencies(w.tx, [
          { ...input, ownerId: keeper.ownerId, ownerKind: keeper.ownerKind, id, updatedByName: keeper.name },
        ]);
        w.audit('agency.created', {
          detail: { agencyId: id, name: input.name, list: keeper.ownerKind, serviceKind: input.serviceKind },
        });
      });
      return id;
    },

    async change(keeper: Keeper, agencyId: string, version: number, input: AgencyInput) {
      checkAgency(input);
      await keeper.run(async (w) => {
        const before = await agencyOf(w.tx, keeper, agencyId, true);
        if (before.version !== version) throw new ConflictError(STALE_AGENCY, { ...before });
        const next: Partial<AgencyInsert> = { ...input, updatedByName: keeper.name };
        if (!(await updateAgency(w.tx, keeper.ownerId, agencyId, version, next)))
          throw new ConflictError(STALE_AGENCY, { ...before });
        w.audit('agency.changed', {
          detail: {
            agencyId,
            name: input.name,
            list: keeper.ownerKind,
            changes: fieldChanges(
              { ...before } as Record<string, unknown>,
              { ...input } as unknown as Record<string, unknown>,
              LABELS,
              shown,
            ),
          },
        });
      });
    },

    async archive(keeper: Keeper, agencyId: string, version: number, archived: boolean) {
      await keeper.run(async (w) => {
        const before = await agencyOf(w.tx, keeper, agencyId, true);
        if (before.version !== version) throw new ConflictError(STALE_AGENCY, { ...before });
        await updateAgency(w.tx, keeper.ownerId, agencyId, version, {
          archivedAt: archived ? clock.now() : null,
          updatedByName: keeper.name,
        });
        w.audit('agency.changed', {
          detail: {
            agencyId,
            name: before.name,
            list: keeper.ownerKind,
            changes: [
              {
                label: 'In the directory',
                from: before.archivedAt ? 'Archived' : 'In use',
                to: archived ? 'Archived' : 'In use',
              },
            ],
          },
        });
      });
    },

    async addProfessional(keeper: Keeper, agencyId: string, input: ProfessionalInput): Promise<string> {
      checkProfessional(input);
      const id = randomUUID();
      await keeper.run(async (w) => {
        const service = await agencyOf(w.tx, keeper, agencyId, true);
        await insertAgencyProfessionals(w.tx, [{ ...input, ownerId: keeper.ownerId, agencyId, id }]);
        w.audit('agency.professional_added', {
          detail: { agencyId, agencyName: service.name, professionalId: id, name: input.name },
        });
      });
      return id;
    },

    async changeProfessional(
      keeper: Keeper,
      agencyId: string,
      professionalId: string,
      version: number,
      input: ProfessionalInput,
    ) {
      checkProfessional(input);
      await keeper.run(async (w) => {
        const { service, professional: before } = await professionalOf(
          w.tx,
          keeper,
          agencyId,
          professionalId,
          true,
        );
        if (before.version !== version) throw new ConflictError(STALE_PROFESSIONAL, { ...before });
        if (!(await updateProfessional(w.tx, keeper.ownerId, professionalId, version, { ...input })))
          throw new ConflictError(STALE_PROFESSIONAL, { ...before });
        w.audit('agency.professional_changed', {
          detail: {
            agencyId,
            agencyName: service.name,
            professionalId,
            name: input.name,
            changes: fieldChanges(
              { ...before } as Record<string, unknown>,
              { ...input } as unknown as Record<string, unknown>,
              LABELS,
              shown,
            ),
          },
        });
      });
    },

    async archiveProfessional(
      keeper: Keeper,
      agencyId: string,
      professionalId: string,
      version: number,
      archived: boolean,
    ) {
      await keeper.run(async (w) => {
        const { service, professional: before } = await professionalOf(
          w.tx,
          keeper,
          agencyId,
          professionalId,
          true,
        );
        if (before.version !== version) throw new ConflictError(STALE_PROFESSIONAL, { ...before });
        await updateProfessional(w.tx, keeper.ownerId, professionalId, version, {
          archivedAt: archived ? clock.now() : null,
        });
        w.audit('agency.professional_changed', {
          detail: {
            agencyId,
            agencyName: service.name,
            professionalId,
            name: before.name,
            changes: [
              {
                label: 'With the service',
                from: before.archivedAt ? 'Archived' : 'In use',
                to: archived ? 'Archived' : 'In use',
              },
            ],
          },
        });
      });
    },
  };
}

/** A row of a table of counts: a label, a count per group and its total, as shown. */
export interface CountRow {
  label: string;
  counts: Record<ReferralCountGroup, ShownCount>;
  total: ShownCount;
}

/**
 * Referral counts by row and group, with the totals of each row and each group and the grand total (a
 * whole total, shown as counted): small numbers hidden when `threshold` > 1.
 */
export function countTable(
  rows: { key: string; label: string; counts: Record<ReferralCountGroup, number> }[],
  threshold: number,
) {
  const cells = new Map<string, number>();
  const sums: [string, string[]][] = [];
  for (const r of rows) {
    for (const g of REFERRAL_COUNT_GROUPS) cells.set(`${r.key}:${g}`, r.counts[g]);
    cells.set(
      `${r.key}:all`,
      REFERRAL_COUNT_GROUPS.reduce((sum, g) => sum + r.counts[g], 0),
    );
    sums.push([`${r.key}:all`, REFERRAL_COUNT_GROUPS.map((g) => `${r.key}:${g}`)]);
  }
  for (const g of REFERRAL_COUNT_GROUPS) {
    cells.set(
      `all:${g}`,
      rows.reduce((sum, r) => sum + r.counts[g], 0),
    );
    sums.push([`all:${g}`, rows.map((r) => `${r.key}:${g}`)]);
  }
  const grand = rows.reduce((sum, r) => sum + (cells.get(`${r.key}:all`) ?? 0), 0);
  cells.set('all:all', grand);
  sums.push(['all:all', rows.map((r) => `${r.key}:all`)]);
  sums.push(['all:all', REFERRAL_COUNT_GROUPS.map((g) => `all:${g}`)]);
  const figures = figuresShown(cells, sums, threshold, { fixed: new Set(['all:all']) });
  const show = (key: string) => shownCount(figures, cells, key);
  const line = (key: string, label: string): CountRow => ({
    label,
    counts: Object.fromEntries(REFERRAL_COUNT_GROUPS.map((g) => [g, show(`${key}:${g}`)])) as Record<
      ReferralCountGroup,
      ShownCount
    >,
    total: show(`${key}:all`),
  });
  return {
    rows: rows.map((r) => line(r.key, r.label)),
    totals: line('all', 'All services'),
  };
}

function emptyCounts(): Record<ReferralCountGroup, number> {
  return { underWay: 0, done: 0, ended: 0 };
}

/** The directory as school staff use it: both lists to read, the school's own to keep. */
export function createAgencyService(
  database: Database,
  clock: Clock,
  options: { suppressionThreshold: number },
) {
  const { db } = database;
  const lists = listChanges(clock);

  const manager = (actor: Actor) => keeperOf(database, requireCapability(actor, 'agencies.manage'));

  /** The school's own service for a change; the local authority's is refused, anything else not found. */
  async function ownService(tx: Executor, a: SchoolActor, agencyId: string, lock = false) {
    const found = await findAgency(tx, a.schoolId, agencyId, { lock });
    if (found) return found;
    if (await agencyForSchool(tx, a.schoolId, agencyId)) throw new ForbiddenError(LA_LIST, 'agencies.manage');
    throw agencyNotFound(agencyId);
  }

  async function listNames(a: SchoolActor) {
    const owners = await directoryOwnersOf(db, a.schoolId);
    const organisationId = owners.find((o) => o !== a.schoolId) ?? null;
    const organisation = organisationId ? await findOrganisation(db, organisationId) : null;
    return { owners, organisationId, organisationName: organisation?.name ?? null };
  }

  return {
    /**
     * The school's directory: its own services and its local authority's, in use (or the archived ones
     * too), each saying whose list it is on; with what the actor may do, and whether to offer the
     * common services (both lists empty, for someone who keeps the school's).
     */
    async directory(actor: Actor, filter: { kind?: ServiceKind | null; archived?: boolean } = {}) {
      const a = requireSchool(actor);
      const { owners, organisationId, organisationName } = await listNames(a);
      const ownActions = directoryActions(a, { ownerKind: 'school' });
      const all = await agenciesOfOwners(db, owners, {
        archived: Boolean(filter.archived) && ownActions.manage,
      });
      const services = all.filter((s) => !filter.kind || s.serviceKind === filter.kind);
      const offerStarter =
        ownActions.manage &&
        (await agencyCountOf(db, a.schoolId)) === 0 &&
        (organisationId === null || (await agenciesOfOwners(db, [organisationId])).length === 0);
      return {
        services,
        kindsInUse: SERVICE_KINDS.filter((k) => all.some((s) => s.serviceKind === k && !s.archivedAt)),
        organisationName,
        actions: { ...ownActions, figures: mayCount(a) },
        offerStarter,
      };
    },

    /** One service of the school's directory with its professionals (the local authority's too). */
    async agency(actor: Actor, agencyId: string) {
      const a = requireSchool(actor);
      const service = await agencyForSchool(db, a.schoolId, agencyId);
      if (!service) throw agencyNotFound(agencyId);
      const { organisationName } = await listNames(a);
      return {
        agency: service,
        professionals: await professionalsOf(db, service.ownerId, service.id),
        organisationName,
        actions: directoryActions(a, { ownerKind: service.ownerKind }),
      };
    },

    /** The form for a new service of the school's own list: only for those who keep it. */
    async forNewAgency(actor: Actor) {
      requireCapability(actor, 'agencies.manage');
      return {};
    },

    /** The school's own service, for its edit form (or a professional's form). */
    async agencyForEdit(actor: Actor, agencyId: string) {
      const a = requireCapability(actor, 'agencies.manage');
      return { agency: await ownService(db, a, agencyId) };
    },

    async addAgency(actor: Actor, input: AgencyInput) {
      return lists.add(manager(actor), input);
    },

    async changeAgency(actor: Actor, agencyId: string, version: number, input: AgencyInput) {
      const keeper = manager(actor);
      checkAgency(input);
      await ownService(db, actor as SchoolActor, agencyId);
      await lists.change(keeper, agencyId, version, input);
    },

    async archiveAgency(actor: Actor, agencyId: string, version: number, archived: boolean) {
      const keeper = manager(actor);
      await ownService(db, actor as SchoolActor, agencyId);
      await lists.archive(keeper, agencyId, version, archived);
    },

    /** One professional of the school's own service, for the edit form. */
    async professionalForEdit(actor: Actor, agencyId: string, professionalId: string) {
      const a = requireCapability(actor, 'agencies.manage');
      await ownService(db, a, agencyId);
      return lists.professionalOf(db, keeperOf(database, a), agencyId, professionalId);
    },

    async addProfessional(actor: Actor, agencyId: string, input: ProfessionalInput) {
      const keeper = manager(actor);
      checkProfessional(input);
      await ownService(db, actor as SchoolActor, agencyId);
      return lists.addProfessional(keeper, agencyId, input);
    },

    async changeProfessional(
      actor: Actor,
      agencyId: string,
      professionalId: string,
      version: number,
      input: ProfessionalInput,
    ) {
      const keeper = manager(actor);
      checkProfessional(input);
      await ownService(db, actor as SchoolActor, agencyId);
      await lists.changeProfessional(keeper, agencyId, professionalId, version, input);
    },

    async archiveProfessional(
      actor: Actor,
      agencyId: string,
      professionalId: string,
      version: number,
      archived: boolean,
    ) {
      const keeper = manager(actor);
      await ownService(db, actor as SchoolActor, agencyId);
      await lists.archiveProfessional(keeper, agencyId, professionalId, version, archived);
    },

    /**
     * The common services, added once to a school whose own list and local authority's list are both
     * empty (two people at once: the second finds the list no longer empty, and nothing is added twice).
     */
    async addStarter(actor: Actor): Promise<number> {
      const a = requireCapability(actor, 'agencies.manage');
      const { organisationId } = await listNames(a);
      return unitOfWork(db, a, async (w) => {
        await lockSchool(w.tx, a.schoolId);
        const shared = organisationId ? await agenciesOfOwners(w.tx, [organisationId]) : [];
        if ((await agencyCountOf(w.tx, a.schoolId)) > 0 || shared.length > 0)
          throw new ValidationError([
            {
              field: 'form',
              message: 'The directory already has services: add any others one at a time',
            },
          ]);
        await insertAgencies(
          w.tx,
          STARTER_AGENCIES.map((s) => ({
            ...s,
            ownerId: a.schoolId,
            ownerKind: 'school' as const,
            id: randomUUID(),
            updatedByName: a.name,
          })),
        );
        w.audit('agency.starter_added', { detail: { services: STARTER_AGENCIES.length } });
        return STARTER_AGENCIES.length;
      });
    },

    /**
     * Referrals of the school counted by kind of service and how far they got, for the SEN governor
     * (no pupil named; small numbers hidden for those who do not see the referrals themselves).
     */
    async referralFigures(actor: Actor) {
      const a = requireCapability(actor, 'counts.view');
      const raw = await referralCountsOfSchool(db, a.schoolId);
      const byKind = new Map<ServiceKind, Record<ReferralCountGroup, number>>();
      for (const r of raw) {
        const counts = byKind.get(r.serviceKind) ?? emptyCounts();
        counts[referralCountGroup(r.status)] += r.n;
        byKind.set(r.serviceKind, counts);
      }
      const suppress = !mayUseSection(a, 'agencies');
      const threshold = suppress ? options.suppressionThreshold : 0;
      const table = countTable(
        SERVICE_KINDS.filter((k) => byKind.has(k)).map((k) => ({
          key: k,
          label: SERVICE_KIND_LABELS[k],
          counts: byKind.get(k) ?? emptyCounts(),
        })),
        threshold,
      );
      await unitOfWork(db, a, async (w) => {
        w.audit('agency.counts_viewed', { detail: { rows: table.rows.length } });
      });
      const school = await findSchool(db, a.schoolId);
      return {
        ...table,
        suppressed: suppress,
        threshold: options.suppressionThreshold,
        schoolName: school?.name,
      };
    },
  };
}

const mayCount = (a: SchoolActor) => hasCapability(a.roles, 'counts.view');

/** The local authority's list for its schools, as its officers keep it, and counts across its schools. */
export function createOrganisationDirectory(
  database: Database,
  clock: Clock,
  options: { suppressionThreshold: number },
) {
  const { db } = database;
  const lists = listChanges(clock);
  const reader = (actor: Actor) => requireOfficer(actor, 'organisation.view') as OrganisationActor;
  const keeper = (actor: Actor) =>
    keeperOf(database, requireOfficer(actor, 'organisation.directory') as OrganisationActor);
  const asKeeper = (a: OrganisationActor) => keeperOf(database, a);

  return {
    /** The organisation's list, in use (or with the archived ones), with what the officer may do. */
    async directory(actor: Actor, filter: { kind?: ServiceKind | null; archived?: boolean } = {}) {
      const a = reader(actor);
      const actions = directoryActions(a, { ownerKind: 'organisation' });
      const all = await agenciesOfOwners(db, [a.organisationId], {
        archived: Boolean(filter.archived) && actions.manage,
      });
      const organisation = await findOrganisation(db, a.organisationId);
      return {
        services: all.filter((s) => !filter.kind || s.serviceKind === filter.kind),
        kindsInUse: SERVICE_KINDS.filter((k) => all.some((s) => s.serviceKind === k && !s.archivedAt)),
        organisationName: organisation?.name ?? null,
        actions,
      };
    },

    async agency(actor: Actor, agencyId: string) {
      const a = reader(actor);
      const service = await lists.agencyOf(db, asKeeper(a), agencyId);
      const organisation = await findOrganisation(db, a.organisationId);
      return {
        agency: service,
        professionals: await professionalsOf(db, a.organisationId, agencyId),
        organisationName: organisation?.name ?? null,
        actions: directoryActions(a, { ownerKind: 'organisation' }),
      };
    },

    /** The form for a new service of the organisation's list: only for the officers who keep it. */
    async forNewAgency(actor: Actor) {
      keeper(actor);
      return {};
    },

    async agencyForEdit(actor: Actor, agencyId: string) {
      const k = keeper(actor);
      return { agency: await lists.agencyOf(db, k, agencyId) };
    },

    addAgency: async (actor: Actor, input: AgencyInput) => lists.add(keeper(actor), input),

    changeAgency: async (actor: Actor, agencyId: string, version: number, input: AgencyInput) =>
      lists.change(keeper(actor), agencyId, version, input),

    archiveAgency: async (actor: Actor, agencyId: string, version: number, archived: boolean) =>
      lists.archive(keeper(actor), agencyId, version, archived),

    async professionalForEdit(actor: Actor, agencyId: string, professionalId: string) {
      return lists.professionalOf(db, keeper(actor), agencyId, professionalId);
    },

    addProfessional: async (actor: Actor, agencyId: string, input: ProfessionalInput) =>
      lists.addProfessional(keeper(actor), agencyId, input),

    changeProfessional: async (
      actor: Actor,
      agencyId: string,
      professionalId: string,
      version: number,
      input: ProfessionalInput,
    ) => lists.changeProfessional(keeper(actor), agencyId, professionalId, version, input),

    archiveProfessional: async (
      actor: Actor,
      agencyId: string,
      professionalId: string,
      version: number,
      archived: boolean,
    ) => lists.archiveProfessional(keeper(actor), agencyId, professionalId, version, archived),

    /**
     * Referrals across the organisation's schools by service: each service of its list, and the
     * schools' own services by kind; no pupil or school named, small numbers hidden.
     */
    async referralFigures(actor: Actor) {
      const a = reader(actor);
      const organisation = await findOrganisation(db, a.organisationId);
      const schools = await schoolsOfOrganisation(db, a.organisationId);
      const raw = await referralCountsOfSchools(
        db,
        schools.map((s) => s.id),
        a.organisationId,
      );
      const services = await agenciesOfOwners(db, [a.organisationId], { archived: true });
      const rows = new Map<
        string,
        { key: string; label: string; counts: Record<ReferralCountGroup, number> }
      >();
      // Every service of the list has its row, with no referrals yet or none at all.
      for (const s of services)
        if (!s.archivedAt)
          rows.set(`agency:${s.id}`, { key: `agency:${s.id}`, label: s.name, counts: emptyCounts() });
      for (const r of raw) {
        const key = r.agencyId ? `agency:${r.agencyId}` : `kind:${r.serviceKind}`;
        const label = r.agencyId
          ? (services.find((s) => s.id === r.agencyId)?.name ?? 'A service no longer listed')
          : `A school’s own service (${SERVICE_KIND_LABELS[r.serviceKind]})`;
        const row = rows.get(key) ?? { key, label, counts: emptyCounts() };
        row.counts[referralCountGroup(r.status)] += r.n;
        rows.set(key, row);
      }
      const ordered = [...rows.values()].sort(
        (x, y) =>
          Number(x.key.startsWith('kind:')) - Number(y.key.startsWith('kind:')) ||
          x.label.localeCompare(y.label),
      );
      const table = countTable(ordered, options.suppressionThreshold);
      await organisationUnitOfWork(db, a, async (w) => {
        w.audit('agency.counts_viewed', { detail: { rows: table.rows.length, schools: schools.length } });
      });
      return {
        ...table,
        organisationName: organisation?.name ?? null,
        schools: schools.length,
        threshold: options.suppressionThreshold,
      };
    },
  };
}

export type AgencyService = ReturnType<typeof createAgencyService>;
export type OrganisationDirectory = ReturnType<typeof createOrganisationDirectory>;
