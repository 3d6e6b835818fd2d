import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { usualYearGroups } from '../domain/school.ts';
import { findAccountByEmail, insertAccounts } from '../repositories/accounts.ts';
import { insertAuditEvent } from '../repositories/audit.ts';
import { insertMembership } from '../repositories/memberships.ts';
import { countSchools, findSchoolByUrn, insertSchool } from '../repositories/schools.ts';
import { ForbiddenError, ValidationError } from './kernel/errors.ts';
import { hashPassword, weakPasswordProblem } from './kernel/passwords.ts';

export interface SchoolSetupInput {
  schoolName: string;
  urn: string;
  laCode: string;
  establishmentNumber: string;
  phase: string;
  sencoName: string;
  sencoEmail: string;
  password: string;
}

const SETUP_LOCK_KEY = 720_451_002;

export function createSetupService(database: Database) {
  const { db } = database;
  return {
    /** True only while the database holds no school: the set-up page exists only then. */
    async needsSetup(): Promise<boolean> {
      return (await countSchools(db)) === 0;
    },

    /** Create the first school and its SENCo. Refused once any school exists. */
    async setUpSchool(
      input: SchoolSetupInput,
      requestId: string,
    ): Promise<{ schoolId: string; userId: string }> {
      const weak = await weakPasswordProblem(input.password, [
        input.sencoName,
        input.sencoEmail,
        input.schoolName,
      ]);
      if (weak) throw new ValidationError([{ field: 'password', message: weak }]);
      const passwordHash = await hashPassword(input.password);
      return db.transaction(async (tx) => {
        await tx.execute(sql`select pg_advisory_xact_lock(${SETUP_LOCK_KEY})`);
        if ((await countSchools(tx)) > 0) throw new ForbiddenError('This OpenSEND is already set up');
        if (await findSchoolByUrn(tx, input.urn)) {
          throw new ValidationError([{ field: 'urn', message: 'A school with this URN already exists' }]);
        }
        if (await findAccountByEmail(tx, input.sencoEmail)) {
          throw new ValidationError([
            { field: 'sencoEmail', message: 'An account with this email address already exists' },
          ]);
        }
        const schoolId = randomUUID();
        const userId = randomUUID();
        await insertSchool(tx, {
          id: schoolId,
          name: input.schoolName,
          urn: input.urn,
          laCode: input.laCode,
          establishmentNumber: input.establishmentNumber,
          phase: input.phase,
          // The year groups a school of this phase usually teaches: the school can change them later.
          lowestNcYear: usualYearGroups(input.phase).lowest,
          highestNcYear: usualYearGroups(input.phase).highest,
        });
        await insertAccounts(tx, [
          { id: userId, email: input.sencoEmail, name: input.sencoName, passwordHash },
        ]);
        await insertMembership(tx, schoolId, userId, ['senco']);
        await insertAuditEvent(tx, {
          schoolId,
          userId,
          role: 'senco',
          action: 'school.set_up',
          requestId,
          detail: { urn: input.urn },
        });
        return { schoolId, userId };
      });
    },
  };
}

export type SetupService = ReturnType<typeof createSetupService>;
