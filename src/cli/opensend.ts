#!/usr/bin/env -S node --import tsx
/**
 * The `opensend` command. It calls services, never repositories, so it is authorised and audited
 * like the web.
 *   opensend serve [--demo] [--schools N]   run the server (the default)
 *   opensend migrate                         apply database migrations and exit
 *   opensend demo [--schools N]              fill an empty database with fictional schools and exit
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.ts';
import { openDatabase } from '../db/client.ts';
import { loadDemo, serve } from '../main.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    demo: { type: 'boolean', default: false },
    schools: { type: 'string', default: '1' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});

const command = positionals[0] ?? 'serve';
const schools = Number(values.schools);
if (!Number.isInteger(schools) || schools < 1 || schools > 1000) {
  console.error('--schools must be a whole number from 1 to 1000');
  process.exit(1);
}

if (values.help) {
  console.log('Usage: opensend [serve|migrate|demo] [--demo] [--schools N]');
} else if (command === 'serve') {
  await serve({ demo: values.demo, schools });
} else if (command === 'migrate' || command === 'demo') {
  const config = loadConfig();
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    await database.migrate();
    if (command === 'demo')
      await loadDemo((await import('../services/index.ts')).createServices(database), schools);
    else console.log('Migrations applied.');
  } finally {
    await database.close();
  }
} else {
  console.error(`Unknown command: ${command}. Use serve, migrate or demo.`);
  process.exit(1);
}
