import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll } from 'vitest';
import type { Database } from '../src/db/client.ts';
import type { Services } from '../src/services/index.ts';
import { buildApp } from '../src/web/app.ts';
import { buildWorld, TEST_PASSWORD, testServices } from './builders/index.ts';
import { freshDatabase } from './db.ts';
import { appDatabases, codeFor } from './sign-in-code.ts';

export async function testApp(database: Database, services: Services = testServices(database)) {
  const app = await buildApp(services, {
    sessionSecret: 'test-secret-that-is-long-enough-0123456789',
    logLevel: 'silent',
    signInRateLimit: 1000,
  });
  appDatabases.set(app, database);
  return { app, services };
}

/** A browser-like client over app.inject: keeps cookies and the latest CSRF token it was given. */
export class Client {
  private cookies = new Map<string, string>();
  token = '';
  constructor(private readonly app: FastifyInstance) {}

  private cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  private remember(response: LightMyRequestResponse) {
    for (const c of response.cookies) {
      if (c.value === '' || (c.expires && c.expires.getTime() < Date.now())) this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
    const match = /name="_csrf" value="([^"]+)"/.exec(response.body);
    if (match?.[1]) this.token = match[1];
    return response;
  }

  async get(url: string) {
    return this.remember(
      await this.app.inject({ method: 'GET', url, headers: { cookie: this.cookieHeader() } }),
    );
  }

  async post(url: string, form: Record<string, string | string[]> = {}, options: { csrf?: boolean } = {}) {
    const params = new URLSearchParams();
    if (options.csrf !== false) params.set('_csrf', this.token);
    for (const [k, v] of Object.entries(form))
      for (const item of Array.isArray(v) ? v : [v]) params.append(k, item);
    return this.remember(
      await this.app.inject({
        method: 'POST',
        url,
        headers: { cookie: this.cookieHeader(), 'content-type': 'application/x-www-form-urlencoded' },
        payload: params.toString(),
      }),
    );
  }

  /** A form with one file, sent as multipart/form-data (an upload form), with the CSRF token. */
  async postFile(
    url: string,
    file: { field?: string; fileName: string; data: Buffer | string; type?: string },
    form: Record<string, string> = {},
  ) {
    const data = Buffer.isBuffer(file.data) ? file.data : Buffer.from(file.data);
    return this.postMultipart(url, form, {
      field: file.field ?? 'file',
      name: file.fileName,
      data,
      type: file.type ?? 'text/csv',
    });
  }

  /** A form with a file (multipart), as a browser sends an upload form: the CSRF token first. */
  async postMultipart(url: string, fields: Record<string, string>, file?: MultipartFile | MultipartFile[]) {
    const form = new FormData();
    form.append('_csrf', this.token);
    for (const [k, v] of Object.entries(fields)) form.append(k, v);
    for (const f of file === undefined ? [] : [file].flat())
      form.append(f.field, new Blob([new Uint8Array(f.data)], { type: f.type ?? 'text/xml' }), f.name);
    const request = new Request('http://localhost/', { method: 'POST', body: form });
    return this.remember(
      await this.app.inject({
        method: 'POST',
        url,
        headers: { cookie: this.cookieHeader(), 'content-type': request.headers.get('content-type') ?? '' },
        payload: Buffer.from(await request.arrayBuffer()),
      }),
    );
  }

  async signIn(email: string, password = TEST_PASSWORD) {
    await this.get('/sign-in');
    let response = await this.post('/sign-in', { email, password, returnTo: '/' });
    if (response.headers.location === '/sign-in/code') {
      // A parent or professional on a new device: the code sent by email.
      await this.get('/sign-in/code');
      response = await this.post('/sign-in/code', { code: await codeFor(this.app, email) });
    }
    if (response.statusCode !== 303) throw new Error(`sign-in failed for ${email}: ${response.statusCode}`);
    await this.get('/');
    return response;
  }
}

/** A file sent in a multipart form. */
export interface MultipartFile {
  field: string;
  name: string;
  data: Uint8Array;
  type?: string;
}

export interface TestApp {
  database: Database;
  services: Services;
  w: import('./builders/world.ts').World;
  app: FastifyInstance;
}

/** A fresh database, the usual world and the app over it, for one route-test file. */
export function useApp(): TestApp {
  const t = {} as TestApp;
  beforeAll(async () => {
    t.database = await freshDatabase();
    t.w = await buildWorld(t.database);
    const built = await testApp(t.database);
    t.app = built.app;
    t.services = built.services;
  });
  afterAll(async () => {
    await t.app?.close();
    await t.database?.close();
  });
  return t;
}
