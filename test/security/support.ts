import { sql } from 'drizzle-orm';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { Database } from '../../src/db/client.ts';
import { subjectAccessZip } from '../../src/documents/subject-access.ts';
import type { Services } from '../../src/services/index.ts';
import type { Actor, SchoolActor } from '../../src/services/kernel/actor.ts';
import {
  buildAgency,
  buildFinalPlan,
  buildOrganisation,
  buildParent,
  buildPlan,
  buildProvisionGroup,
  buildPupil,
  buildReceivedCase,
  buildReferral,
  buildReport,
  misCsv,
  misRowFor,
  sendTopUp,
  TEST_PASSWORD,
  TODAY,
} from '../builders/index.ts';
import { reportPdf } from '../report-files.ts';
import { codeFor } from '../sign-in-code.ts';

/**
 * Helpers shared by the security suites: counting every table's rows (to prove a refused request
 * changed nothing), and reading what the audit trail holds.
 */

/** Tables whose rows a refused request may legitimately add: the audit trail and sign-in throttling. */
export const TABLES_A_REFUSAL_MAY_CHANGE = new Set(['audit_event', 'audit_event_pupil', 'sign_in_throttle']);

let tableNames: string[] | null = null;

/** Every table of the application's schema, from information_schema (a new table is counted too). */
export async function applicationTables(database: Database): Promise<string[]> {
  if (tableNames) return tableNames;
  const result = await database.db.execute(sql`
    select table_name::text as name from information_schema.tables
    where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`);
  const rows = (result as unknown as { rows: { name: string }[] }).rows;
  tableNames = rows.map((r) => r.name).filter((n) => !TABLES_A_REFUSAL_MAY_CHANGE.has(n));
  if (tableNames.length < 10) throw new Error(`only ${tableNames.length} tables found: ${tableNames}`);
  return tableNames;
}

/** The number of rows of every application table (audit and throttle tables left out), in one query. */
export async function rowCounts(database: Database): Promise<Record<string, number>> {
  const names = await applicationTables(database);
  const columns = names.map((n) => `(select count(*) from "${n}")::int as "${n}"`).join(', ');
  const result = await database.db.execute(sql.raw(`select ${columns}`));
  const row = (result as unknown as { rows: Record<string, number | string>[] }).rows[0] ?? {};
  return Object.fromEntries(names.map((n) => [n, Number(row[n])]));
}

/** The tables whose row counts differ, with before and after. */
export function changedTables(before: Record<string, number>, after: Record<string, number>) {
  return Object.keys({ ...before, ...after })
    .filter((k) => before[k] !== after[k])
    .map((k) => `${k}: ${before[k]} → ${after[k]}`);
}

export interface AuditRow {
  id: number;
  school_id: string | null;
  user_id: string | null;
  action: string;
  pupil_id: string | null;
  detail: Record<string, unknown> | null;
}

/** Audit rows, oldest first: with this action, and/or written after the row `afterId`. */
export async function auditRows(
  database: Database,
  filter: { action?: string; afterId?: number } = {},
): Promise<AuditRow[]> {
  const result = await database.db.execute(sql`
    select id, school_id::text as school_id, user_id::text as user_id, action, pupil_id::text as pupil_id,
      detail from audit_event
    where (${filter.action ?? null}::text is null or action = ${filter.action ?? null})
      and id > ${filter.afterId ?? 0}
    order by id`);
  const rows = (
    result as unknown as { rows: (Omit<AuditRow, 'id' | 'detail'> & { id: unknown; detail: unknown })[] }
  ).rows;
  return rows.map((r) => ({
    ...r,
    id: Number(r.id),
    detail: (typeof r.detail === 'string' ? JSON.parse(r.detail) : r.detail) as Record<
      string,
      unknown
    > | null,
  }));
}

/** The highest audit row id so far: rows after it were written by what a test did next. */
export async function lastAuditId(database: Database): Promise<number> {
  const result = await database.db.execute(sql`select coalesce(max(id), 0)::int as id from audit_event`);
  return Number((result as unknown as { rows: { id: number | string }[] }).rows[0]?.id ?? 0);
}

/** Make every session of this person idle for longer than the limit (as if they left the page). */
export async function makeSessionsIdle(database: Database, userId: string): Promise<void> {
  await database.db.execute(
    sql`update user_session set last_seen_at = now() - interval '3 hours' where user_id = ${userId}`,
  );
}

/** A UUID in a route pattern's place, by parameter name: `/pupils/:pupilId` → `/pupils/<id>`. */
export function fillPath(pattern: string, ids: Record<string, string>): string {
  return pattern.replace(/:([A-Za-z]+)/g, (_m, name: string) => {
    const id = ids[name];
    if (!id) throw new Error(`no id for :${name} in ${pattern}`);
    return id;
  });
}

/** The names of a route pattern's parameters. */
export function paramsOf(pattern: string): string[] {
  return [...pattern.matchAll(/:([A-Za-z]+)/g)].map((m) => m[1] as string);
}

type Form = Record<string, string | string[]>;

/**
 * A browser over app.inject, like test/client.ts, that also lets a test set headers (a proxy's
 * X-Forwarded-For), send raw bodies, and read or swap its cookies (to combine one person's session
 * with another's CSRF cookie).
 */
export class Browser {
  readonly cookies = new Map<string, string>();
  token = '';
  constructor(
    readonly app: FastifyInstance,
    readonly headers: Record<string, string> = {},
  ) {}

  cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  remember(response: LightMyRequestResponse): LightMyRequestResponse {
    for (const c of response.cookies) {
      if (c.value === '' || (c.expires && c.expires.getTime() < Date.now())) this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
    const match = /name="_csrf" value="([^"]+)"/.exec(response.body);
    if (match?.[1]) this.token = match[1];
    return response;
  }

  async get(url: string, headers: Record<string, string> = {}) {
    return this.remember(
      await this.app.inject({
        method: 'GET',
        url,
        headers: { ...this.headers, ...headers, cookie: this.cookieHeader() },
      }),
    );
  }

  async post(
    url: string,
    form: Form = {},
    options: { csrf?: string | false; headers?: Record<string, string> } = {},
  ) {
    const params = new URLSearchParams();
    if (options.csrf !== false) params.set('_csrf', options.csrf ?? this.token);
    for (const [k, v] of Object.entries(form)) for (const item of [v].flat()) params.append(k, item);
    return this.send('POST', url, params.toString(), 'application/x-www-form-urlencoded', options.headers);
  }

  /** A request with a body exactly as given. */
  async send(
    method: 'GET' | 'POST',
    url: string,
    payload: string | Buffer,
    contentType: string,
    headers: Record<string, string> = {},
  ) {
    return this.remember(
      await this.app.inject({
        method,
        url,
        headers: { ...this.headers, ...headers, cookie: this.cookieHeader(), 'content-type': contentType },
        payload,
      }),
    );
  }

  /** Follow 303s from a response, as a browser does, and return the page it lands on. */
  async follow(response: LightMyRequestResponse, limit = 5): Promise<LightMyRequestResponse> {
    let r = response;
    for (let i = 0; i < limit && r.statusCode >= 300 && r.statusCode < 400; i++) {
      r = await this.get(String(r.headers.location));
    }
    return r;
  }

  /** Sign in from the sign-in page; the answer to the POST (a 303 when it worked). */
  async signIn(email: string, password = TEST_PASSWORD, form: Form = {}) {
    await this.get('/sign-in');
    const response = await this.post('/sign-in', { email, password, ...form });
    if (response.headers.location !== '/sign-in/code') return response;
    // A parent or professional on a new device: the code sent by email, read from the outbox.
    await this.get('/sign-in/code');
    return this.post('/sign-in/code', { code: await codeFor(this.app, email) });
  }

  /** Sign in and follow to the first page, failing loudly when sign-in does not work. */
  async signedIn(email: string, password = TEST_PASSWORD) {
    const response = await this.signIn(email, password);
    if (response.statusCode !== 303) throw new Error(`sign-in failed for ${email}: ${response.statusCode}`);
    await this.follow(response);
    return this;
  }
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", '#x27': "'" };
export const unescapeHtml = (s: string) =>
  s.replace(/&(amp|lt|gt|quot|#39|#x27);/g, (_m, e: string) => ENTITIES[e] ?? _m);

/**
 * The action and fields of the form on a page that holds a field with this name, as a browser would
 * send it unchanged: checked radios and checkboxes, selected options, textareas (its CSRF token left out).
 */
export function formWith(html: string, fieldName: string): { action: string; fields: Form } {
  for (const m of html.matchAll(/<form\b[^>]*\baction="([^"]*)"[^>]*>([\s\S]*?)<\/form>/g)) {
    const body = m[2] ?? '';
    if (!body.includes(`name="${fieldName}"`)) continue;
    const fields: Form = {};
    const add = (name: string, value: string) => {
      if (name === '_csrf') return;
      const had = fields[name];
      fields[name] = had === undefined ? value : [...[had].flat(), value];
    };
    const attr = (tag: string, name: string) => new RegExp(`\\b${name}="([^"]*)"`).exec(tag)?.[1];
    for (const input of body.matchAll(/<input\b[^>]*>/g)) {
      const tag = input[0];
      const name = attr(tag, 'name');
      const type = attr(tag, 'type') ?? 'text';
      if (!name) continue;
      if ((type === 'radio' || type === 'checkbox') && !/\bchecked\b/.test(tag)) continue;
      add(name, unescapeHtml(attr(tag, 'value') ?? (type === 'checkbox' ? 'on' : '')));
    }
    for (const select of body.matchAll(/<select\b[^>]*\bname="([^"]*)"[^>]*>([\s\S]*?)<\/select>/g)) {
      const options = [...(select[2] ?? '').matchAll(/<option\b[^>]*>/g)].map((o) => o[0]);
      const chosen = options.find((o) => /\bselected\b/.test(o)) ?? options[0];
      if (chosen) add(select[1] as string, unescapeHtml(attr(chosen, 'value') ?? ''));
    }
    for (const area of body.matchAll(/<textarea\b[^>]*\bname="([^"]*)"[^>]*>([\s\S]*?)<\/textarea>/g)) {
      add(area[1] as string, unescapeHtml((area[2] ?? '').replace(/^\n/, '')));
    }
    return { action: unescapeHtml(m[1] ?? ''), fields };
  }
  throw new Error(`no form with a field named ${fieldName}`);
}

/**
 * One record of each kind a route takes by id, made through the services as the given SENCo would
 * (their school's): the security suites fill path parameters from these by name. A new kind of id is
 * added here, once, for both suites.
 */
export async function recordIdsOf(
  services: Services,
  database: Database,
  side: {
    actor: SchoolActor;
    schoolId: string;
    classId: string;
    pupil: { id: string; upn: string; forename: string; surname: string; dateOfBirth: string; sex?: string };
  },
): Promise<Record<string, string>> {
  const { schoolId } = side;
  const importId = (
    await services.imports.upload(side.actor, {
      fileName: 'pupils.csv',
      data: Buffer.from(misCsv([misRowFor(side.pupil)], { upn: 'UPN', surname: 'Family name', sex: 'Sex' })),
    })
  ).importId;
  const leaver = await buildPupil(database.db, { schoolId, surname: 'Leaver' });
  await services.transfers.recordLeaving(side.actor, leaver.id, {
    version: 1,
    leftOn: TODAY,
    destination: null,
    destinationUrn: null,
  });
  const made = await services.transfers.produceCtf(side.actor, { pupilIds: [leaver.id], destination: null });
  const templates = await services.letters.templates(side.actor);
  // A provision group from the school's catalogue, with the pupil in it.
  const { interventions } = await services.provision.catalogue(side.actor);
  const interventionId = interventions[0]!.id;
  const groupId = await services.provision.startGroup(side.actor, {
    interventionId,
    name: 'Reading group',
    deliverer: { userId: side.actor.userId },
    delivererKind: 'teacher',
    startDate: TODAY,
    endDate: null,
    sessionsPerWeek: 3,
    minutesPerSession: 20,
    location: null,
    agency: null,
    pupilIds: [side.pupil.id],
  });
  const group = await services.provision.group(side.actor, groupId, { audit: false });
  // A subject access request about the pupil, its export produced (so it can be downloaded).
  const subjectAccessId = await services.subjectAccess.record(side.actor, side.pupil.id, {
    requester: 'parent',
    requesterName: 'A Parent',
    receivedOn: TODAY,
    notes: null,
  });
  const gathered = await services.subjectAccess.gather(side.actor, subjectAccessId);
  await services.subjectAccess.saveExport(
    side.actor,
    subjectAccessId,
    gathered.version,
    await subjectAccessZip(gathered),
  );
  // A leaver long gone, past the retention date, listed by the nightly review.
  const longGone = await buildPupil(database.db, {
    schoolId,
    surname: 'Longgone',
    dateOfBirth: '2000-03-03',
    leftOn: '2012-07-20',
  });
  await services.retention.review();
  const retentionReviewId = (await services.retention.list(side.actor)).waiting.find(
    (r) => r.pupilId === longGone.id,
  )!.id;
  // A service of the school's own directory with a professional.
  const agencyId = await services.agencies.addAgency(side.actor, {
    name: 'Speech and language',
    serviceKind: 'speech_and_language_therapy',
    contactName: null,
    email: null,
    phone: null,
    website: null,
    address: null,
    howToRefer: null,
    needsFromSchool: null,
    typicalWaitWeeks: null,
  });
  const agencyProfessionalId = await services.agencies.addProfessional(side.actor, agencyId, {
    name: 'Sam Therapist',
    jobTitle: null,
    email: null,
  });
  // A referral of the pupil with a parent's consent and its signed form.
  const service = await buildAgency(database.db, schoolId);
  const referralId = await services.referrals.start(side.actor, side.pupil.id, {
    agencyId: service.id,
    question: 'What would help?',
    tried: null,
    shareSections: ['plans'],
    shareDocuments: null,
    lawfulBasis: 'public_task',
    basisNote: 'Section 19 Children and Families Act 2014',
    forEhcAssessment: false,
    concernId: null,
    pupilActionId: null,
  });
  const carer = await buildParent(database.db, { schoolId, id: side.pupil.id }, { name: 'A Parent' });
  const consentId = await services.referrals.recordConsent(side.actor, referralId, {
    givenBy: 'parent',
    parentId: carer.id,
    how: 'signed_form',
    givenOn: TODAY,
    coversReferral: true,
    coversSharing: true,
    coversDocuments: null,
    validUntil: null,
    form: {
      name: 'consent.pdf',
      bytes: Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n'),
    },
  });
  // The school's summer closure (for the local authority's clock).
  const { closureId } = await services.closures.add(side.actor, {
    firstDay: '2027-07-22',
    lastDay: '2027-08-31',
    note: null,
  });
  // A request for an EHC needs assessment of the pupil, being written.
  const ehcRequestId = await services.ehcRequests.start(side.actor, side.pupil.id, {
    requestedBy: 'school',
    parentId: null,
    parentRequestNote: null,
    pupilActionId: null,
  });
  // The annual review of an EHC plan of the pupil, being arranged (a plan of an authority of its own).
  const organisation = await buildOrganisation(database.db, `Authority of ${schoolId.slice(0, 8)}`);
  await buildFinalPlan(database.db, { schoolId, ...side.pupil }, organisation.id, { issuedOn: '2025-12-01' });
  const annualReviewId = await services.annualReviews.start(side.actor, side.pupil.id);
  // A plan from another local authority, recorded by the school from its PDF.
  const { summaryId } = await services.schoolEhcPlans.recordSummary(side.actor, side.pupil.id, {
    localAuthorityName: 'Westshire Council',
    issuedOn: '2025-11-20',
    lastReviewOn: null,
    outcomes: ['Read a short book aloud'],
    provision: [
      { what: 'Daily reading', who: 'A teaching assistant', frequency: 'Daily', duration: '15 minutes' },
    ],
    file: { name: 'plan.pdf', bytes: await reportPdf('EHC plan') },
  });
  return {
    closureId,
    ehcRequestId,
    annualReviewId,
    summaryId,
    agencyId,
    agencyProfessionalId,
    referralId,
    consentId,
    subjectAccessId,
    retentionReviewId,
    classId: side.classId,
    importId,
    ctfExportId: made.exportId,
    templateId: (templates[0] as { id: string }).id,
    interventionId,
    groupId,
    memberId: group.members[0]!.member.id,
    // A draft of the school's SEN information report.
    schoolReportId: await services.schoolReports.start(side.actor, {
      kind: 'sen_information',
      academicYear: Number(TODAY.slice(0, 4)),
    }),
    // An assessment subject of the school (reading, by default).
    subjectId: (await services.attainment.subjects(side.actor)).inUse[0]!.id,
  };
}

/**
 * A local authority's case about a pupil of one of its schools, as the school's "Send to the local
 * authority" opens it, with advice asked and an open-ended exception recorded by the authority's
 * caseworker: the ids the caseload's routes take.
 */
export async function caseIdsOf(
  services: Services,
  database: Database,
  officer: { actor: Actor; organisationId: string },
  pupil: { schoolId: string; id: string; upn: string },
): Promise<{ caseId: string; adviceId: string; exceptionId: string }> {
  const { caseId } = await buildReceivedCase(database.db, pupil, officer.organisationId, {
    receivedOn: '2026-10-01',
  });
  const { adviceId } = await services.caseload.askAdvice(officer.actor, caseId, {
    version: 1,
    source: 'health',
    askedOf: 'Community paediatrics',
    schoolId: null,
    requestedOn: '2026-10-05',
    alreadyHeld: false,
    receivedOn: null,
    note: null,
  });
  const { exceptionId } = await services.caseload.recordException(officer.actor, caseId, {
    version: 2,
    ground: 'absence',
    startsOn: '2026-10-10',
    endsOn: null,
    note: null,
  });
  return { caseId, adviceId, exceptionId };
}

/** A letter about the pupil (the Appendix D letter to the given parent), produced as the given SENCo. */
export async function letterAbout(services: Services, actor: SchoolActor, pupilId: string, parentId: string) {
  const templates = await services.letters.templates(actor);
  const placement = templates.find((t) => t.kind === 'register_placement') as { id: string };
  return services.letters.produce(actor, pupilId, {
    templateId: placement.id,
    recipientIds: [parentId],
    sentOn: TODAY,
    sentVia: 'post',
    meetingDate: null,
    meetingTime: null,
  });
}

/**
 * A school's support-plan records for the suites: a plan in place for the pupil with a note on it
 * (notes and plans belong to the pupil, so a probe names them), and an entry of the school's bank.
 */
export async function planIdsOf(
  services: Services,
  database: Database,
  side: { actor: SchoolActor; schoolId: string; pupilId: string },
): Promise<{ planId: string; noteId: string; bankEntryId: string }> {
  const plan = await buildPlan(database.db, {
    schoolId: side.schoolId,
    pupilId: side.pupilId,
    note: 'Tried a visual timetable; settled quickly',
  });
  const [entry] = await services.bank.search(side.actor, { q: '' });
  if (!entry || !plan.noteId) throw new Error('no bank entry or note to use');
  return { planId: plan.id, noteId: plan.noteId, bankEntryId: entry.id };
}

/**
 * A recommendation of an outside agency's report on the pupil, for the suites (a recommendation is its
 * pupil's: a probe for it names them). The pupil has a draft plan, so the page offers all its forms.
 */
export async function recommendationIdOf(
  database: Database,
  pupil: { schoolId: string; id: string },
): Promise<string> {
  const referral = await buildReferral(database.db, pupil, { status: 'report_received' });
  const { recommendations } = await buildReport(database.db, referral);
  return recommendations[1]!.id;
}

/**
 * A school's application for high-needs top-up funding about the pupil, for the suites (an application
 * is its pupil's: a probe for it names them): the pupil given costly one-to-one support (over the
 * threshold), the application written and sent into the local authority's caseload when the school's
 * organisation is one on this installation (the case's id too), then a second one started (being
 * written). `caseId` is null for a school whose authority is not here.
 */
export async function topUpIdsOf(
  services: Services,
  database: Database,
  side: { actor: SchoolActor; schoolId: string; pupilId: string },
): Promise<{ topUpId: string; caseId: string | null }> {
  await buildProvisionGroup(database.db, {
    schoolId: side.schoolId,
    pupilIds: [side.pupilId],
    name: 'One-to-one speech and language',
    delivererKind: 'external',
    sessionsPerWeek: 5,
    minutesPerSession: 120,
    startDate: '2026-09-07',
  });
  const start = () => services.topUp.start(side.actor, side.pupilId, { pupilActionId: null });
  const { topUpId: first } = await start();
  await services.topUp.save(side.actor, first, 1, {
    amountPence: 450_000,
    periodFrom: '2026-12-01',
    periodTo: '2027-08-31',
    rationale: 'The support is working',
  });
  await sendTopUp(services, side.actor, first, 2);
  const sent = await services.topUp.view(side.actor, first, { audit: false });
  const { topUpId } = await start();
  return { topUpId, caseId: sent.application.caseId };
}
