/**
 * The SEN information report PDF of the demo-sized school (issue 18; target ≤ 2 s): through the web as
 * the SENCo downloads it, live figures counted and charts drawn on each request. Step 9 of
 * `npm run bench` runs it on the one-school PostgreSQL database; on its own
 * (`node --import tsx bench/school-reports.ts`) it loads the demo school into a throwaway PGlite
 * directory and times the same download there.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { and, eq } from 'drizzle-orm';
import { type Database, openPgliteDirectory, openPostgres } from '../src/db/client.ts';
import { schoolReport } from '../src/db/schema/index.ts';
import { academicYearStartOf } from '../src/domain/calendar.ts';
import { todayInEngland } from '../src/domain/dates.ts';
import { DEMO_PASSWORD } from '../src/services/demo.ts';
import { createServices } from '../src/services/index.ts';
import { TEST_AUDIT_KEY } from '../test/template.ts';
import { percentile, signedInServer } from './measure.ts';

const SENCO = 'senco@brookfield.example';
const DOWNLOADS = 10;

const ms = (n: number) => `${n.toFixed(1)} ms`;

/** This year's SEN information report of the demo school (the demo drafts it). */
async function reportOf(database: Database): Promise<string> {
  const [row] = await database.db
    .select({ id: schoolReport.id })
    .from(schoolReport)
    .where(
      and(
        eq(schoolReport.kind, 'sen_information'),
        eq(schoolReport.academicYear, academicYearStartOf(todayInEngland())),
      ),
    )
    .limit(1);
  if (!row) throw new Error('The demo school has no SEN information report this year: load the demo again');
  return row.id;
}

export async function schoolReportBench(database: Database, label: string) {
  console.log(
    `\n9. The SEN information report PDF (${label}, demo-sized school, SENCo; ${DOWNLOADS} downloads after 2 not counted)`,
  );
  const server = await signedInServer(database, SENCO, DEMO_PASSWORD);
  try {
    const url = `${server.base}/school-reports/${await reportOf(database)}/pdf`;
    const download = async () => {
      const r = await fetch(url, { headers: { cookie: server.cookie() } });
      const body = Buffer.from(await r.arrayBuffer());
      if (r.status !== 200) throw new Error(`${url} answered ${r.status}`);
      return body;
    };
    let body = await download();
    body = await download();
    const times: number[] = [];
    for (let i = 0; i < DOWNLOADS; i++) {
      const t = performance.now();
      await download();
      times.push(performance.now() - t);
    }
    const sorted = times.sort((a, b) => a - b);
    console.table([
      {
        document: 'SEN information report PDF',
        median: ms(percentile(sorted, 50)),
        p95: ms(percentile(sorted, 95)),
        pages: (body.toString('latin1').match(/\/Type\s*\/Page\b/g) ?? []).length,
        bytes: body.length,
      },
    ]);
    console.log(`   target: ≤ 2 s (p95 ${percentile(sorted, 95) <= 2000 ? 'within' : 'OVER'} it)`);
  } finally {
    await server.app.close();
  }
}

/** On its own: the demo school in a throwaway PGlite directory (or DATABASE_URL's database, as it is). */
async function main() {
  if (process.env.DATABASE_URL) {
    const database = await openPostgres(process.env.DATABASE_URL, { poolSize: 4, auditKey: TEST_AUDIT_KEY });
    await schoolReportBench(database, 'PostgreSQL');
    await database.close();
    return;
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'opensend-bench-reports-'));
  const database = await openPgliteDirectory(dir, { auditKey: TEST_AUDIT_KEY });
  try {
    await database.migrate();
    await createServices(database).demo.load({ schools: 1 }, 'bench');
    await database.analyzeGrownTables?.();
    await schoolReportBench(database, 'PGlite');
  } finally {
    await database.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
