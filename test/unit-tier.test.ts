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

describe('the database tier', () => {
  it('runs isolated every file that replaces a module (vi.mock), which a shared import would ignore', async () => {
    const { readdirSync, readFileSync } = await import('node:fs');
    const { MOCKING } = await import('../vitest.config.ts');
    const files = ['src', 'test']
      .flatMap((dir) => readdirSync(dir, { recursive: true, encoding: 'utf8' }).map((f) => `${dir}/${f}`))
      .filter((f) => f.endsWith('.test.ts') && f !== 'test/unit-tier.test.ts');
    const mocking = files.filter((f) => /\bvi\.(do)?mock\(/.test(readFileSync(f, 'utf8')));
    expect(mocking.sort()).toEqual([...MOCKING].sort());
  });
});
