import path from 'node:path';
import nunjucks from 'nunjucks';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../root.ts';
import { configureNunjucks } from '../shared/filters.ts';

/*
 * A review's decision quoted in a prompt ("A review decided to …: <its notes>.") ends with one full
 * stop, whether or not the SENCo ended the notes with one.
 */
function render(file: string, context: object): string {
  const env = new nunjucks.Environment(
    new nunjucks.FileSystemLoader([
      path.join(ROOT, 'src/web'),
      path.join(ROOT, 'node_modules/govuk-frontend/dist'),
    ]),
    { autoescape: true, throwOnUndefined: false, trimBlocks: true, lstripBlocks: true },
  );
  configureNunjucks(env);
  return env.render(file, context);
}

describe('a review’s decision quoted in a prompt', () => {
  it('has one full stop after notes that end with one', () => {
    for (const notes of ['Ask the local authority for it.', 'Ask the local authority for it']) {
      const html = render('features/ehc/views/pupil-section.njk', {
        ehc: { fromReviews: [{ notes, href: '/x' }], items: [] },
        paths: new Proxy({}, { get: () => () => '/x' }),
      });
      expect(html).toContain('Ask the local authority for it. <a');
      expect(html).not.toContain('..');
      const agencies = render('features/referrals/views/pupil-section.njk', {
        agencies: { fromReviews: [{ notes, href: '/x' }], items: [] },
        paths: new Proxy({}, { get: () => () => '/x' }),
      });
      expect(agencies).toContain('Ask the local authority for it. <a');
    }
  });
});
