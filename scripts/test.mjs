// `npm test`: every check, in tiers, with the time each took.
//   On PGlite (no DATABASE_URL): types, lint and the layer rules, then the unit, database and browser
//   tiers of vitest.config.ts.
//   With DATABASE_URL set: the database tier (services, routes, the security suites, the command line
//   and crash tests) on that PostgreSQL. Types, lint, the unit tier and the browser journeys do not
//   depend on which database runs, and run in the PGlite pass; OPENSEND_TEST_TIERS=unit,database,browser
//   chooses the tiers (and `lint` runs the static checks too) on either database.
// Extra arguments go to vitest (`npm test -- src/domain`). The figures are written to
// .tmp/test-tiers-<database>.json, which .ci/run prints at the end.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const onPostgres = Boolean(process.env.DATABASE_URL);
const database = onPostgres ? 'postgres' : 'pglite';
const chosen = (process.env.OPENSEND_TEST_TIERS ?? (onPostgres ? 'database' : 'lint,unit,database,browser'))
  .split(',')
  .map((t) => t.trim())
  .filter(Boolean);
const known = ['lint', 'unit', 'database', 'browser'];
const unknown = chosen.filter((t) => !known.includes(t));
if (unknown.length > 0) {
  console.error(`OPENSEND_TEST_TIERS: unknown tier ${unknown.join(', ')} (known: ${known.join(', ')})`);
  process.exit(2);
}
const args = process.argv.slice(2);
const steps = [];

function run(name, command, commandArgs, env = {}) {
  const started = Date.now();
  const result = spawnSync(command, commandArgs, {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, ...env },
  });
  const seconds = (Date.now() - started) / 1000;
  steps.push({ name, seconds, ok: result.status === 0 });
  return result.status === 0;
}

function finish(ok) {
  const report = { database, steps };
  mkdirSync(path.join(root, '.tmp'), { recursive: true });
  writeFileSync(path.join(root, `.tmp/test-tiers-${database}.json`), JSON.stringify(report, null, 2));
  console.log(`\nnpm test on ${onPostgres ? 'PostgreSQL' : 'PGlite'}:`);
  for (const s of steps) {
    const counts = s.tests
      ? `  ${s.tests.files} files, ${s.tests.passed} passed, ${s.tests.failed} failed`
      : '';
    console.log(
      `  ${s.name.padEnd(28)} ${s.seconds.toFixed(0).padStart(5)} s  ${s.ok ? 'ok' : 'FAILED'}${counts}`,
    );
  }
  process.exit(ok ? 0 : 1);
}

/** Files and tests of one tier, from vitest's JSON report. */
function counts(file) {
  if (!existsSync(file)) return null;
  const r = JSON.parse(readFileSync(file, 'utf8'));
  return {
    files: r.testResults.length,
    passed: r.numPassedTests,
    failed: r.numFailedTests + (r.numRuntimeErrorTestSuites ?? 0),
  };
}

if (chosen.includes('lint')) {
  if (!run('types (tsc)', 'npx', ['tsc', '--noEmit'])) finish(false);
  if (!run('lint (biome)', 'npx', ['biome', 'check', '.'])) finish(false);
  if (!run('layers (dependency-cruiser)', 'npx', ['depcruise', 'src', '--config', '.dependency-cruiser.cjs']))
    finish(false);
}
// One tier after another, so that each tier's time is its own.
let ok = true;
for (const tier of chosen.filter((t) => t !== 'lint')) {
  const report = path.join(root, `.tmp/vitest-${tier}-${database}.json`);
  rmSync(report, { force: true });
  ok =
    // The database tier is two projects: most files share one import of the application, and the few
    // that replace a module run isolated (vitest.config.ts).
    run(
      `${tier} tests`,
      'npx',
      ['vitest', 'run', '--project', tier === 'database' ? 'database*' : tier, ...args],
      {
        OPENSEND_TEST_REPORT: report,
      },
    ) && ok;
  steps.at(-1).tests = counts(report);
  if (!ok) break;
}
finish(ok);
