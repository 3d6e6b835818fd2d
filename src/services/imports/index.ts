import { randomUUID } from 'node:crypto';
import type { Database, Executor } from '../../db/client.ts';
import { hasCapability } from '../../domain/access.ts';
import { formatDate, type IsoDate, todayInEngland } from '../../domain/dates.ts';
import { IMPORT_FIELD_LABELS, type ImportField, isImportField } from '../../domain/imports/fields.ts';
import {
  autoMapping,
  type ColumnChoice,
  type ColumnMapping,
  detectPreset,
  listInText,
  mappingProblems,
} from '../../domain/imports/mapping.ts';
import {
  type ImportContext,
  type ImportPlan,
  type ImportSource,
  type PlannedContact,
  planImport,
} from '../../domain/imports/plan.ts';
import { PRESETS, type PresetId } from '../../domain/imports/presets.ts';
import { responsibilityOf } from '../../domain/imports/responsibility.ts';
import { uploadFileName } from '../../domain/text.ts';
import { insertAuditEvents } from '../../repositories/audit.ts';
import {
  classesForImport,
  findImport,
  finishImport,
  type ImportedParent,
  insertClassMoves,
  insertImport,
  insertImportChanges,
  insertParentsFromImport,
  insertPupilsFromImport,
  lockPupilsForImport,
  markPupilsLeft,
  type PupilImportRow,
  parentsForImport,
  pupilsForImport,
  recentImports,
  removeUnappliedImports,
  replaceImportPlan,
  updateParentsFromImport,
  updatePupilsFromImport,
} from '../../repositories/imports.ts';
import type { Actor, SchoolActor } from '../kernel/actor.ts';
import { audit } from '../kernel/audit.ts';
import { requireCapability } from '../kernel/authorise.ts';
import type { Clock } from '../kernel/clock.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../kernel/errors.ts';
import { unitOfWork } from '../kernel/unit-of-work.ts';
import { type FileEncoding, readCsv } from './read-csv.ts';

/**
 * Pupils in from the school's MIS. An upload is read, its columns recognised (or mapped by the person
 * uploading), every row checked and matched, and the result kept as the import's plan: the preview.
 * Applying it applies exactly that plan, all or nothing, in one unit of work with batch statements;
 * a pupil changed in OpenSEND since the preview stops it, and an import is applied once.
 */

/** What an import holds between upload and apply (pupil_import.plan). */
export type StoredPlan =
  | { stage: 'mapping'; source: ImportSource; preset: PresetId | null; encoding: FileEncoding }
  | {
      stage: 'preview';
      plan: ImportPlan;
      /** The file's rows, kept only when its columns were mapped by hand (to map them again). */
      source: ImportSource | null;
      preset: PresetId | null;
      encoding: FileEncoding;
      headings: string[];
      mapping: ColumnMapping;
    };

export interface UploadedCsv {
  fileName: string;
  data: Buffer;
}

export interface LeaversChoice {
  pupilIds: string[];
  leftOn: IsoDate | null;
}

const IMPORT_NOT_FOUND = 'Import not found';

/** How long an upload never applied is kept before it is removed (clearUnapplied). */
export const UNAPPLIED_KEPT_DAYS = 7;

function storedPlan(row: PupilImportRow): StoredPlan | null {
  const plan = row.plan as StoredPlan | null;
  return plan && (plan.stage === 'mapping' || plan.stage === 'preview') ? plan : null;
}

/** How each column was read, for the preview: its heading and what it holds. */
function columnsRead(headings: string[], mapping: ColumnMapping) {
  return headings.map((heading, i) => {
    const choice = mapping[i] ?? 'ignore';
    return { heading, field: choice === 'ignore' ? null : choice };
  });
}

export function createImportService(database: Database, clock: Clock) {
  const { db } = database;

  const mayImport = (actor: Actor) => requireCapability(actor, 'pupils.import');

  async function importOr404(executor: Executor, actor: SchoolActor, importId: string) {
    const row = await findImport(executor, actor.schoolId, importId, { kind: 'mis_csv' });
    if (!row) throw new NotFoundError(IMPORT_NOT_FOUND, { kind: 'import', id: importId });
    return row;
  }

  async function contextFor(schoolId: string): Promise<ImportContext> {
    const [classes, pupils, parents] = await Promise.all([
      classesForImport(db, schoolId),
      pupilsForImport(db, schoolId),
      parentsForImport(db, schoolId),
    ]);
    return { today: clock.today(), classes, pupils, parents };
  }

  function mappingRecord(headings: string[], mapping: ColumnMapping): Record<string, string> {
    const record: Record<string, string> = {};
    headings.forEach((h, i) => {
      const key = h in record || h === '' ? `${h || 'Column'} (${i + 1})` : h;
      record[key] = mapping[i] ?? 'ignore';
    });
    return record;
  }

  /** Check and match every row: the preview to keep on the import. */
  async function buildPreview(
    a: SchoolActor,
    source: ImportSource,
    mapping: ColumnMapping,
    meta: { preset: PresetId | null; encoding: FileEncoding; keepSource: boolean },
  ) {
    const plan = planImport(source, mapping, await contextFor(a.schoolId));
    const stored: StoredPlan = {
      stage: 'preview',
      plan,
      source: meta.keepSource ? source : null,
      preset: meta.preset,
      encoding: meta.encoding,
      headings: source.headings,
      mapping,
    };
    return { plan, stored };
  }

  return {
    /** The upload page: the school's latest imports. */
    async overview(actor: Actor) {
      const a = mayImport(actor);
      return { imports: await recentImports(db, a.schoolId) };
    },

    /**
     * Read an upload and keep it as an import: previewed at once when every column is recognised, or
     * waiting for its columns to be mapped. `unknownColumns: 'ignore'` (the command line) leaves
     * unrecognised columns out instead of asking. Nothing about a pupil changes here.
     */
    async upload(actor: Actor, file: UploadedCsv, options: { unknownColumns?: 'ask' | 'ignore' } = {}) {
      const a = mayImport(actor);
      const fileName = uploadFileName(file.fileName, 'pupils.csv');
      const read = readCsv(fileName, file.data);
      if (!read.ok) throw new ValidationError([{ field: 'file', message: read.message }]);
      const { source, encoding } = read;
      const preset = detectPreset(source.headings);
      let mapping = autoMapping(source.headings, preset);
      const ignored = source.headings.filter((_h, i) => mapping[i] === null);
      if (options.unknownColumns === 'ignore') {
        mapping = mapping.map((c) => c ?? 'ignore');
        const problems = mappingProblems(source.headings, mapping);
        if (problems.length > 0)
          throw new ValidationError([{ field: 'file', message: problems[0]!.message }]);
      }
      const id = randomUUID();
      const base = {
        schoolId: a.schoolId,
        id,
        fileName,
        kind: 'mis_csv' as const,
        preset,
        encoding,
        uploadedBy: a.userId,
        uploadedByName: a.name,
      };
      const needsMapping = mappingProblems(source.headings, mapping).length > 0;
      if (needsMapping) {
        const stored: StoredPlan = { stage: 'mapping', source, preset, encoding };
        await unitOfWork(db, a, async (w) => {
          await insertImport(w.tx, {
            ...base,
            mapping: mappingRecord(source.headings, mapping),
            counts: { rows: source.rows.length },
            plan: stored,
          });
          w.audit('import.previewed', {
            detail: { importId: id, fileName, counts: { rows: source.rows.length }, columnsToChoose: true },
          });
        });
        return {
          importId: id,
          needsMapping: true,
          counts: null,
          problems: [],
          ignored: [] as string[],
          preset,
          responsibility: null,
        };
      }
      const { plan, stored } = await buildPreview(a, source, mapping, {
        preset,
        encoding,
        keepSource: false,
      });
      await unitOfWork(db, a, async (w) => {
        await insertImport(w.tx, {
          ...base,
          mapping: mappingRecord(source.headings, mapping),
          counts: { ...plan.counts },
          plan: stored,
        });
        w.audit('import.previewed', {
          detail: { importId: id, fileName: base.fileName, counts: plan.counts },
        });
      });
      return {
        importId: id,
        needsMapping: false,
        counts: plan.counts,
        problems: plan.problems,
        ignored,
        preset,
        responsibility: plan.responsibility,
      };
    },

    /** The column-mapping screen: each heading, a few of its values, and what it is taken to hold. */
    async columns(actor: Actor, importId: string) {
      const a = mayImport(actor);
      const row = await importOr404(db, a, importId);
      const stored = storedPlan(row);
      const source = stored?.source ?? null;
      if (row.status !== 'previewed' || !stored || !source) {
        return { import: row, status: row.status, columns: null };
      }
      const recognised = autoMapping(source.headings, stored.preset);
      const mapping = stored.stage === 'preview' ? stored.mapping : recognised;
      const columns = source.headings.map((heading, i) => ({
        index: i,
        heading: heading || `Column ${i + 1}`,
        choice: mapping[i] ?? null,
        recognised: recognised[i] !== null,
        examples: [
          ...new Set(
            source.rows
              .map((r) => r.cells[i] ?? '')
              .filter((v) => v !== '')
              .slice(0, 20),
          ),
        ].slice(0, 3),
      }));
      return {
        import: row,
        status: row.status,
        columns,
        preset: stored.preset ? PRESETS[stored.preset].label : null,
        version: row.version,
        problems: mappingProblems(source.headings, mapping),
      };
    },

    /** The person's mapping of the columns: checked, then every row previewed with it. */
    async mapColumns(actor: Actor, importId: string, version: number, choices: (string | null)[]) {
      const a = mayImport(actor);
      const row = await importOr404(db, a, importId);
      const stored = storedPlan(row);
      if (row.status !== 'previewed' || !stored?.source) {
        throw new ConflictError('This import can no longer be changed: upload the file again');
      }
      if (row.version !== version) {
        throw new ConflictError(
          'Someone else chose the columns of this file while you were doing so: check their choices below and continue',
        );
      }
      const { source } = stored;
      if (choices.length !== source.headings.length) {
        throw new ValidationError([{ field: 'form', message: 'Choose what each column holds' }]);
      }
      const mapping: ColumnMapping = choices.map((c) =>
        c === 'ignore' || (c !== null && isImportField(c)) ? (c as ColumnChoice) : null,
      );
      const problems = mappingProblems(source.headings, mapping);
      if (problems.length > 0) {
        throw new ValidationError(
          problems.map((p) => ({
            field: p.column === null ? 'form' : `column-${p.column}`,
            message: p.message,
          })),
        );
      }
      const { plan, stored: next } = await buildPreview(a, source, mapping, {
        preset: stored.preset,
        encoding: stored.encoding,
        keepSource: true,
      });
      await unitOfWork(db, a, async (w) => {
        const saved = await replaceImportPlan(w.tx, a.schoolId, importId, version, {
          mapping: mappingRecord(source.headings, mapping),
          counts: { ...plan.counts },
          plan: next,
        });
        if (!saved)
          throw new ConflictError('This import changed while you were choosing its columns: open it again');
        w.audit('import.previewed', { detail: { importId, fileName: row.fileName, counts: plan.counts } });
      });
      return plan.counts;
    },

    /** The preview (or, once applied, what was applied). Each view records the pupils it showed. */
    async preview(
      actor: Actor,
      importId: string,
      options: { audit: boolean; shown?: number } = { audit: true },
    ) {
      const a = mayImport(actor);
      const row = await importOr404(db, a, importId);
      // Discarded: the pupils it held are gone; the page says so.
      if (row.status === 'discarded') {
        if (options.audit) {
          await audit(db, a, 'import.viewed', { detail: { importId: row.id, fileName: row.fileName } });
        }
        return { import: row, stage: 'discarded' as const, version: row.version };
      }
      const stored = storedPlan(row);
      if (!stored) throw new NotFoundError(IMPORT_NOT_FOUND, { kind: 'import', id: importId });
      if (stored.stage === 'mapping') {
        return { import: row, stage: 'mapping' as const, version: row.version };
      }
      const { plan } = stored;
      if (options.audit) {
        const shown = options.shown ?? Number.POSITIVE_INFINITY;
        await audit(db, a, 'import.viewed', {
          detail: { importId: row.id, fileName: row.fileName },
          shownPupilIds: [
            ...plan.changes.slice(0, shown).map((c) => c.pupilId),
            ...plan.missing.slice(0, shown).map((m) => m.pupilId),
          ],
        });
      }
      const classes = await classesForImport(db, a.schoolId);
      return {
        import: row,
        stage: 'preview' as const,
        version: row.version,
        plan,
        classNames: Object.fromEntries(classes.map((c) => [c.id, c.name])) as Record<string, string>,
        preset: stored.preset ? PRESETS[stored.preset].label : null,
        encoding: stored.encoding,
        columns: columnsRead(stored.headings, stored.mapping),
        notInFile: (Object.keys(IMPORT_FIELD_LABELS) as ImportField[]).filter(
          (f) => !plan.fields.includes(f),
        ),
        canRemap: stored.source !== null && row.status === 'previewed',
        mayMarkLeavers: hasCapability(a.roles, 'pupils.transfer'),
      };
    },

    /**
     * Apply the previewed import, all or nothing: new pupils and their parents and carers, changed
     * details, class moves, and the pupils missing from the file that the person ticked as leavers.
     */
    async apply(
      actor: Actor,
      importId: string,
      version: number,
      leavers: LeaversChoice = { pupilIds: [], leftOn: null },
      /**
       * The relationships ("mother", as responsibility.ts words a kind) whose parents and carers hold
       * parental responsibility where the file does not say: needed when the preview asked.
       */
      responsibility?: readonly string[],
    ) {
      const a = mayImport(actor);
      if (leavers.pupilIds.length > 0 && !hasCapability(a.roles, 'pupils.transfer')) {
        throw new ForbiddenError(
          'Your role does not include recording that pupils have left',
          'pupils.transfer',
        );
      }
      const today = clock.today();
      return unitOfWork(db, a, async (w) => {
        const row = await importOr404(w.tx, a, importId);
        if (row.status !== 'previewed') {
          const when = row.appliedAt ? ` on ${formatDate(todayInEngland(row.appliedAt))}` : '';
          throw new ConflictError(
            row.status === 'applied'
              ? `This import has already been applied${when}: nothing was applied again`
              : 'This import was discarded: upload the file again',
          );
        }
        const stored = storedPlan(row);
        if (stored?.stage !== 'preview') {
          throw new ValidationError([
            { field: 'form', message: 'Choose what each column holds before applying the import' },
          ]);
        }
        if (row.version !== version) {
          throw new ConflictError(
            'This import changed after you opened it (its columns were chosen again): check the preview below and apply it again',
          );
        }
        const { plan } = stored;
        const question = plan.responsibility ?? null;
        if (question) {
          const offered = new Set(question.kinds.map((k) => k.kind));
          if (responsibility === undefined) {
            throw new ValidationError([
              {
                field: 'responsibility',
                message: `Choose who holds parental responsibility: the file does not say for ${question.contacts === 1 ? '1 parent or carer' : `${question.contacts} parents and carers`}`,
              },
            ]);
          }
          if (responsibility.some((k) => !offered.has(k))) {
            throw new ValidationError([
              { field: 'responsibility', message: 'Choose relationships from the list' },
            ]);
          }
        }
        const chosen = new Set(question ? (responsibility ?? []) : []);
        const missingIds = new Set(plan.missing.map((m) => m.pupilId));
        const leaverIds = [...new Set(leavers.pupilIds)];
        if (leaverIds.some((id) => !missingIds.has(id))) {
          throw new ValidationError([
            { field: 'leavers', message: 'Select pupils from the list of pupils missing from the file' },
          ]);
        }
        if (leaverIds.length > 0 && !leavers.leftOn) {
          throw new ValidationError([
            { field: 'leftOn', message: 'Enter the date the pupils you ticked left the school' },
          ]);
        }
        if (leavers.leftOn && leaverIds.length > 0 && leavers.leftOn > today) {
          throw new ValidationError([
            { field: 'leftOn', message: 'The date they left must be today or in the past' },
          ]);
        }
        // Claimed first: a second apply, even at the same moment, waits here and then finds it applied.
        const counts = {
          ...plan.counts,
          applied: plan.creates.length + plan.changes.length,
          left: leaverIds.length,
        };
        // The file's own rows, kept only for mapping its columns again, go once it is applied.
        const claimed = await finishImport(w.tx, a.schoolId, importId, version, 'applied', {
          counts,
          ...(stored.source ? { plan: { ...stored, source: null } } : {}),
        });
        if (!claimed)
          throw new ConflictError(
            'Someone else applied or discarded this import just now: nothing was applied again',
          );

        const locked = await lockPupilsForImport(w.tx, a.schoolId, [
          ...plan.changes.map((c) => c.pupilId),
          ...leaverIds,
        ]);
        const now = new Map(locked.map((p) => [p.id, p]));
        const stale = plan.changes.filter((c) => {
          const p = now.get(c.pupilId);
          return !p || p.version !== c.version || p.leftOn !== null;
        });
        const goneLeavers = leaverIds.filter((id) => !now.get(id) || now.get(id)!.leftOn !== null);
        if (stale.length > 0 || goneLeavers.length > 0) {
          const names = stale.map((c) => c.name);
          throw new ConflictError(
            `${stale.length + goneLeavers.length === 1 ? 'A pupil in this import was' : `${stale.length + goneLeavers.length} pupils in this import were`} changed in OpenSEND after the preview${names.length ? ` (${listInText(names.slice(0, 5))}${names.length > 5 ? ' and others' : ''})` : ''}. Nothing was applied: upload the file again to see the changes against their details now.`,
          );
        }
        for (const id of leaverIds) {
          const p = now.get(id)!;
          const leftOn = leavers.leftOn!;
          if (leftOn <= p.dateOfBirth || (p.admissionDate && leftOn < p.admissionDate)) {
            throw new ValidationError([
              {
                field: 'leftOn',
                message: `${p.forename} ${p.surname} joined the school on ${formatDate(p.admissionDate ?? p.dateOfBirth)}: the date they left must be after that`,
              },
            ]);
          }
        }

        const created = plan.creates.map((c) => ({ ...c, id: randomUUID() }));
        await insertPupilsFromImport(
          w.tx,
          a.schoolId,
          created.map((c) => ({ id: c.id, values: c.values })),
        );
        const changed = await updatePupilsFromImport(w.tx, a.schoolId, plan.changes);
        if (changed !== plan.changes.length) {
          throw new ConflictError(
            'Some pupils in this import were changed in OpenSEND after the preview. Nothing was applied: upload the file again.',
          );
        }
        const parent = (
          contact: PlannedContact,
          pupilId: string,
          contactPriority: number,
        ): ImportedParent => ({
          name: contact.name,
          relationship: contact.relationship,
          phone: contact.phone,
          email: contact.email,
          parentalResponsibility: responsibilityOf(contact, chosen),
          id: randomUUID(),
          pupilId,
          contactPriority,
        });
        const parents: ImportedParent[] = [
          ...created.flatMap((c) => c.contacts.map((contact, i) => parent(contact, c.id, i + 1))),
          ...plan.changes.flatMap((c) =>
            c.contactsAdded.map((contact, i) => parent(contact, c.pupilId, c.parentsBefore + i + 1)),
          ),
        ];
        await insertParentsFromImport(w.tx, a.schoolId, parents);
        const parentChanges = plan.changes.flatMap((c) => c.contactsChanged);
        const parentsChanged = await updateParentsFromImport(w.tx, a.schoolId, parentChanges);
        if (parentsChanged !== parentChanges.length) {
          throw new ConflictError(
            'A parent or carer in this import was changed in OpenSEND after the preview. Nothing was applied: upload the file again.',
          );
        }
        await insertClassMoves(
          w.tx,
          plan.changes
            .filter((c) => c.classMove)
            .map((c) => ({
              schoolId: a.schoolId,
              id: randomUUID(),
              pupilId: c.pupilId,
              fromClassId: c.classMove!.from,
              toClassId: c.classMove!.to,
              movedOn: today,
              source: 'mis_import' as const,
              movedBy: a.userId,
              movedByName: a.name,
            })),
        );
        const left = leavers.leftOn ? await markPupilsLeft(w.tx, a.schoolId, leaverIds, leavers.leftOn) : 0;
        if (left !== leaverIds.length)
          throw new ConflictError('A pupil you ticked has already been recorded as left');

        // The pupils' own import history (their chronology reads it), beside the audit rows below.
        await insertImportChanges(w.tx, [
          ...created.map((c) => ({
            schoolId: a.schoolId,
            id: randomUUID(),
            pupilId: c.id,
            importId,
            kind: 'added' as const,
            fields: [],
            appliedBy: a.userId,
            appliedByName: a.name,
          })),
          ...plan.changes.map((c) => ({
            schoolId: a.schoolId,
            id: randomUUID(),
            pupilId: c.pupilId,
            importId,
            kind: 'updated' as const,
            fields: c.changes.map((f) => f.label),
            appliedBy: a.userId,
            appliedByName: a.name,
          })),
        ]);
        w.audit('import.applied', {
          detail: {
            importId,
            fileName: row.fileName,
            counts,
            ...(question
              ? {
                  parentalResponsibility: {
                    notInFile: question.contacts,
                    heldBy: question.kinds.filter((k) => chosen.has(k.kind)).map((k) => k.label),
                  },
                }
              : {}),
          },
        });
        for (const c of created) {
          w.audit('pupil.created_from_import', { pupilId: c.id, detail: { importId, line: c.line } });
        }
        for (const c of plan.changes) {
          w.audit('pupil.updated_from_import', {
            pupilId: c.pupilId,
            detail: { importId, line: c.line, changes: c.changes },
          });
        }
        for (const id of leaverIds) {
          w.audit('pupil.left', {
            pupilId: id,
            detail: { leftOn: leavers.leftOn, importId, reason: 'missing from the MIS import' },
          });
        }
        return {
          new: created.length,
          changed: plan.changes.length,
          left: leaverIds.length,
          problems: plan.problems.length,
        };
      });
    },

    /**
     * Uploads never applied (left at the preview or at choosing columns, or discarded) are removed a
     * week after they were made, with the rows of the file they hold, each school's removals recorded
     * in its audit trail. Both kinds: MIS exports and Common Transfer Files. Returns how many went.
     */
    async clearUnapplied(now: Date = clock.now()): Promise<number> {
      const before = new Date(now.getTime() - UNAPPLIED_KEPT_DAYS * 86_400_000);
      return db.transaction(async (tx) => {
        const removed = await removeUnappliedImports(tx, before);
        if (removed.length > 0) {
          await insertAuditEvents(
            tx,
            removed.map((r) => ({
              schoolId: r.schoolId,
              userId: null,
              role: null,
              action: 'import.expired' as const,
              requestId: `housekeeping-${now.toISOString()}`,
              detail: {
                importId: r.id,
                fileName: r.fileName,
                kind: r.kind,
                status: r.status,
                keptDays: UNAPPLIED_KEPT_DAYS,
              },
            })),
          );
        }
        return removed.length;
      });
    },

    /**
     * Put an import aside without applying it (applying it afterwards is refused). The pupils it held
     * (names, UPNs, dates of birth, contacts: the file's rows and the preview made from them) go at
     * once; what the list of recent imports and the audit trail show stays: the file's name, who
     * uploaded it and when, its counts, and that it was discarded.
     */
    async discard(actor: Actor, importId: string) {
      const a = mayImport(actor);
      await unitOfWork(db, a, async (w) => {
        const row = await importOr404(w.tx, a, importId);
        if (row.status === 'discarded') return;
        if (row.status === 'applied')
          throw new ConflictError('This import has already been applied: it cannot be discarded');
        const done = await finishImport(w.tx, a.schoolId, importId, row.version, 'discarded', {
          plan: null,
          mapping: null,
        });
        if (!done) throw new ConflictError('Someone else applied or discarded this import just now');
        w.audit('import.discarded', { detail: { importId, fileName: row.fileName } });
      });
    },
  };
}

export type ImportService = ReturnType<typeof createImportService>;
