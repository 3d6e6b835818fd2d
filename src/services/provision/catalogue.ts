import { randomUUID } from 'node:crypto';
import type { Database } from '../../db/client.ts';
import { fieldChanges } from '../../domain/audit.ts';
import { AREA_LABELS, type AreaOfNeed } from '../../domain/census.ts';
import {
  COST_MODEL_LABELS,
  type CostModel,
  DELIVERER_LABELS,
  type DelivererKind,
  MEASURE_LABELS,
  type MeasureKind,
} from '../../domain/provision.ts';
import { formatPence } from '../../domain/provision-costs.ts';
import { type InterventionInput, interventionProblems } from '../../domain/provision-rules.ts';
import { STARTER_INTERVENTIONS } from '../../domain/provision-starter.ts';
import { provisionActions } from '../../policies/provision.ts';
import {
  findIntervention,
  hasStarterCatalogue,
  insertInterventions,
  interventionHasMeasures,
  interventionsOfSchool,
  lockSchool,
  updateIntervention,
} from '../../repositories/provision.ts';
import type { Actor } from '../kernel/actor.ts';
import { requireCapability, requireSection } from '../kernel/authorise.ts';
import type { Clock } from '../kernel/clock.ts';
import { ConflictError, NotFoundError, ValidationError } from '../kernel/errors.ts';
import { unitOfWork } from '../kernel/unit-of-work.ts';

export type { InterventionInput } from '../../domain/provision-rules.ts';

const LABELS: Partial<Record<keyof InterventionInput, string>> = {
  name: 'Name',
  area: 'Area of need',
  description: 'Description',
  evidenceBase: 'Evidence base',
  usualDeliverer: 'Usually delivered by',
  usualGroupSize: 'Usual group size',
  sessionsPerWeek: 'Sessions a week',
  minutesPerSession: 'Minutes a session',
  costModel: 'Cost',
  fixedCostPence: 'Fixed cost',
  measureKind: 'Measure',
  measureName: 'Name of the measure',
};

function shown(key: keyof InterventionInput, value: unknown): string {
  if (value === null || value === undefined) return '';
  if (key === 'area') return AREA_LABELS[value as AreaOfNeed] ?? String(value);
  if (key === 'usualDeliverer') return DELIVERER_LABELS[value as DelivererKind] ?? String(value);
  if (key === 'costModel') return COST_MODEL_LABELS[value as CostModel] ?? String(value);
  if (key === 'measureKind') return MEASURE_LABELS[value as MeasureKind] ?? String(value);
  if (key === 'fixedCostPence') return formatPence(Number(value));
  if (key === 'description' || key === 'evidenceBase') return value ? '(text)' : '';
  return String(value);
}

const STALE =
  'Someone else changed this intervention while you were editing it. Theirs is shown; your changes are below: check them and save again.';

/** The school's intervention catalogue: the starter set the first time it is opened, and the school's own. */
export function createCatalogue(database: Database, clock: Clock) {
  const { db } = database;

  async function ensureStarter(schoolId: string) {
    if (await hasStarterCatalogue(db, schoolId)) return;
    await db.transaction(async (tx) => {
      // Two people opening the catalogue at once: the second waits, then finds the starter set.
      await lockSchool(tx, schoolId);
      if (await hasStarterCatalogue(tx, schoolId)) return;
      await insertInterventions(
        tx,
        STARTER_INTERVENTIONS.map((i) => ({ schoolId, id: randomUUID(), ...i, source: 'starter' as const })),
      );
    });
  }

  function values(input: InterventionInput) {
    return {
      ...input,
      fixedCostPence: input.costModel === 'staff_time' ? null : input.fixedCostPence,
      measureName: input.measureName,
    };
  }

  function check(input: InterventionInput) {
    const problems = interventionProblems(input);
    if (problems.length > 0) throw new ValidationError(problems);
  }

  return {
    /** The catalogue (everyone who works with provision may read it), the starter set added once. */
    async catalogue(actor: Actor) {
      const a = requireSection(actor, 'provision');
      await ensureStarter(a.schoolId);
      const rows = await interventionsOfSchool(db, a.schoolId, clock.today());
      return { interventions: rows, actions: provisionActions(a) };
    },

    /** One intervention for its edit form. */
    async interventionForEdit(actor: Actor, interventionId: string) {
      const a = requireCapability(actor, 'provision.manage');
      const found = await findIntervention(db, a.schoolId, interventionId);
      if (!found)
        throw new NotFoundError('Intervention not found', { kind: 'intervention', id: interventionId });
      return {
        intervention: found,
        hasMeasures: await interventionHasMeasures(db, a.schoolId, interventionId),
      };
    },

    async addIntervention(actor: Actor, input: InterventionInput): Promise<string> {
      const a = requireCapability(actor, 'provision.manage');
      check(input);
      await ensureStarter(a.schoolId);
      const id = randomUUID();
      await unitOfWork(db, a, async (w) => {
        await insertInterventions(w.tx, [{ schoolId: a.schoolId, id, ...values(input), source: 'school' }]);
        w.audit('intervention.created', { detail: { interventionId: id, name: input.name } });
      });
      return id;
    },

    async changeIntervention(
      actor: Actor,
      interventionId: string,
      version: number,
      input: InterventionInput,
    ) {
      const a = requireCapability(actor, 'provision.manage');
      check(input);
      await unitOfWork(db, a, async (w) => {
        const before = await findIntervention(w.tx, a.schoolId, interventionId, { lock: true });
        if (!before)
          throw new NotFoundError('Intervention not found', { kind: 'intervention', id: interventionId });
        if (before.version !== version) throw new ConflictError(STALE, { ...before });
        if (
          before.measureKind !== input.measureKind &&
          (await interventionHasMeasures(w.tx, a.schoolId, interventionId))
        ) {
          throw new ValidationError([
            {
              field: 'measureKind',
              message:
                'Pupils have measures recorded in this intervention’s groups: keep its measure, or add a new intervention with the other measure',
            },
          ]);
        }
        const next = values(input);
        if (!(await updateIntervention(w.tx, a.schoolId, interventionId, version, next)))
          throw new ConflictError(STALE, { ...before });
        w.audit('intervention.changed', {
          detail: {
            interventionId,
            name: input.name,
            changes: fieldChanges(
              { ...before } as Record<string, unknown>,
              { ...next } as Record<string, unknown>,
              LABELS as Record<string, string>,
              (k, v) => shown(k as keyof InterventionInput, v),
            ),
          },
        });
      });
    },

    /** Archive an intervention (its groups run on; no new group can start from it), or bring it back. */
    async archiveIntervention(actor: Actor, interventionId: string, version: number, archived: boolean) {
      const a = requireCapability(actor, 'provision.manage');
      await unitOfWork(db, a, async (w) => {
        const before = await findIntervention(w.tx, a.schoolId, interventionId, { lock: true });
        if (!before)
          throw new NotFoundError('Intervention not found', { kind: 'intervention', id: interventionId });
        if (before.version !== version) throw new ConflictError(STALE, { ...before });
        await updateIntervention(w.tx, a.schoolId, interventionId, version, {
          archivedAt: archived ? clock.now() : null,
        });
        w.audit('intervention.changed', {
          detail: {
            interventionId,
            name: before.name,
            changes: [
              {
                label: 'In the catalogue',
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
