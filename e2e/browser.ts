import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { and, eq } from 'drizzle-orm';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import type { Database } from '../src/db/client.ts';
import { concern, pupil, schoolClass } from '../src/db/schema/index.ts';
import type { DemoAccount } from '../src/services/demo.ts';
import { createServices, type Services } from '../src/services/index.ts';
import { buildApp } from '../src/web/app.ts';
import { freshDatabase } from '../test/db.ts';
import { latestSignInCode } from '../test/sign-in-code.ts';

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
/**
 * Which Chromium the browser tests drive: CHROMIUM_PATH, else Debian's /usr/bin/chromium, else the
 * one shipped inside the @sparticuz/chromium package (unpacked once by test/global-setup.ts), so a
 * fresh machine with nothing but Node runs them too.
 */
export function chromiumPath(): string {
  return process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
}

/** Chromium, headless, with the flags that keep it off the (closed) network. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-quic',
      '--no-first-run',
      '--disable-default-apps',
      '--disable-extensions',
    ],
  });
}

/** A real OpenSEND server on a free loopback port. */
export async function startServer(database: Database, services: Services = createServices(database)) {
  const app = await buildApp(services, {
    sessionSecret: 'e2e-secret-that-is-long-enough-0123456789',
    logLevel: 'silent',
    signInRateLimit: 1000,
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  return { app, services, baseUrl: `http://127.0.0.1:${port}` };
}

interface Violation {
  id: string;
  impact: string;
  help: string;
  nodes: string[];
}

/** Run axe-core on the page (WCAG 2.0, 2.1 and 2.2, A and AA) and fail on any violation. */
export async function expectAccessible(page: Page): Promise<void> {
  const loaded = await page.evaluate('typeof window.axe !== "undefined"');
  if (!loaded) await page.evaluate(AXE_SOURCE);
  const violations = (await page.evaluate(`
    axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] } })
      .then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')) })))
  `)) as Violation[];
  expect(violations, `axe violations on ${page.url()}:\n${JSON.stringify(violations, null, 2)}`).toEqual([]);
}

/**
 * A page that is checked with axe after every navigation, and whose console must show no errors
 * (a Content Security Policy violation shows there).
 */
export async function checkedPage(
  browser: Browser,
  baseUrl: string,
  options: { viewport?: { width: number; height: number }; javaScript?: boolean } = {},
) {
  const context = await browser.newContext({
    baseURL: baseUrl,
    acceptDownloads: true,
    // With the page's own scripts off when asked (every page must work without them).
    ...(options.javaScript === false ? { javaScriptEnabled: false } : {}),
    // A phone-sized screen when asked (a teaching assistant between sessions).
    ...(options.viewport ? { viewport: options.viewport, isMobile: true, hasTouch: true } : {}),
  });
  const page = await context.newPage();
  page.setDefaultTimeout(5000);
  const consoleErrors: string[] = [];
  page.on('console', (m) => {
    // The document's own status (a deliberate 400 or 404) is logged too: resources are checked below.
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) consoleErrors.push(m.text());
  });
  page.on('response', (r) => {
    if (r.status() >= 400 && r.request().resourceType() !== 'document')
      consoleErrors.push(`${r.status()} ${r.url()}`);
  });
  page.on('pageerror', (e) => consoleErrors.push(e.message));
  const visited: string[] = [];
  const check = async () => {
    await page.waitForLoadState('load');
    visited.push(new URL(page.url()).pathname);
    // axe is itself a script: with scripts off it cannot run (the same pages are checked with them on).
    if (options.javaScript !== false) await expectAccessible(page);
    expect(consoleErrors, `console errors on ${page.url()}`).toEqual([]);
  };
  return { page, context, check, visited };
}

/** Sign in with the keyboard: the skip link comes first, then the form is sent with Enter. */
export async function signIn(page: Page, check: () => Promise<void>, email: string, password: string) {
  await page.goto('/sign-in');
  await check();
  await page.keyboard.press('Tab');
  expect(await page.evaluate('document.activeElement && document.activeElement.textContent.trim()')).toBe(
    'Skip to main content',
  );
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByLabel('Password', { exact: true }).press('Enter');
  await page.waitForURL((url) => !url.pathname.startsWith('/sign-in') || url.pathname === '/sign-in/code');
  if (new URL(page.url()).pathname === '/sign-in/code') {
    // A parent or professional on a new device: the code sent by email, read from the outbox.
    await check();
    if (!codeDatabase) throw new Error('Sign-in asked for a code, and no browser world is running');
    await page.getByLabel('Code from the email').fill(await latestSignInCode(codeDatabase, email));
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'));
  }
  await check();
}

/** The database of the running browser world, where a sign-in code sent by email is read. */
let codeDatabase: Database | undefined;

export async function signOut(page: Page, check: () => Promise<void>) {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.waitForURL(/\/sign-in/);
  await check();
}

/** Wait until the element is visible (fails the test after 5 seconds). */
export async function visible(locator: import('playwright-core').Locator): Promise<void> {
  await locator.first().waitFor({ state: 'visible', timeout: 5000 });
}

/**
 * Move focus with the Tab key only until the focused element matches, as a keyboard user would.
 * Fails if it is not reached within `limit` presses.
 */
export async function tabTo(page: Page, describe: string, matches: string, limit = 80): Promise<void> {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press('Tab');
    const found = await page.evaluate(
      `(() => { const el = document.activeElement; return !!el && (${matches}); })()`,
    );
    if (found) return;
  }
  throw new Error(`Could not reach ${describe} with the Tab key on ${page.url()}`);
}

export interface BrowserWorld {
  database: Database;
  server: Awaited<ReturnType<typeof startServer>>;
  browser: Browser;
  /** Demo sign-ins, when the world was made with the demo school. */
  accounts: DemoAccount[];
  password: string;
  /** The demo account whose description starts with `role` ("SENCo", "class teacher", …). */
  account(role: string): DemoAccount;
}

/**
 * For a browser test file: a fresh database and a real server (with the demo school when a seed is
 * given) and Chromium, made before the tests and closed after them.
 */
export function useBrowserWorld(options: { demoSeed?: number } = {}): BrowserWorld {
  const world = {
    accounts: [],
    password: '',
    account(role: string) {
      const found = world.accounts.find((a) => a.role.startsWith(role));
      if (!found) throw new Error(`No demo account for ${role}`);
      return found;
    },
  } as unknown as BrowserWorld;
  beforeAll(async () => {
    world.database = await freshDatabase();
    codeDatabase = world.database;
    world.server = await startServer(world.database);
    if (options.demoSeed !== undefined) {
      const demo = await world.server.services.demo.load({ schools: 1, seed: options.demoSeed }, 'e2e');
      world.accounts = demo.accounts;
      world.password = demo.password;
    }
    world.browser = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    await world.browser?.close();
    await world.server?.app.close();
    await world.database?.close();
  });
  return world;
}

/** A pupil of the demo class teacher's class who is on no list, has no concern and a surname no classmate shares. */
export async function quietPupilOfTeacher(world: BrowserWorld) {
  const className = world.account('class teacher').role.replace('class teacher of ', '');
  const db = world.database.db;
  const rows = await db
    .select({ id: pupil.id, forename: pupil.forename, surname: pupil.surname })
    .from(pupil)
    .innerJoin(schoolClass, and(eq(schoolClass.schoolId, pupil.schoolId), eq(schoolClass.id, pupil.classId)))
    .where(and(eq(schoolClass.name, className), eq(pupil.senStage, 'none')));
  const raised = new Set((await db.select({ id: concern.pupilId }).from(concern)).map((r) => r.id));
  const counts = new Map<string, number>();
  for (const r of rows) counts.set(r.surname, (counts.get(r.surname) ?? 0) + 1);
  const found = rows.find((r) => !raised.has(r.id) && counts.get(r.surname) === 1);
  if (!found) throw new Error(`No suitable pupil in ${className}`);
  return found;
}
