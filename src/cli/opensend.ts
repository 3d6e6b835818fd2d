#!/usr/bin/env -S node --import tsx
/**
 * The `opensend` command. It calls services, never repositories, so what it does is authorised and
 * audited like the web.
 *   opensend serve [--demo] [--schools N]                 run the server (the default)
 *   opensend migrate                                      apply database migrations and exit
 *   opensend demo [--schools N]                           fill an empty database with fictional schools
 *   opensend reset-password EMAIL                         a one-time password, to be changed at sign-in
 *   opensend create-senco --school URN --email E --name N make someone a school's SENCo
 *   opensend audit verify [--checkpoint FILE]             check the audit trail for tampering
 *   opensend audit checkpoint [FILE]                      a signed checkpoint of the trail, kept elsewhere
 *   opensend backup FILE / restore FILE [--allow-unencrypted] [--allow-audit-key-change]
 *   opensend import pupils FILE --as EMAIL [--school URN] [--apply] [--responsibility KINDS]
 *                                                         pupils from an MIS export: preview, or apply
 */
import { parseArgs } from 'node:util';
import { serve } from '../main.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  strict: false,
  options: { demo: { type: 'boolean' }, schools: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
});
const command = positionals[0] ?? 'serve';
if (command === 'serve' && !values.help) {
  const schools = Number(values.schools ?? '1');
  if (!Number.isInteger(schools) || schools < 1 || schools > 1000) {
    console.error('--schools must be a whole number from 1 to 1000');
    process.exit(1);
  }
  await serve({ demo: values.demo === true, schools });
} else {
  await (await import('./commands.ts')).runCommand();
}
