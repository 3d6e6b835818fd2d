#!/usr/bin/env node
// The `opensend` command as `npm start` runs it: the bundle (dist/opensend.mjs, made by `npm install`)
// when it is newer than every file in src/, otherwise the TypeScript itself through tsx, so a change
// to the code is never run stale.
import { readdirSync, realpathSync, statSync } from 'node:fs';
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

/**
 * Is this file the program being run, rather than imported (as the tests import `entryToRun`)? Compared
 * by real path: `npx opensend`, `npm i -g` and any other link run it as node_modules/.bin/opensend or
 * the like, which Node resolves to this file for import.meta.url but leaves as given in process.argv[1].
 */
function isMain() {
  if (!process.argv[1]) return false;
  try {
    return realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isMain()) {
  if (entryToRun() === 'bundle') {
    await import(pathToFileURL(path.join(root, 'dist/opensend.mjs')).href);
  } else {
    const { register } = await import('tsx/esm/api');
    register();
    await import(pathToFileURL(path.join(root, 'src/cli/opensend.ts')).href);
  }
}
