// Compiles OpenSEND's stylesheet (GOV.UK Frontend with Arial) into dist/assets. Run by `npm install`
// (prepare) and again by the server at start when the output is missing.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as sass from 'sass';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export function buildAssets() {
  const result = sass.compile(path.join(root, 'src/web/public/opensend.scss'), {
    loadPaths: [path.join(root, 'node_modules')],
    style: 'compressed',
    quietDeps: true,
    silenceDeprecations: ['import', 'global-builtin'],
  });
  const out = path.join(root, 'dist/assets');
  mkdirSync(out, { recursive: true });
  writeFileSync(path.join(out, 'opensend.css'), result.css);
  return path.join(out, 'opensend.css');
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const file = buildAssets();
  console.log(`Built ${path.relative(root, file)}`);
}
