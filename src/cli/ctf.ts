/** `opensend import ctf` and `opensend export ctf`: as a named member of staff, through the services. */
import { existsSync } from 'node:fs';
import { readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { needLabel } from '../domain/census.ts';
import { parseDfeNumber } from '../domain/ctf/model.ts';
import { CTF_MAX_BYTES } from '../domain/ctf/read.ts';
import { formatDate } from '../domain/dates.ts';
import { CHANGE_LABELS, type RegisterPosition, stageLabel } from '../domain/register.ts';
import type { CommandRunner } from '../services/admin.ts';
import type { Services } from '../services/index.ts';
import { ValidationError } from '../services/kernel/errors.ts';

const positionText = (p: RegisterPosition) =>
  `${stageLabel(p.stage)}${[p.primaryNeed, p.secondaryNeed]
    .filter((n) => n !== null)
    .map((n) => `, ${needLabel(n)}`)
    .join('')}`;

function problem(message: string): never {
  throw new ValidationError([{ field: 'form', message }]);
}

/** Preview a CTF, and apply it with --apply (new pupils, and the new SEN history of pupils already here). */
export async function importCtfCommand(
  services: Services,
  args: { file: string; email: string; urn: string | undefined; apply: boolean },
  runner: CommandRunner,
) {
  const actor = await services.admin.actorForCommand(args.email, runner, args.urn);
  const info = await stat(args.file).catch(() => problem(`There is no file ${args.file}`));
  if (!info.isFile()) problem(`${args.file} is not a file`);
  if (info.size > CTF_MAX_BYTES)
    problem(`${args.file} is larger than 20 MB: it is not a Common Transfer File OpenSEND can read`);
  const data = await readFile(args.file);
  const importId = await services.transfers.previewCtf(actor, { fileName: path.basename(args.file), data });
  const { plan, version } = await services.transfers.ctfImport(actor, importId);
  console.log(`Common Transfer File from ${plan.source.name} (${plan.pupils.length} pupils):`);
  if (plan.warning) console.log(`Warning: ${plan.warning}`);
  for (const p of plan.pupils) {
    const head = `  Pupil ${p.position} in the file, ${p.name} (${p.upn || 'no UPN'}):`;
    if (p.status === 'problem') {
      console.log(`${head} left out`);
      for (const m of p.problems) console.log(`      - ${m}`);
      continue;
    }
    const what = {
      new: `new pupil${p.sets && p.sets.stage !== 'none' ? `, at ${positionText(p.sets)}` : ''}`,
      history: `already here, ${p.entries.length} SEN history entries to add${p.sets ? `, placed at ${positionText(p.sets)}` : ' (their SEN stage stays as recorded)'}`,
      unchanged: 'already here, nothing new',
    }[p.status];
    console.log(`${head} ${what}`);
    for (const e of p.entries) {
      console.log(`      ${formatDate(e.effectiveDate)}: ${CHANGE_LABELS[e.kind]} (${positionText(e.to)})`);
    }
  }
  if (!args.apply) {
    console.log('No pupil was changed. Run the same command with --apply to apply this file.');
    return;
  }
  const historyFor = plan.pupils.flatMap((p) => (p.status === 'history' && p.pupilId ? [p.pupilId] : []));
  const result = await services.transfers.applyCtf(actor, importId, { version, historyFor });
  console.log(
    `Applied: ${result.created} pupils added; SEN history added for ${result.historyAdded} pupils already here.`,
  );
}

/** Make a CTF for leavers named by UPN, and write it into --out (a file already there is never overwritten). */
export async function exportCtfCommand(
  services: Services,
  args: { email: string; urn: string | undefined; upns: string[]; dest: string | undefined; out: string },
  runner: CommandRunner,
) {
  const actor = await services.admin.actorForCommand(args.email, runner, args.urn);
  const destination = args.dest ? parseDfeNumber(args.dest) : null;
  if (args.dest && !destination)
    problem('--dest must be the DfE number of the school: 7 numbers, like 8884321, or MMMXXXX');
  if (!existsSync(args.out)) problem(`There is no folder ${args.out}`);
  const pupilIds = await services.transfers.leaverIdsByUpn(
    actor,
    args.upns.map((u) => u.replace(/\s+/g, '').toUpperCase()),
  );
  const made = await services.transfers.produceCtf(actor, { pupilIds, destination });
  const file = await services.transfers.downloadCtf(actor, made.exportId);
  const target = path.join(args.out, file.fileName);
  await writeFile(target, file.xml, { flag: 'wx' }).catch(() =>
    problem(`${target} already exists: it was not overwritten`),
  );
  console.log(`Common Transfer File written to ${target} (${pupilIds.length} pupils).`);
  console.log('Send it to the new school through the DfE’s school-to-school service.');
}
