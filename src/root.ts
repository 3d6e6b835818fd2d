import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * OpenSEND's own folder (the one holding package.json), found from this module whether it runs from
 * src/ through tsx or bundled into dist/ (scripts/build-server.mjs): templates, migrations and assets
 * are read from there.
 */
export const ROOT = (() => {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'package.json'))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error('OpenSEND cannot find its own folder (no package.json above it)');
    dir = up;
  }
  return dir;
})();
