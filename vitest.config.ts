import { defineConfig } from 'vitest/config';

/**
 * The tests in three tiers (README "Tests"):
 * - unit: pure rules, policies, view models, documents and the demo generator, with no database (a
 *   test here that opens one fails with a message saying to move it);
 * - database: services, routes, the security suites, the command line and crash tests, which run on
 *   PGlite and again on PostgreSQL when DATABASE_URL is set;
 * - browser: journeys in Chromium with axe-core on every page.
 */
export const UNIT = [
  'src/domain/**/*.test.ts',
  'src/policies/**/*.test.ts',
  'src/documents/**/*.test.ts',
  'src/presenters/**/*.test.ts',
  'src/web/features/**/view-models.test.ts',
  'src/demo/**/*.test.ts',
  'src/config.test.ts',
  'src/services/backups/format.test.ts',
  'src/services/imports/read-csv.test.ts',
  'src/services/ehc/pack-schema.test.ts',
  'src/web/views/ehc-pack.test.ts',
  'test/unit-tier.test.ts',
];
export const BROWSER = ['e2e/**/*.test.ts', 'test/chromium.test.ts'];
/** Database-tier files that replace a module with vi.mock, and so run isolated (the database tier). */
export const MOCKING = ['src/services/professionals/professionals.test.ts'];

const shared = { pool: 'forks', testTimeout: 30_000, hookTimeout: 60_000 } as const;

export default defineConfig({
  test: {
    globalSetup: ['test/global-setup.ts'],
    // npm test (scripts/test.mjs) names a report per tier.
    reporters: [
      'default',
      ['json', { outputFile: process.env.OPENSEND_TEST_REPORT ?? '.tmp/vitest-results.json' }],
    ],
    projects: [
      { test: { ...shared, name: 'unit', include: UNIT, setupFiles: ['test/unit-tier-guard.ts'] } },
      {
        test: {
          ...shared,
          name: 'database',
          include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
          exclude: [...UNIT, ...BROWSER, ...MOCKING],
          // One worker runs the tier's files in turn (on two cores vitest starts one): without isolation
          // it imports the application once, not once per file, which was a third of the tier's time.
          isolate: false,
        },
      },
      // Files that replace a module (vi.mock) need a fresh import of everything: isolated, as before.
      { test: { ...shared, name: 'database-isolated', include: MOCKING } },
      { test: { ...shared, name: 'browser', include: BROWSER } },
    ],
  },
});
