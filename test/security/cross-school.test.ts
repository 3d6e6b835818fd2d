import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { contactChange, retentionReview } from '../../src/db/schema/index.ts';
import {
  buildConsent,
  buildFinalPlan,
  buildLetter,
  buildOfficer,
  buildParent,
  buildPlan,
  buildReferral,
  buildReport,
  buildReviewDecision,
  buildSchool,
  buildStaff,
  buildWorld,
  TODAY,
  testServices,
} from '../builders/index.ts';
import { testApp } from '../client.ts';
import { freshDatabase } from '../db.ts';
import { type FormField, filledIn, formsOf } from './forms.ts';
import {
  auditRows,
  Browser,
  caseIdsOf,
  changedTables,
  fillPath,
  lastAuditId,
  letterAbout,
  paramsOf,
  planIdsOf,
  recommendationIdOf,
  recordIdsOf,
  rowCounts,
  topUpIdsOf,
} from './support.ts';

/*
 * One school's people asking for another school's records. Every route in app.routeList that takes an
 * id is sent, by every role of the world (and the person with two roles, the local authority
 * officer, a parent and a professional), the id of a record of ANOTHER school in each of its parameters, by the parameter's name;
 * a route with two ids is sent each combination in which at least one is the other school's. GETs as
 * they are; POSTs with the attacker's own valid CSRF token and the body the route's own form would
 * send for a record of their own school.
 *
 * Each answer must be what the same person gets for an id that exists nowhere: 404, or 403 where
 * their role may not use the page at all; never 200 or 303. Nothing of the other school may change.
 * And every 404 for another school's record is recorded where that school sees it: an
 * access.probe_from_other_school row with the other school's id, naming the pupil when the record
 * belongs to one. A route whose parameter this suite does not know fails the suite.
 */

const database = await freshDatabase();
const services = testServices(database);
const w = await buildWorld(database);
const { app } = await testApp(database, services);
afterAll(async () => {
  await app.close();
  await database.close();
});

const concernAbout = (actor: typeof w.senco.actor, pupilId: string) =>
  services.concerns.raise(actor, pupilId, {
    kind: 'send',
    concernDate: TODAY,
    reasons: 'Finds reading hard',
    classroomEvidence: 'Reading age two years behind',
    areasOfNeed: ['cognition_and_learning'],
    interventionsTried: [],
  });
const invite = async (actor: typeof w.senco.actor, email: string) => {
  const result = await services.staff.add(actor, {
    name: 'Invited',
    email,
    roles: ['office'],
    password: null,
  });
  if (result.kind !== 'invited') throw new Error('expected an invitation');
  return result.invitationId;
};
const hold = (userId: string, schoolId: string, pupilId: string) =>
  services.account.holdForm(
    { userId, schoolId },
    `/pupils/${pupilId}/parents/new`,
    { parentName: 'Kept', relationship: 'Aunt' },
    'cross-school-set-up',
  );

// Someone with an account at a third school, invited by both: the invitations belong to the schools.
const thirdSchool = await buildSchool(database.db, { name: 'Third Primary' });
const invitee = await buildStaff(database.db, 'office', { schoolId: thirdSchool.id, name: 'Ivy Invitee' });
// The SENCo has an invitation of their own, so that their account page shows the form that answers one.
const thirdSenco = await buildStaff(database.db, 'senco', { schoolId: thirdSchool.id });
await invite(thirdSenco.actor, w.senco.email);

/** The kinds of id a route may take, by parameter name: one of each school's. */
interface IdKind {
  own: string;
  other: string;
  /** The other school's record belongs to its pupil (the probe names them). */
  ofPupil: boolean;
  /** Whose record it is, when not the pupils above (a pupil's place in a provision group). */
  pupils?: { own: string; other: string };
  /** A school's own id names no record: using another school's alone probes nothing. */
  record: boolean;
}
const KINDS: Record<string, IdKind> = {
  pupilId: { own: w.pupilK.id, other: w.otherPupil.id, ofPupil: true, record: true },
  concernId: {
    own: await concernAbout(w.teacherA.actor, w.pupilK.id),
    other: await concernAbout(w.otherSenco.actor, w.otherPupil.id),
    ofPupil: true,
    record: true,
  },
  staffId: { own: w.teacherB.actor.userId, other: w.otherSenco.actor.userId, ofPupil: false, record: true },
  parentId: { own: w.parentK.id, other: w.otherParent.id, ofPupil: true, record: true },
  invitationId: {
    own: await invite(w.senco.actor, invitee.email),
    other: await invite(w.otherSenco.actor, invitee.email),
    ofPupil: false,
    record: true,
  },
  heldFormId: {
    own: await hold(w.senco.actor.userId, w.school.id, w.pupilK.id),
    other: await hold(w.otherSenco.actor.userId, w.otherSchool.id, w.otherPupil.id),
    ofPupil: false,
    record: true,
  },
  schoolId: { own: w.school.id, other: w.otherSchool.id, ofPupil: false, record: false },
  pupilVoiceId: {
    own: await services.pupilVoice.record(w.senco.actor, w.pupilK.id, 'one_page_profile', null, {
      answers: { importantToMe: { words: 'My cat' } },
      writtenWith: null,
    }),
    other: await services.pupilVoice.record(w.otherSenco.actor, w.otherPupil.id, 'one_page_profile', null, {
      answers: { importantToMe: { words: 'My dog' } },
      writtenWith: null,
    }),
    ofPupil: true,
    record: true,
  },
  letterId: {
    own: await letterAbout(services, w.senco.actor, w.pupilK.id, w.parentK.id),
    other: await letterAbout(services, w.otherSenco.actor, w.otherPupil.id, w.otherParent.id),
    ofPupil: true,
    record: true,
  },
};
// Classes, imports, transfer files and whatever else a route takes by id: one of each school's.
{
  const own = await recordIdsOf(services, database, {
    actor: w.senco.actor,
    schoolId: w.school.id,
    classId: w.classA.id,
    pupil: w.pupilA,
  });
  const other = await recordIdsOf(services, database, {
    actor: w.otherSenco.actor,
    schoolId: w.otherSchool.id,
    classId: w.otherClass.id,
    pupil: w.otherPupil,
  });
  for (const [name, id] of Object.entries(own)) {
    KINDS[name] = { own: id, other: other[name] as string, ofPupil: false, record: true };
  }
  // A subject access request is about its pupil: a probe for it names them.
  KINDS.subjectAccessId = { ...(KINDS.subjectAccessId as IdKind), ofPupil: true };
  // So is a record listed past its retention date.
  const listed = KINDS.retentionReviewId as IdKind;
  const pupilOf = async (id: string) =>
    (await database.db.select().from(retentionReview).where(eq(retentionReview.id, id)))[0]!.pupilId;
  KINDS.retentionReviewId = {
    ...listed,
    ofPupil: true,
    pupils: { own: await pupilOf(listed.own), other: await pupilOf(listed.other) },
  };
  // A referral and the consent it rests on are their pupil's, and so is a request for an EHC needs
  // assessment: a probe for any of them names them.
  // And a plan from another local authority recorded by the school, and an annual review.
  for (const name of ['referralId', 'consentId', 'ehcRequestId', 'annualReviewId', 'summaryId'])
    KINDS[name] = {
      ...(KINDS[name] as IdKind),
      ofPupil: true,
      pupils: { own: w.pupilA.id, other: w.otherPupil.id },
    };
  // A place in a provision group is its pupil's: a probe for it names them.
  KINDS.memberId = {
    ...(KINDS.memberId as IdKind),
    ofPupil: true,
    pupils: { own: w.pupilA.id, other: w.otherPupil.id },
  };
}
// Referrals and the reports back: a sent referral of each school's pupil, with a report.
{
  const referralOf = async (pupil: { schoolId: string; id: string }) => {
    const made = await buildReferral(database.db, pupil, { status: 'sent', sentOn: '2026-10-10' });
    await buildConsent(database.db, made);
    return { referral: made, report: (await buildReport(database.db, made)).report };
  };
  const own = await referralOf(w.pupilK);
  const other = await referralOf(w.otherPupil);
  KINDS.referralId = { own: own.referral.id, other: other.referral.id, ofPupil: true, record: true };
  KINDS.reportId = { own: own.report.id, other: other.report.id, ofPupil: true, record: true };
}
// Support plans: a plan in place with a note for each school's pupil, and an entry of each school's bank.
{
  const own = await planIdsOf(services, database, {
    actor: w.senco.actor,
    schoolId: w.school.id,
    pupilId: w.pupilK.id,
  });
  const other = await planIdsOf(services, database, {
    actor: w.otherSenco.actor,
    schoolId: w.otherSchool.id,
    pupilId: w.otherPupil.id,
  });
  KINDS.planId = { own: own.planId, other: other.planId, ofPupil: true, record: true };
  KINDS.noteId = { own: own.noteId, other: other.noteId, ofPupil: true, record: true };
  KINDS.bankEntryId = { own: own.bankEntryId, other: other.bankEntryId, ofPupil: false, record: true };
}
// The local authority's cases: one of the world's authority (its officer's own) about Kit, and one of
// another authority about the other school's pupil, each with advice and an exception. A case is the
// authority's record, not a school's: asking for another's is not found, and probes no school.
{
  const elsewhere = await buildOfficer(database.db);
  const own = await caseIdsOf(services, database, w.officer, w.pupilK);
  const other = await caseIdsOf(services, database, elsewhere, w.otherPupil);
  for (const name of ['caseId', 'adviceId', 'exceptionId'] as const)
    KINDS[name] = { own: own[name], other: other[name], ofPupil: false, record: false };
  // And an EHC plan of each authority: the authority's record, like its cases.
  KINDS.ehcPlanId = {
    own: (await buildFinalPlan(database.db, w.pupilK, w.officer.organisationId)).planId,
    other: (await buildFinalPlan(database.db, w.otherPupil, elsewhere.organisationId)).planId,
    ofPupil: false,
    record: false,
  };
}
// The authority's record of an annual review with its decision to make: Kit's at the world's authority,
// the other school's pupil's at another. Another authority's is not found, and probes no school.
{
  const elsewhere = await buildOfficer(database.db);
  const plan = await buildFinalPlan(database.db, w.pupilK, w.officer.organisationId, {
    issuedOn: '2025-11-25',
  });
  const theirs = await buildFinalPlan(database.db, w.otherPupil, elsewhere.organisationId, {
    issuedOn: '2025-11-25',
  });
  KINDS.reviewDecisionId = {
    own: (await buildReviewDecision(database.db, plan, w.pupilK)).decisionId,
    other: (await buildReviewDecision(database.db, theirs, w.otherPupil)).decisionId,
    ofPupil: false,
    record: false,
  };
}
// A recommendation of an outside agency's report on each school's pupil.
KINDS.recommendationId = {
  own: await recommendationIdOf(database, w.pupilK),
  other: await recommendationIdOf(database, w.otherPupil),
  ofPupil: true,
  record: true,
};

// Applications for high-needs top-up funding about each school's pupil (a probe names the pupil). The
// cases above stand for every kind of case, top-up cases too (another authority's is not found).
{
  const own = await topUpIdsOf(services, database, {
    actor: w.senco.actor,
    schoolId: w.school.id,
    pupilId: w.pupilK.id,
  });
  const other = await topUpIdsOf(services, database, {
    actor: w.otherSenco.actor,
    schoolId: w.otherSchool.id,
    pupilId: w.otherPupil.id,
  });
  KINDS.topUpId = { own: own.topUpId, other: other.topUpId, ofPupil: true, record: true };
}
// A change of contact details a parent asked for: Kit's mother's, and one of the other school's parent.
{
  const own = await services.contactChanges.ask(w.parent.actor, w.pupilK.id, {
    phone: '07700 900 654',
    email: null,
    note: null,
  });
  const other = randomUUID();
  await database.db.insert(contactChange).values({
    schoolId: w.otherSchool.id,
    id: other,
    pupilId: w.otherPupil.id,
    parentCarerId: w.otherParent.id,
    requestedBy: w.otherSenco.actor.userId,
    phone: '07700 900 655',
  });
  KINDS.contactChangeId = { own, other, ofPupil: true, record: true };
}

// The complaints log and staff training (issue 18): a complaint naming each school's pupil, a record of
// training, an item of the training plan and a SENCO appointment of each school.
{
  const complaintOf = (actor: typeof w.senco.actor, pupilId: string) =>
    services.complaints.create(actor, {
      kind: 'formal',
      receivedOn: '2026-11-02',
      complainantName: 'A parent',
      complainantRelationship: null,
      pupilId,
      summary: 'Sessions missed',
      aboutUserIds: [],
      handledBy: null,
    });
  KINDS.complaintId = {
    own: await complaintOf(w.senco.actor, w.pupilK.id),
    other: await complaintOf(w.otherSenco.actor, w.otherPupil.id),
    ofPupil: true,
    record: true,
  };
  const course = {
    course: 'Zones of Regulation',
    completedOn: '2026-10-05',
    hours: 2,
    area: 'general' as const,
    provider: null,
    notes: null,
  };
  const trainingOf = async (actor: typeof w.senco.actor) => {
    await services.training.record(actor, [actor.userId], course);
    return (await services.training.school(actor)).records[0]!.id;
  };
  KINDS.trainingId = {
    own: await trainingOf(w.senco.actor),
    other: await trainingOf(w.otherSenco.actor),
    ofPupil: false,
    record: true,
  };
  const item = {
    title: 'Attention Autism',
    area: 'communication_and_interaction' as const,
    audience: null,
    term: null,
    status: 'planned' as const,
    notes: null,
  };
  KINDS.planItemId = {
    own: await services.training.addPlanItem(w.senco.actor, item),
    other: await services.training.addPlanItem(w.otherSenco.actor, item),
    ofPupil: false,
    record: true,
  };
  const appointmentOf = (actor: typeof w.senco.actor) =>
    services.training.recordSencoAppointment(actor, {
      userId: actor.userId,
      appointedOn: '2025-09-01',
      qualification: 'npq_senco',
      startedOn: null,
      achievedOn: null,
      provider: null,
      endedOn: null,
    });
  KINDS.appointmentId = {
    own: await appointmentOf(w.senco.actor),
    other: await appointmentOf(w.otherSenco.actor),
    ofPupil: false,
    record: true,
  };
}

// A pupil progress meeting of each school's class (this half term's).
KINDS.meetingId = {
  own: (await services.progressMeetings.prepare(w.senco.actor, w.classA.id)).meetingId,
  other: (await services.progressMeetings.prepare(w.otherSenco.actor, w.otherClass.id)).meetingId,
  ofPupil: false,
  record: true,
};

// An invitation to a parent on a printed letter, of each school's pupil (getting in, docs/adr/0039).
{
  const letterFor = async (actor: typeof w.senco.actor, pupil: { schoolId: string; id: string }) => {
    const carer = await buildParent(database.db, pupil, { name: 'Invited Carer' });
    return (await services.familyInvitations.invite(actor, pupil.id, carer.id, { method: 'letter' }))
      .invitationId;
  };
  KINDS.parentInvitationId = {
    own: await letterFor(w.senco.actor, w.pupilK),
    other: await letterFor(w.otherSenco.actor, w.otherPupil),
    ofPupil: true,
    record: true,
  };
}

const PEOPLE = {
  SENCo: w.senco,
  'head teacher': w.head,
  'class teacher': w.teacherA,
  'teaching assistant': w.ta,
  office: w.office,
  'SEN governor': w.governor,
  'class teacher and teaching assistant': w.teacherTa,
  'local authority officer': w.officer,
  // A parent and a professional reach pupils of several schools, but never through a school's pages.
  parent: w.parent,
  professional: w.professional,
} as const;
type Who = keyof typeof PEOPLE;
const browsers = new Map<Who, Browser>();
for (const [who, person] of Object.entries(PEOPLE) as [Who, { email: string }][]) {
  const browser = await new Browser(app).signedIn(person.email);
  await browser.get('/account');
  browsers.set(who, browser);
}

const routes = app.routeList.filter((r) => !r.url.includes('*'));
const idRoutes = routes.filter((r) => r.url.includes(':'));
const ownIds = Object.fromEntries(Object.entries(KINDS).map(([name, k]) => [name, k.own]));

// The body each POST route's own form sends for a record of the SENCo's own school.
const senco = browsers.get('SENCo') as Browser;
const forms: [string, FormField[]][] = [];
for (const r of routes.filter((x) => x.method === 'GET')) {
  if (paramsOf(r.url).some((p) => !KINDS[p])) continue;
  for (const [action, fields] of formsOf((await senco.get(fillPath(r.url, ownIds))).body)) {
    if (!fields.some((f) => f.name === '_heldForm')) forms.push([action, fields]);
  }
}
/** The filled-in form of the first page form sent to a URL of this route's pattern. */
function bodyFor(routeUrl: string): [string, string][] {
  const pattern = new RegExp(`^${routeUrl.replace(/:[A-Za-z]+/g, '[^/]+')}$`);
  const form = forms.find(([action]) => pattern.test(action));
  return form ? filledIn(form[1]) : [];
}

/** Each way of filling a route's parameters with at least one of the other school's ids. */
function combinations(url: string): Record<string, 'own' | 'other'>[] {
  const names = paramsOf(url);
  const all: Record<string, 'own' | 'other'>[] = [{}];
  for (const name of names) {
    const next: Record<string, 'own' | 'other'>[] = [];
    for (const c of all) next.push({ ...c, [name]: 'own' }, { ...c, [name]: 'other' });
    all.splice(0, all.length, ...next);
  }
  return all.filter((c) => Object.values(c).includes('other'));
}

/** Everything the other school holds, as one fingerprint (its audit trail aside, which records probes). */
let fingerprintQuery: ReturnType<typeof sql.raw> | null = null;
async function otherSchoolFingerprint(): Promise<string> {
  if (!fingerprintQuery) {
    const result = await database.db.execute(sql`
      select table_name::text as t from information_schema.columns
      where table_schema = 'public' and column_name = 'school_id'
        and table_name not in ('audit_event', 'audit_event_pupil') order by table_name`);
    const tables = (result as unknown as { rows: { t: string }[] }).rows.map((r) => r.t);
    const school = `'${w.otherSchool.id}'::uuid`;
    fingerprintQuery = sql.raw(
      `select ${[
        ...tables.map(
          (t) =>
            `(select md5(coalesce(string_agg(x::text, ',' order by x::text), '')) from "${t}" x where x.school_id = ${school})`,
        ),
        `(select md5(coalesce(string_agg(u::text, ',' order by u.id), '')) from app_user u
           where u.id in (select user_id from membership where school_id = ${school}))`,
        `(select md5(coalesce(string_agg(s::text, ',' order by s.id), '')) from school s where s.id = ${school})`,
      ].join(' || ')} as fingerprint`,
    );
  }
  const result = await database.db.execute(fingerprintQuery);
  return String((result as unknown as { rows: { fingerprint: string }[] }).rows[0]?.fingerprint);
}

async function send(browser: Browser, method: 'GET' | 'POST', url: string, routeUrl: string) {
  if (method === 'GET') return browser.get(url);
  return browser.post(url, Object.fromEntries(groupPairs(bodyFor(routeUrl))));
}
function groupPairs(pairs: [string, string][]): [string, string | string[]][] {
  const grouped = new Map<string, string[]>();
  for (const [k, v] of pairs) grouped.set(k, [...(grouped.get(k) ?? []), v]);
  return [...grouped].map(([k, v]) => [k, v.length === 1 ? (v[0] as string) : v]);
}

const nowhereAnswers = new Map<string, number>();
/** The answer to this route with ids that exist nowhere, once per person and route. */
async function answerForNowhere(who: Who, browser: Browser, method: 'GET' | 'POST', routeUrl: string) {
  const key = `${who} ${method} ${routeUrl}`;
  let status = nowhereAnswers.get(key);
  if (status === undefined) {
    const ids = Object.fromEntries(paramsOf(routeUrl).map((p) => [p, randomUUID()]));
    status = (await send(browser, method, fillPath(routeUrl, ids), routeUrl)).statusCode;
    nowhereAnswers.set(key, status);
  }
  return status;
}

describe('the suite reaches every route that takes an id', () => {
  it('knows the kind of every parameter of every route (a new parameter name must be added here)', () => {
    const unknown = routes.flatMap((r) =>
      paramsOf(r.url)
        .filter((p) => !KINDS[p])
        .map((p) => `${r.method} ${r.url} (:${p})`),
    );
    expect(unknown).toEqual([]);
    expect(idRoutes.length).toBeGreaterThan(20);
  });
});

describe.each(idRoutes)('$method $url', (route) => {
  for (const combination of combinations(route.url)) {
    const url = route.url.replace(/:([A-Za-z]+)/g, (_m, name: string) => {
      const kind = KINDS[name];
      return kind ? kind[combination[name] as 'own' | 'other'] : `:${name}`;
    });
    const label = Object.entries(combination)
      .map(([name, side]) => `${name} of ${side === 'own' ? 'their own school' : 'the other school'}`)
      .join(', ');

    it(`${label}: 404 (or 403 where the role cannot use the page), nothing changed, the probe recorded for the other school`, async () => {
      const before = await otherSchoolFingerprint();
      for (const [who, person] of Object.entries(PEOPLE) as [
        Who,
        { email: string; actor: { userId: string } },
      ][]) {
        const browser = browsers.get(who) as Browser;
        // What this person gets for ids that exist nowhere: 404 where they may use the page, else 403.
        const nowhere = await answerForNowhere(who, browser, route.method, route.url);
        expect([403, 404], `${who}: ${route.method} ${route.url} with ids that exist nowhere`).toContain(
          nowhere,
        );

        const counts = await rowCounts(database);
        const after = await lastAuditId(database);
        const response = await send(browser, route.method, url, route.url);
        const where = `${who}: ${route.method} ${route.url} (${label})`;
        expect(response.statusCode, where).toBe(nowhere);
        expect(changedTables(counts, await rowCounts(database)), where).toEqual([]);

        const probes = (await auditRows(database, { afterId: after })).filter(
          (r) => r.action === 'access.probe_from_other_school' && r.user_id === person.actor.userId,
        );
        // The records named that belong to a school other than the person's (for the local authority
        // officer, who works in no school, both schools' records).
        const theirSchool =
          who === 'local authority officer' || who === 'parent' || who === 'professional'
            ? null
            : w.school.id;
        const foreign = Object.entries(combination)
          .filter(([name]) => KINDS[name]?.record)
          .map(([name, side]) => ({
            id: (KINDS[name] as IdKind)[side],
            school: side === 'own' ? w.school.id : w.otherSchool.id,
            pupil: KINDS[name]?.ofPupil
              ? (KINDS[name]?.pupils?.[side] ?? (side === 'own' ? w.pupilK.id : w.otherPupil.id))
              : null,
          }))
          .filter((r) => r.school !== theirSchool);
        if (response.statusCode === 404 && foreign.length > 0) {
          expect(
            probes.length,
            `${where}: no probe recorded for the school the record belongs to`,
          ).toBeGreaterThan(0);
          for (const probe of probes) {
            const record = foreign.find((r) => r.id === probe.detail?.id);
            expect(record, `${where}: the probe names ${JSON.stringify(probe.detail)}`).toBeDefined();
            expect(probe.school_id, where).toBe(record?.school);
            expect(probe.pupil_id, where).toBe(record?.pupil);
          }
        } else {
          expect(probes, where).toEqual([]);
        }
      }
      expect(await otherSchoolFingerprint(), `${route.method} ${route.url}: the other school changed`).toBe(
        before,
      );
    });
  }
});

describe('a parent asking, through their own child, for another child’s records at the same school', () => {
  it('is not found for each page a parent reads, nothing changes, and the school sees the probe naming that child', async () => {
    const { db } = database;
    // Amara, at Kit's school: a closed plan, a letter and an EHC plan of hers; Kit's mother asks through Kit.
    const plan = await buildPlan(db, { pupilId: w.pupilA.id, schoolId: w.school.id, status: 'closed' });
    const letter = await buildLetter(db, { pupil: w.pupilA });
    const parent = browsers.get('parent') as Browser;
    const K = w.pupilK.id;
    const asks: [string, { id: string; pupil: string }][] = [
      [`/children/${K}/plans/${plan.id}`, { id: plan.id, pupil: w.pupilA.id }],
      [`/children/${K}/letters/${letter.id}`, { id: letter.id, pupil: w.pupilA.id }],
      [`/children/${K}/letters/${letter.id}/letter.pdf`, { id: letter.id, pupil: w.pupilA.id }],
      [`/children/${w.pupilA.id}/plan`, { id: w.pupilA.id, pupil: w.pupilA.id }],
      [`/children/${w.pupilA.id}/letters`, { id: w.pupilA.id, pupil: w.pupilA.id }],
      [`/children/${w.pupilA.id}/ehc`, { id: w.pupilA.id, pupil: w.pupilA.id }],
    ];
    for (const [url, record] of asks) {
      const counts = await rowCounts(database);
      const after = await lastAuditId(database);
      const response = await parent.get(url);
      expect(response.statusCode, url).toBe(404);
      expect(changedTables(counts, await rowCounts(database)), url).toEqual([]);
      const probes = (await auditRows(database, { afterId: after })).filter(
        (r) => r.action === 'access.probe_from_other_school' && r.user_id === w.parent.actor.userId,
      );
      expect(
        probes.map((p) => [p.school_id, p.pupil_id, p.detail?.id]),
        url,
      ).toEqual([[w.school.id, record.pupil, record.id]]);
    }
  });
});

describe('a provision group delivered by someone of another school', () => {
  it('is refused when starting or changing a group: “not in the list”, nothing saved', async () => {
    const groupId = KINDS.groupId?.own as string;
    const { group } = await services.provision.groupForEdit(w.senco.actor, groupId);
    const common = {
      name: 'Handwriting',
      delivererKind: 'teacher',
      sessionsPerWeek: '2',
      minutesPerSession: '20',
      'startDate-day': '7',
      'startDate-month': '9',
      'startDate-year': '2026',
    };
    const before = await otherSchoolFingerprint();
    const counts = await rowCounts(database);
    await senco.get('/provision/groups/new');
    for (const delivererId of [w.otherSenco.actor.userId, randomUUID()]) {
      const response = await senco.post('/provision/groups/new', {
        ...common,
        interventionId: group.interventionId,
        pupilIds: w.pupilK.id,
        delivererId,
      });
      expect(response.statusCode).toBe(400);
      expect(response.body).toContain('Select who delivers the group from the list');
    }
    await senco.get(`/provision/groups/${groupId}/edit`);
    const changed = await senco.post(`/provision/groups/${groupId}/edit`, {
      ...common,
      version: String(group.version),
      delivererId: w.otherSenco.actor.userId,
    });
    expect(changed.statusCode).toBe(400);
    expect(changed.body).toContain('Select who delivers the group from the list');
    expect(changedTables(counts, await rowCounts(database))).toEqual([]);
    const after = await services.provision.groupForEdit(w.senco.actor, groupId);
    expect(after.group).toMatchObject({ version: group.version, delivererId: group.delivererId });
    expect(await otherSchoolFingerprint()).toBe(before);
  });
});
