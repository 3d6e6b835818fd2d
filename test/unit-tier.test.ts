import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { UNIT_TIER_MESSAGE } from './unit-tier-guard.ts';

describe('the unit tier', () => {
  it('refuses a test that opens an embedded database, saying where the test belongs', async () => {
    await expect(async () => PGlite.create()).rejects.toThrow(UNIT_TIER_MESSAGE);
  });

  it('refuses a test that connects to PostgreSQL', async () => {
    await expect(async () =>
      new pg.Client({ connectionString: 'postgres://127.0.0.1:1/x' }).connect(),
    ).rejects.toThrow(UNIT_TIER_MESSAGE);
    await expect(async () =>
      new pg.Pool({ connectionString: 'postgres://127.0.0.1:1/x' }).connect(),
    ).rejects.toThrow(UNIT_TIER_MESSAGE);
  });
});
