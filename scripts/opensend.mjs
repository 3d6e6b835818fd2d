#!/usr/bin/env node
// The `opensend` command as `npm start` runs it: the bundle (dist/opensend.mjs, made by `npm install`)
// when it is newer than every file in src/, otherwise the TypeScript itself through tsx, so a change
// to the code is never run stale.
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The newest modification time of the files under `dir` (tests aside), in milliseconds. */
function newest(dir) {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) latest = Math.max(latest, newest(file));
    else if (!entry.name.endsWith('.test.ts')) latest = Math.max(latest, statSync(file).mtimeMs);
  }
  return latest;
}

/** What to run: 'bundle' when dist/opensend.mjs is as new as the sources, else 'source'. */
export function entryToRun(dir = root) {
  try {
    return statSync(path.join(dir, 'dist/opensend.mjs')).mtimeMs >= newest(path.join(dir, 'src'))
      ? 'bundle'
      : 'source';
  } catch {
    return 'source';
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  if (entryToRun() === 'bundle') {
    await import(pathToFileURL(path.join(root, 'dist/opensend.mjs')).href);
  } else {
    const { register } = await import('tsx/esm/api');
    register();
    await import(pathToFileURL(path.join(root, 'src/cli/opensend.ts')).href);
  }
}
