import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testServices } from '../../test/builders/index.ts';
import { freshDatabase } from '../../test/db.ts';
import type { Database } from '../db/client.ts';
import type { Services } from './index.ts';
import { ForbiddenError, ValidationError } from './kernel/errors.ts';

let database: Database;
let services: Services;

beforeAll(async () => {
  database = await freshDatabase();
  services = testServices(database);
});
afterAll(() => database.close());

const school = {
  schoolName: 'Riverside Primary',
  urn: '123456',
  laCode: '202',
  establishmentNumber: '2001',
  phase: 'primary',
  sencoName: 'Sam Senco',
  sencoEmail: 'senco@riverside.example',
  password: 'copper kettle rainy orbit',
};

describe('setting up a school', () => {
  it('refuses a weak password for the first SENCo', async () => {
    await expect(
      services.setup.setUpSchool({ ...school, password: 'password1234' }, 'r0'),
    ).rejects.toBeInstanceOf(ValidationError);
    expect(await services.setup.needsSetup()).toBe(true);
  });

  it('creates the first school and SENCo once, and never again', async () => {
    expect(await services.setup.needsSetup()).toBe(true);
    await services.setup.setUpSchool(school, 'r1');
    expect(await services.setup.needsSetup()).toBe(false);
    const signedIn = await services.auth.signIn(
      { email: 'senco@riverside.example', password: 'copper kettle rainy orbit', address: '192.0.2.1' },
      'r2',
    );
    expect(signedIn.ok).toBe(true);
    await expect(
      services.setup.setUpSchool({ ...school, urn: '654321', sencoEmail: 'x@y.example' }, 'r3'),
    ).rejects.toBeInstanceOf(ForbiddenError);
  });
});
