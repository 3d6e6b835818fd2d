import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { findChromium } from './global-setup.ts';

describe('the browser the tests drive', () => {
  it('falls back to the Chromium shipped in an npm package on a machine without Debian’s', async () => {
    const env: NodeJS.ProcessEnv = {};
    await findChromium(env, '/no/such/chromium');
    expect(env.CHROMIUM_PATH).toBeTruthy();
    const browser = await chromium.launch({
      executablePath: env.CHROMIUM_PATH!,
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
      ],
    });
    const page = await browser.newPage();
    await page.setContent('<main><h1>OpenSEND</h1></main>');
    expect(await page.textContent('h1')).toBe('OpenSEND');
    await browser.close();
  }, 60_000);
});
