import { makeUpn } from '../src/domain/upn.ts';
import { TEST_PASSWORD } from './builders/index.ts';

export interface HttpResponse {
  status: number;
  body: string;
  location: string | null;
}

/**
 * A browser-like client over real HTTP (for a server in another process): keeps cookies and the
 * latest CSRF token it was given, and does not follow redirects, so a 303 is seen as the
 * acknowledgement it is.
 */
export class HttpClient {
  private cookies = new Map<string, string>();
  token = '';
  /** Where the server is; change it when the server restarts on another port (cookies are kept). */
  constructor(public baseUrl: string) {}

  private async send(path: string, init: RequestInit): Promise<HttpResponse> {
    const headers = new Headers(init.headers);
    if (this.cookies.size) headers.set('cookie', [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '));
    const response = await fetch(`${this.baseUrl}${path}`, { ...init, headers, redirect: 'manual' });
    for (const line of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';');
      const at = pair.indexOf('=');
      const name = pair.slice(0, at).trim();
      const value = pair.slice(at + 1).trim();
      const expired = attributes.some((a) => /^\s*(max-age=0|expires=thu, 01 jan 1970)/i.test(a));
      if (value === '' || expired) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    const body = await response.text();
    const token = /name="_csrf" value="([^"]+)"/.exec(body)?.[1];
    if (token) this.token = token;
    return { status: response.status, body, location: response.headers.get('location') };
  }

  get(path: string): Promise<HttpResponse> {
    return this.send(path, { method: 'GET' });
  }

  post(path: string, form: Record<string, string>): Promise<HttpResponse> {
    return this.send(path, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: this.token, ...form }).toString(),
    });
  }
}

export const SETUP_SENCO_EMAIL = 'senco@crash.example';

/** Set up a new OpenSEND's school through its /setup page; the client is then signed in as its SENCo. */
export async function setUpSchoolOverHttp(client: HttpClient): Promise<void> {
  await client.get('/setup');
  const response = await client.post('/setup', {
    schoolName: 'Crashfield Primary',
    urn: '123456',
    laCode: '999',
    establishmentNumber: '2001',
    phase: 'primary',
    sencoName: 'Sam Senco',
    sencoEmail: SETUP_SENCO_EMAIL,
    password: TEST_PASSWORD,
    confirmPassword: TEST_PASSWORD,
  });
  if (response.status !== 303) throw new Error(`set-up failed: ${response.status}\n${response.body}`);
  await client.get('/pupils/new'); // a page with a form: its CSRF token
}

/** The form that adds pupil number `n` (a unique, valid UPN and surname). */
export function pupilForm(n: number): Record<string, string> {
  return {
    upn: makeUpn('999', '2001', 10 + Math.floor(n / 1000), n % 1000),
    forename: 'Crash',
    surname: `Test${n}`,
    sex: n % 2 ? 'female' : 'male',
    'dateOfBirth-day': '14',
    'dateOfBirth-month': '3',
    'dateOfBirth-year': '2018',
  };
}

export interface Write {
  n: number;
  status: number | string;
  pupilId: string | null;
  body: string;
}

/**
 * Add pupils over HTTP from `workers` parallel clients until `stop()` says so or the server stops
 * answering; every answer recorded.
 */
export function streamOfWrites(client: HttpClient, workers: number) {
  const writes: Write[] = [];
  let next = 0;
  let stopped = false;
  const worker = async () => {
    while (!stopped) {
      const n = next++;
      try {
        const response = await client.post('/pupils/new', pupilForm(n));
        const pupilId =
          response.status === 303
            ? (/^\/pupils\/([0-9a-f-]{36})$/.exec(response.location ?? '')?.[1] ?? null)
            : null;
        writes.push({ n, status: response.status, pupilId, body: response.body });
      } catch (error) {
        writes.push({ n, status: `no answer: ${(error as Error).message}`, pupilId: null, body: '' });
        return; // the server has gone: this client gives up
      }
    }
  };
  const done = Promise.all(Array.from({ length: workers }, worker));
  return {
    writes,
    async stop() {
      stopped = true;
      await done;
    },
  };
}
