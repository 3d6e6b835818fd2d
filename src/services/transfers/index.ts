import { randomUUID } from 'node:crypto';
import type { Database, Executor } from '../../db/client.ts';
import { academicYearStartOf } from '../../domain/calendar.ts';
import {
  currentPosition,
  type HistoryEntry,
  registerEntriesOf,
  senHistoryFromRegister,
} from '../../domain/ctf/history.ts';
import {
  CTF_SUPPLIER_ID,
  CTF_VERSION,
  type CtfFile,
  type CtfPupil,
  type CtfSchoolRef,
  ctfFileName,
  dfeNumber,
  isUnknownDestination,
  relationshipCode,
  relationshipLabel,
  UNKNOWN_DESTINATION,
} from '../../domain/ctf/model.ts';
import { ctfPupilProblems, writeCtf } from '../../domain/ctf/write.ts';
import { addDays, formatDate, type IsoDate } from '../../domain/dates.ts';
import type { RegisterPosition } from '../../domain/register.ts';
import { uploadFileName } from '../../domain/text.ts';
import { findImport, finishImport, insertImport, recentImports } from '../../repositories/imports.ts';
import { insertParents, insertPupils } from '../../repositories/pupils.ts';
import { insertRegisterEntries } from '../../repositories/register.ts';
import { findSchool, findSchoolByUrn } from '../../repositories/schools.ts';
import {
  findCtfExport,
  insertCtfExport,
  leaversFor,
  leaversList,
  lockPupils,
  lockSchool,
  nextCtfSequence,
  parentsOfPupils,
  pupilsByUpn,
  type RegisterHistoryRow,
  recentCtfExports,
  registerHistoryOfPupils,
  schoolsByUrn,
  setRegisterPositions,
} from '../../repositories/transfers.ts';
import { type Actor, type SchoolActor, scopeOf } from '../kernel/actor.ts';
import { audit } from '../kernel/audit.ts';
import { requireCapability, requireSection } from '../kernel/authorise.ts';
import type { Clock } from '../kernel/clock.ts';
import { ConflictError, NotFoundError, ValidationError } from '../kernel/errors.ts';
import { unitOfWork } from '../kernel/unit-of-work.ts';
import { createLeavers } from './leavers.ts';

export type { LeavingInput } from './leavers.ts';

/** What the preview found for one pupil of the file, and what applying it will do. */
export interface PlannedPupil {
  /** 1 for the first pupil in the file. */
  position: number;
  upn: string;
  name: string;
  /**
   * new: added to the school; history: already here, with SEN history the school does not have;
   * unchanged: already here, nothing new; problem: left out, with the reasons.
   */
  status: 'new' | 'history' | 'unchanged' | 'problem';
  problems: string[];
  /** The pupil already here (matched by UPN). */
  pupilId: string | null;
  pupil: CtfPupil | null;
  entries: HistoryEntry[];
  /** The register position the pupil will be given (a new pupil, or one with no SEN record yet). */
  sets: RegisterPosition | null;
}

export interface CtfPlan {
  source: { name: string; la: string; estab: string };
  /** The file was made for another school. */
  warning: string | null;
  pupils: PlannedPupil[];
}

export interface UploadedCtf {
  fileName: string;
  data: Uint8Array;
}

const entryKey = (e: {
  effectiveDate: string;
  stage: string;
  primaryNeed: string | null;
  secondaryNeed: string | null;
}) => `${e.effectiveDate}|${e.stage}|${e.primaryNeed ?? ''}|${e.secondaryNeed ?? ''}`;

/**
 * The SEN history a file adds to a pupil already here: its entries the school does not have. The
 * school's own record wins: the pupil's current position is set from the file only when the school
 * has recorded nothing about their SEN at all.
 */
export function historyToAdd(
  file: CtfPupil['senHistory'],
  existing: { stage: string; entries: RegisterHistoryRow[] },
): { entries: HistoryEntry[]; sets: RegisterPosition | null } {
  const have = new Set(existing.entries.map((e) => entryKey(e)));
  const entries = registerEntriesOf(file).filter(
    (e) => !have.has(entryKey({ effectiveDate: e.effectiveDate, ...e.to })),
  );
  const untouched = existing.entries.length === 0 && existing.stage === 'none';
  const position = currentPosition(file);
  return { entries, sets: untouched && entries.length > 0 && position.stage !== 'none' ? position : null };
}

/** "2026-11-20T09:15:00" in England's time, as a CTF header gives it. */
function londonDateTime(at: Date): string {
  return new Intl.DateTimeFormat('sv-SE', {
    timeZone: 'Europe/London',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hour12: false,
  })
    .format(at)
    .replace(' ', 'T');
}

function destinationLabel(name: string | null, urn: string | null, ref: CtfSchoolRef): string {
  if (!name && !urn)
    return isUnknownDestination(ref) ? 'a school not known (MMM XXXX)' : `school ${dfeNumber(ref)}`;
  return `${name ?? 'the school'}${urn ? ` (URN ${urn})` : ''}`;
}

/** Common Transfer Files in (pupils.import) and out (pupils.transfer), and leavers. */
export function createTransferService(database: Database, clock: Clock) {
  const { db } = database;

  /** Bringing pupils in from a CTF writes their details and their SEN record. */
  function requireImport(actor: Actor): SchoolActor {
    const a = requireCapability(actor, 'pupils.import');
    requireSection(a, 'register', 'write');
    requireSection(a, 'identity', 'write');
    return a;
  }

  /** A CTF out carries the leavers' SEN history: only for those who see the SEN register. */
  function requireExport(actor: Actor): SchoolActor {
    const a = requireCapability(actor, 'pupils.transfer');
    requireSection(a, 'register');
    requireSection(a, 'identity');
    return a;
  }

  async function importOr404(a: SchoolActor, importId: string, lock = false, tx: Executor = db) {
    const row = await findImport(tx, a.schoolId, importId, { kind: 'ctf', lock });
    if (!row) throw new NotFoundError('Import not found', { kind: 'import', id: importId });
    return row;
  }

  /** The leavers as CTF pupils, checked against the rules, in the order given. */
  async function ctfPupilsOf(tx: Executor, a: SchoolActor, pupilIds: string[]) {
    const leavers = await leaversFor(tx, scopeOf(a), { ids: pupilIds });
    const ids = leavers.map((p) => p.id);
    const [parents, history] = await Promise.all([
      parentsOfPupils(tx, a.schoolId, ids),
      registerHistoryOfPupils(tx, a.schoolId, ids),
    ]);
    const pupils: CtfPupil[] = leavers.map((p) => ({
      upn: p.upn,
      surname: p.surname,
      forename: p.forename,
      preferredForename: p.preferredName,
      dateOfBirth: p.dateOfBirth,
      sex: p.sex === 'female' ? 'F' : 'M',
      contacts: parents
        .filter((c) => c.pupilId === p.id)
        .map((c, i) => {
          const words = c.name.trim().split(/\s+/);
          return {
            order: i + 1,
            title: null,
            forename: words.length > 1 ? words.slice(0, -1).join(' ') : null,
            surname: words.at(-1) ?? c.name,
            relationship: relationshipCode(c.relationship),
            responsibility: c.parentalResponsibility,
            phones: c.phone ? [c.phone] : [],
            email: c.email,
          };
        }),
      senHistory: senHistoryFromRegister(history.filter((h) => h.pupilId === p.id)),
    }));
    return { leavers, pupils };
  }

  return {
    /** The upload page: recent files. */
    async ctfImports(actor: Actor) {
      const a = requireImport(actor);
      return recentImports(db, a.schoolId, { kind: 'ctf' });
    },

    /**
     * Read an uploaded CTF and work out what it would do, without changing any pupil: the plan is
     * kept for the person to check and apply. A file that is not a CTF is refused whole.
     */
    async previewCtf(actor: Actor, file: UploadedCtf): Promise<string> {
      const a = requireImport(actor);
      const today = clock.today();
      // The name the browser sent is shown back and stored as every upload's is (domain/text.ts).
      const fileName = uploadFileName(file.fileName, 'transfer.xml');
      // The XML parser is loaded on first use: the server starts without it.
      const { readCtf } = await import('../../domain/ctf/read.ts');
      const read = readCtf(file.data, today);
      if (!read.ok) throw new ValidationError([{ field: 'file', message: `${fileName}: ${read.message}` }]);
      const school = await findSchool(db, a.schoolId);
      const dest = read.header.destination;
      const warning =
        school &&
        dest.la &&
        !isUnknownDestination(dest) &&
        (dest.la !== school.laCode || dest.estab !== school.establishmentNumber)
          ? `This file was made for school ${dest.la} ${dest.estab}, not this school (${school.laCode} ${school.establishmentNumber}). Check that it is meant for you before you apply it.`
          : null;
      const upns = read.pupils.map((p) => p.upn).filter((u) => u.length === 13);
      const existing = await pupilsByUpn(db, a.schoolId, upns);
      const history = await registerHistoryOfPupils(
        db,
        a.schoolId,
        existing.map((e) => e.id),
      );
      const seen = new Set<string>();
      const pupils: PlannedPupil[] = read.pupils.map((r) => {
        const base = { position: r.position, upn: r.upn, name: r.name, problems: r.problems, pupilId: null };
        if (seen.has(r.upn)) {
          return {
            ...base,
            status: 'problem',
            problems: ['The same UPN appears earlier in the file'],
            pupil: null,
            entries: [],
            sets: null,
          };
        }
        seen.add(r.upn);
        if (!r.pupil) return { ...base, status: 'problem', pupil: null, entries: [], sets: null };
        const here = existing.find((e) => e.upn === r.upn);
        if (!here) {
          return {
            ...base,
            status: 'new',
            pupil: r.pupil,
            entries: registerEntriesOf(r.pupil.senHistory),
            sets: currentPosition(r.pupil.senHistory),
          };
        }
        const matched = { ...base, pupilId: here.id, name: `${here.forename} ${here.surname}` };
        if (here.leftOn) {
          return {
            ...matched,
            status: 'problem',
            problems: [
              `${here.forename} ${here.surname} left this school on ${formatDate(here.leftOn)}: their record is kept as it was`,
            ],
            pupil: null,
            entries: [],
            sets: null,
          };
        }
        if (
          here.dateOfBirth !== r.pupil.dateOfBirth ||
          here.surname.toLowerCase() !== r.pupil.surname.toLowerCase()
        ) {
          return {
            ...matched,
            status: 'problem',
            problems: [
              `The UPN is ${here.forename} ${here.surname}’s (born ${formatDate(here.dateOfBirth)}), but the file says ${r.name}, born ${formatDate(r.pupil.dateOfBirth)}: check the UPN with the other school`,
            ],
            pupil: null,
            entries: [],
            sets: null,
          };
        }
        const add = historyToAdd(r.pupil.senHistory, {
          stage: here.senStage,
          entries: history.filter((h) => h.pupilId === here.id),
        });
        return {
          ...matched,
          status: add.entries.length > 0 ? 'history' : 'unchanged',
          pupil: r.pupil,
          entries: add.entries,
          sets: add.sets,
        };
      });
      const count = (s: PlannedPupil['status']) => pupils.filter((p) => p.status === s).length;
      const plan: CtfPlan = {
        source: { name: read.header.source.name, la: read.header.source.la, estab: read.header.source.estab },
        warning,
        pupils,
      };
      const id = randomUUID();
      await unitOfWork(db, a, async (w) => {
        await insertImport(w.tx, {
          schoolId: a.schoolId,
          id,
          fileName,
          kind: 'ctf',
          counts: {
            new: count('new'),
            history: count('history'),
            unchanged: count('unchanged'),
            problems: count('problem'),
          },
          plan,
          uploadedBy: a.userId,
          uploadedByName: a.name,
        });
        w.audit('ctf.previewed', {
          detail: { importId: id, fileName, source: plan.source.name, pupils: pupils.length },
          shownPupilIds: pupils.flatMap((p) => (p.pupilId ? [p.pupilId] : [])),
        });
      });
      return id;
    },

    /** A CTF upload and its preview (or what was applied). */
    async ctfImport(actor: Actor, importId: string) {
      const a = requireImport(actor);
      const row = await importOr404(a, importId);
      return { ...row, plan: row.plan as CtfPlan };
    },

    /**
     * Put a CTF aside without applying it (applying it afterwards is refused). The pupils it held go at
     * once; the file's name, the school it came from, who uploaded it and when, and that it was
     * discarded stay, for the list of files and the audit trail.
     */
    async discardCtf(actor: Actor, importId: string) {
      const a = requireImport(actor);
      await unitOfWork(db, a, async (w) => {
        const row = await importOr404(a, importId, true, w.tx);
        if (row.status === 'discarded') return;
        if (row.status === 'applied')
          throw new ConflictError('This file has already been applied: it cannot be discarded');
        const plan = row.plan as CtfPlan;
        const done = await finishImport(w.tx, a.schoolId, importId, row.version, 'discarded', {
          plan: { source: plan.source, warning: null, pupils: [] } satisfies CtfPlan,
        });
        if (!done) throw new ConflictError('Someone else applied or discarded this file just now');
        w.audit('import.discarded', { detail: { importId, fileName: row.fileName, kind: 'ctf' } });
      });
    },

    /**
     * Apply a previewed CTF, all or nothing in one transaction: the new pupils with their contacts and
     * SEN history, and, for pupils already here whom the person chose, the SEN history the school does
     * not have. Any error leaves the school exactly as it was.
     */
    async applyCtf(actor: Actor, importId: string, input: { version: number; historyFor: string[] }) {
      const a = requireImport(actor);
      return unitOfWork(db, a, async (w) => {
        const row = await importOr404(a, importId, true, w.tx);
        if (row.status !== 'previewed') {
          throw new ValidationError([
            {
              field: 'form',
              message:
                row.status === 'discarded'
                  ? 'This file was discarded: upload it again to apply it'
                  : 'This file has already been applied',
            },
          ]);
        }
        if (row.version !== input.version) {
          throw new ConflictError(
            'Someone else applied or changed this import while you were looking at it.',
          );
        }
        const plan = row.plan as CtfPlan;
        const source = plan.source.name;
        const reason = `From ${source} CTF`;
        const created: string[] = [];
        const pupilRows: Parameters<typeof insertPupils>[1] = [];
        const parentRows: Parameters<typeof insertParents>[1] = [];
        const entryRows: Parameters<typeof insertRegisterEntries>[1] = [];
        const entryRow = (pupilId: string, e: HistoryEntry) => ({
          schoolId: a.schoolId,
          id: randomUUID(),
          pupilId,
          effectiveDate: e.effectiveDate,
          fromStage: e.from.stage,
          stage: e.to.stage,
          primaryNeed: e.to.primaryNeed,
          secondaryNeed: e.to.secondaryNeed,
          changeKind: e.kind,
          reason,
          decidedBy: null,
          decidedByName: source,
          source: 'ctf' as const,
        });
        for (const p of plan.pupils) {
          if (p.status !== 'new' || !p.pupil) continue;
          const id = randomUUID();
          created.push(id);
          p.pupilId = id;
          const sets = p.sets ?? { stage: 'none', primaryNeed: null, secondaryNeed: null };
          pupilRows.push({
            schoolId: a.schoolId,
            id,
            upn: p.pupil.upn,
            forename: p.pupil.forename,
            surname: p.pupil.surname,
            preferredName:
              p.pupil.preferredForename && p.pupil.preferredForename !== p.pupil.forename
                ? p.pupil.preferredForename
                : null,
            dateOfBirth: p.pupil.dateOfBirth,
            sex: p.pupil.sex === 'F' ? 'female' : 'male',
            senStage: sets.stage,
            primaryNeed: sets.primaryNeed,
            secondaryNeed: sets.secondaryNeed,
            // A CTF does not say when the pupil starts here: the day it is applied, which the
            // office can correct on the pupil's details.
            admissionDate: clock.today(),
          });
          for (const c of p.pupil.contacts) {
            parentRows.push({
              schoolId: a.schoolId,
              id: randomUUID(),
              pupilId: id,
              name: [c.title, c.forename, c.surname].filter(Boolean).join(' '),
              relationship: relationshipLabel(c.relationship),
              phone: c.phones[0] ?? null,
              email: c.email?.toLowerCase() ?? null,
              parentalResponsibility: c.responsibility,
              contactPriority: Math.min(c.order, 32_000),
            });
          }
          for (const e of p.entries) entryRows.push(entryRow(id, e));
        }
        // Pupils already here: their history is worked out again on the locked rows, so a change made
        // since the preview is respected.
        const chosen = plan.pupils.filter(
          (p) => p.status === 'history' && p.pupilId && input.historyFor.includes(p.pupilId),
        );
        const locked = await lockPupils(
          w.tx,
          a.schoolId,
          chosen.map((p) => p.pupilId!),
        );
        const lockedHistory = await registerHistoryOfPupils(
          w.tx,
          a.schoolId,
          locked.map((p) => p.id),
        );
        const positions: Parameters<typeof setRegisterPositions>[2] = [];
        const historyAdded: string[] = [];
        for (const p of chosen) {
          const here = locked.find((l) => l.id === p.pupilId);
          if (!here || here.leftOn || !p.pupil) {
            throw new ValidationError([
              {
                field: 'form',
                message: `${p.name} has left or is no longer on the school’s records: upload the file again`,
              },
            ]);
          }
          const add = historyToAdd(p.pupil.senHistory, {
            stage: here.senStage,
            entries: lockedHistory.filter((h) => h.pupilId === here.id),
          });
          if (add.entries.length === 0) continue;
          historyAdded.push(here.id);
          for (const e of add.entries) entryRows.push(entryRow(here.id, e));
          if (add.sets) positions.push({ pupilId: here.id, ...add.sets });
        }
        await insertPupils(w.tx, pupilRows);
        await insertParents(w.tx, parentRows);
        await insertRegisterEntries(w.tx, entryRows);
        await setRegisterPositions(w.tx, a.schoolId, positions);
        // The plan keeps the new pupils' ids, so the page of the applied file links to them.
        await finishImport(w.tx, a.schoolId, importId, row.version, 'applied', { plan });
        for (const id of created)
          w.audit('pupil.created_from_ctf', { pupilId: id, detail: { importId, source } });
        for (const id of historyAdded) {
          w.audit('ctf.imported', { pupilId: id, detail: { importId, source, historyAdded: true } });
        }
        w.audit('ctf.imported', {
          detail: {
            importId,
            fileName: row.fileName,
            source,
            created: created.length,
            historyAdded: historyAdded.length,
          },
          shownPupilIds: [...created, ...historyAdded],
        });
        return { created: created.length, historyAdded: historyAdded.length };
      });
    },

    /** Leavers to make a CTF for (those who left in the last year), and the files made so far. */
    async ctfExportOptions(actor: Actor) {
      const a = requireExport(actor);
      const since = addDays(clock.today(), -366);
      const [leavers, exports] = await Promise.all([
        leaversList(db, scopeOf(a), since),
        recentCtfExports(db, a.schoolId),
      ]);
      await audit(db, a, 'pupil.listed', {
        detail: { list: 'leavers for a Common Transfer File' },
        shownPupilIds: leavers.map((l) => l.id),
      });
      // Where the leavers are going is another school in OpenSEND: its DfE number is known.
      const urns = [...new Set(leavers.flatMap((l) => (l.destinationUrn ? [l.destinationUrn] : [])))];
      const known = await schoolsByUrn(db, urns);
      return {
        leavers: leavers.map((l) => {
          const school = known.find((s) => s.urn === l.destinationUrn);
          return { ...l, destinationDfe: school ? `${school.laCode}${school.establishmentNumber}` : null };
        }),
        exports,
      };
    },

    /**
     * Make a CTF for leavers going to the same school: checked against the rules, numbered in the
     * school's sequence, and recorded with its pupils. The destination's DfE number, when not given,
     * comes from OpenSEND's own schools by URN, or is MMM XXXX (not known).
     */
    async produceCtf(actor: Actor, input: { pupilIds: string[]; destination: CtfSchoolRef | null }) {
      const a = requireExport(actor);
      const ids = [...new Set(input.pupilIds)];
      if (ids.length === 0) {
        throw new ValidationError([{ field: 'pupilIds', message: 'Select the pupils the file is for' }]);
      }
      return unitOfWork(db, a, async (w) => {
        const school = await lockSchool(w.tx, a.schoolId);
        if (!school) throw new NotFoundError('School not found');
        const { leavers, pupils } = await ctfPupilsOf(w.tx, a, ids);
        if (leavers.length !== ids.length) {
          throw new ValidationError([
            { field: 'pupilIds', message: 'Select pupils from the list of leavers' },
          ]);
        }
        const places = new Map(
          leavers.map((l) => [`${l.destinationUrn ?? ''}|${(l.destination ?? '').toLowerCase()}`, l]),
        );
        if (places.size > 1) {
          throw new ValidationError([
            {
              field: 'pupilIds',
              message: `A file goes to one school: choose pupils with the same destination (${[
                ...places.values(),
              ]
                .map((l) => `${l.forename} ${l.surname} to ${l.destination ?? 'not known'}`)
                .join('; ')})`,
            },
          ]);
        }
        const problems = pupils.flatMap((p) => ctfPupilProblems(p, clock.today()));
        if (problems.length > 0) {
          // One message, so the form shows every problem beside the list of pupils.
          const shown = problems.slice(0, 6).join('; ');
          const more = problems.length > 6 ? ` (and ${problems.length - 6} more)` : '';
          throw new ValidationError([
            {
              field: 'pupilIds',
              message: `The file cannot be made until this is put right: ${shown}${more}`,
            },
          ]);
        }
        const first = leavers[0]!;
        let destination = input.destination;
        if (!destination && first.destinationUrn) {
          const known = await findSchoolByUrn(w.tx, first.destinationUrn);
          if (known) destination = { la: known.laCode, estab: known.establishmentNumber };
        }
        destination ??= UNKNOWN_DESTINATION;
        const sequence = await nextCtfSequence(w.tx, a.schoolId);
        const fileName = ctfFileName(
          { la: school.laCode, estab: school.establishmentNumber },
          destination,
          sequence,
        );
        const id = randomUUID();
        const label = destinationLabel(first.destination, first.destinationUrn, destination);
        await insertCtfExport(w.tx, {
          schoolId: a.schoolId,
          id,
          sequence,
          fileName,
          destination: label,
          pupilIds: leavers.map((l) => l.id),
          madeBy: a.userId,
          madeByName: a.name,
        });
        w.audit('ctf.exported', {
          detail: { exportId: id, fileName, destination: label, pupils: leavers.length },
          shownPupilIds: leavers.map((l) => l.id),
        });
        return { exportId: id, fileName };
      });
    },

    /** A CTF made earlier: its file name, destination and pupils. */
    async ctfExport(actor: Actor, exportId: string) {
      const a = requireExport(actor);
      const row = await findCtfExport(db, a.schoolId, exportId);
      if (!row)
        throw new NotFoundError('Common Transfer File not found', { kind: 'ctf_export', id: exportId });
      const pupils = await leaversFor(db, scopeOf(a), { ids: row.pupilIds });
      return {
        ...row,
        pupils: pupils.map((p) => ({ id: p.id, upn: p.upn, forename: p.forename, surname: p.surname })),
      };
    },

    /** The file itself, made again from the leavers' read-only records, as it was produced. */
    async downloadCtf(actor: Actor, exportId: string): Promise<{ fileName: string; xml: string }> {
      const a = requireExport(actor);
      const row = await findCtfExport(db, a.schoolId, exportId);
      const school = await findSchool(db, a.schoolId);
      if (!row || !school) {
        throw new NotFoundError('Common Transfer File not found', { kind: 'ctf_export', id: exportId });
      }
      const { pupils, leavers } = await ctfPupilsOf(db, a, row.pupilIds);
      const dest = /_CTF_([0-9M]{3})([0-9X]{4})_/.exec(row.fileName);
      const made = row.createdAt;
      const file: CtfFile = {
        header: {
          version: CTF_VERSION,
          dateTime: londonDateTime(made),
          qualifier: 'partial',
          supplierId: CTF_SUPPLIER_ID,
          source: {
            la: school.laCode,
            estab: school.establishmentNumber,
            urn: school.urn,
            name: school.name,
            academicYear: String(academicYearStartOf(londonDateTime(made).slice(0, 10) as IsoDate)),
          },
          destination: dest ? { la: dest[1]!, estab: dest[2]! } : UNKNOWN_DESTINATION,
        },
        pupils,
      };
      await audit(db, a, 'ctf.downloaded', {
        detail: { exportId, fileName: row.fileName },
        shownPupilIds: leavers.map((l) => l.id),
      });
      return { fileName: row.fileName, xml: writeCtf(file) };
    },

    /** Leavers by UPN (the command line names pupils so). */
    async leaverIdsByUpn(actor: Actor, upns: string[]): Promise<string[]> {
      const a = requireExport(actor);
      const found = await leaversFor(db, scopeOf(a), { upns });
      const missing = upns.filter((u) => !found.some((f) => f.upn === u));
      if (missing.length > 0) {
        throw new ValidationError(
          missing.map((u) => ({ field: 'pupilIds', message: `No pupil who has left has the UPN ${u}` })),
        );
      }
      return found.map((f) => f.id);
    },

    ...createLeavers(database, clock),
  };
}

export type TransferService = ReturnType<typeof createTransferService>;
