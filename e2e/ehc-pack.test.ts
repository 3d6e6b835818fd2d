import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../src/root.ts';
import { examplePack } from '../test/builders/ehc-example.ts';
import { renderPackHtml } from '../test/ehc-pack-html.ts';
import { expectAccessible, launchBrowser } from './browser.ts';

/*
 * The read-only evidence pack (the `ehcPack` macro) in Chromium with OpenSEND's stylesheet, checked by
 * axe-core (WCAG 2.2 AA): as the SENCo's request page shows it with items left out, and as the local
 * authority's case page shows it under its own headings. The pages that hold it run their own journeys.
 */

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

const css = readFileSync(path.join(ROOT, 'dist/assets/opensend.css'), 'utf8');
function page(body: string) {
  return `<!DOCTYPE html><html lang="en-GB" class="govuk-template"><head><meta charset="utf-8"><title>Request for an EHC needs assessment</title><style>${css}</style></head>
<body class="govuk-template__body"><div class="govuk-width-container"><main class="govuk-main-wrapper" id="main-content">${body}</main></div></body></html>`;
}

describe('the evidence pack as HTML', () => {
  it('has no accessibility violations, with items left out and under a page’s own heading', async () => {
    const pack = examplePack();
    const context = await browser.newContext();
    const tab = await context.newPage();
    for (const html of [
      `<h1 class="govuk-heading-xl">Request for an EHC needs assessment</h1>${renderPackHtml(pack, {
        leftOut: [pack.intervention.plans[0]!.key, 'profile'],
      })}`,
      `<h1 class="govuk-heading-xl">Case</h1><h2 class="govuk-heading-l">What the school sent</h2>${renderPackHtml(
        pack,
        {
          headingLevel: 3,
        },
      )}`,
    ]) {
      await tab.setContent(page(html));
      await expectAccessible(tab);
      expect(await tab.getByRole('heading', { level: html.includes('Case') ? 3 : 2 }).count()).toBe(9);
      await expect(tab.getByRole('table', { name: 'The child', exact: true }).isVisible()).resolves.toBe(
        true,
      );
    }
    await context.close();
  });
});
