// Bundles OpenSEND's TypeScript (src/, not its packages) into one ES module, dist/opensend.mjs, run by
// `npm start` (scripts/opensend.mjs) while it is newer than every file in src/. Starting from it
// spares loading and transforming some 250 modules through tsx at every start (about half of a
// restart's processor time). Run by `npm install` (prepare). esbuild is the one tsx already brings.
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const BUNDLE = path.join(root, 'dist', 'opensend.mjs');

async function esbuild() {
  const fromTsx = createRequire(createRequire(import.meta.url).resolve('tsx/package.json'));
  return import(pathToFileURL(fromTsx.resolve('esbuild')).href);
}

export async function buildServer() {
  const { build } = await esbuild();
  await build({
    entryPoints: [path.join(root, 'src/cli/opensend.ts')],
    outfile: BUNDLE,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    // The scripts stay files of their own (main.ts builds the stylesheet with one when it is missing).
    external: ['../scripts/*'],
    sourcemap: 'linked',
    logLevel: 'warning',
  });
  return BUNDLE;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const file = await buildServer();
  console.log(`Built ${path.relative(root, file)}`);
}
