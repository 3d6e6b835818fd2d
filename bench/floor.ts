/**
 * The floor for the pupil page: what the page costs with nothing but `node:http`, `pg` and a template
 * literal. It makes the statements OpenSEND's pupil page made before its session cache and combined
 * record query (docs/adr/0006 and 0013), for a SENCo: the session with the person's memberships, the pupil's
 * record with its parts, the `pupil.viewed` audit row (its chain trigger fires as for any insert) and
 * the teaching assistants the assign form offers. Four round trips. The page it sends is padded to
 * `pageBytes`, the size of OpenSEND's page, so both put the same bytes on the wire.
 */
import { createHash, randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { auditConnectionOptions } from '../src/db/audit-key.ts';
import { TEST_AUDIT_KEY } from '../test/template.ts';

const SESSION_COOKIE = 'opensend_session';
const TOUCH_AFTER_MS = 5 * 60 * 1000;
const IDLE_LIMIT_MS = 2 * 60 * 60 * 1000;

const SESSION_SQL = `
select s.id, s.user_id, s.school_id, s.expires_at, s.last_seen_at, u.name, u.email, u.disabled_at,
  u.must_change_password,
  coalesce((select json_agg(json_build_object('schoolId', m.school_id, 'schoolName', sc.name,
      'roles', (select coalesce(json_agg(r.role order by r.role), '[]'::json) from membership_role r
                where r.school_id = m.school_id and r.user_id = m.user_id)) order by sc.name)
    from membership m join school sc on sc.id = m.school_id where m.user_id = s.user_id), '[]'::json) as schools,
  coalesce((select json_agg(json_build_object('organisationId', o.id, 'organisationName', o.name) order by o.name)
    from organisation_membership om join organisation o on o.id = om.organisation_id
    where om.user_id = s.user_id), '[]'::json) as organisations
from user_session s join app_user u on u.id = s.user_id where s.id = $1 limit 1`;

/** The record as a SENCo reaches it: the whole school, every section ($1 the school, $2 the pupil, $3 the user). */
const RECORD_SQL = `
select p.*, c.name as class_name, true as reach_school,
  exists (select 1 from class_teacher ct where ct.school_id = p.school_id and ct.class_id = p.class_id
          and ct.user_id = $3) as reach_classes_taught,
  case when p.school_id = $1 then coalesce((select json_agg(json_build_object('id', pc.id, 'name', pc.name,
      'relationship', pc.relationship, 'phone', pc.phone, 'email', pc.email,
      'parentalResponsibility', pc.parental_responsibility, 'contactPriority', pc.contact_priority,
      'version', pc.version) order by pc.contact_priority, pc.name)
    from parent_carer pc where pc.school_id = p.school_id and pc.pupil_id = p.id), '[]'::json)
    else '[]'::json end as parents,
  case when p.school_id = $1 then coalesce((select json_agg(json_build_object('effectiveDate', e.effective_date,
      'fromStage', e.from_stage, 'stage', e.stage, 'primaryNeed', e.primary_need,
      'secondaryNeed', e.secondary_need, 'changeKind', e.change_kind, 'reason', e.reason,
      'decidedByName', e.decided_by_name, 'source', e.source) order by e.effective_date desc, e.recorded_at desc)
    from register_entry e where e.school_id = p.school_id and e.pupil_id = p.id), '[]'::json)
    else '[]'::json end as history,
  case when p.school_id = $1 then coalesce((select json_agg(json_build_object('reviewedOn', v.reviewed_on,
      'outcome', v.outcome, 'fromStage', v.from_stage, 'toStage', v.to_stage, 'reason', v.reason,
      'reviewedByName', v.reviewed_by_name) order by v.reviewed_on desc, v.recorded_at desc)
    from register_review v where v.school_id = p.school_id and v.pupil_id = p.id), '[]'::json)
    else '[]'::json end as reviews,
  case when p.school_id = $1 then coalesce((select json_agg(json_build_object('id', k.id, 'kind', k.kind,
      'concernDate', k.concern_date, 'raisedByName', k.raised_by_name, 'source', k.source,
      'areasOfNeed', k.areas_of_need, 'status', k.status, 'outcome', k.outcome, 'reviewedOn', k.reviewed_on)
      order by k.concern_date desc, k.id)
    from concern k where k.school_id = p.school_id and k.pupil_id = p.id), '[]'::json)
    else '[]'::json end as concerns,
  case when p.school_id = $1 then coalesce((select json_agg(json_build_object('userId', u.id, 'name', u.name)
      order by u.name)
    from pupil_assignment a join app_user u on u.id = a.user_id
    where a.school_id = p.school_id and a.pupil_id = p.id), '[]'::json)
    else '[]'::json end as assigned_staff
from pupil p left join school_class c on c.school_id = p.school_id and c.id = p.class_id
where p.school_id = $1 and p.id = $2 limit 1`;

const AUDIT_SQL = `
insert into audit_event (school_id, user_id, role, action, pupil_id, request_id, detail)
values ($1, $2, $3, 'pupil.viewed', $4, $5, null) returning id`;

const ASSISTANTS_SQL = `
select u.id, u.name from membership_role r join app_user u on u.id = r.user_id
where r.school_id = $1 and r.role = 'teaching_assistant' and u.disabled_at is null order by u.name`;

type Row = Record<string, unknown>;

const escapeHtml = (value: unknown) =>
  String(value ?? '').replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

function cookieValue(header: string | undefined, name: string): string | null {
  for (const part of (header ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return decodeURIComponent(v.join('='));
  }
  return null;
}

function render(row: Row, assistants: Row[], pageBytes: number): string {
  const list = (items: Row[], item: (r: Row) => string) => `<ul>${items.map(item).join('')}</ul>`;
  const html = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(row.forename)} ${escapeHtml(row.surname)}</title></head>
<body><main>
<span>${escapeHtml(row.upn)}</span><h1>${escapeHtml(row.forename)} ${escapeHtml(row.surname)}</h1>
<p>${escapeHtml(row.sen_stage)} ${escapeHtml(row.primary_need)} ${escapeHtml(row.secondary_need)}</p>
<dl><dt>Date of birth</dt><dd>${escapeHtml(row.date_of_birth)}</dd><dt>Class</dt><dd>${escapeHtml(row.class_name)}</dd>
<dt>Attendance</dt><dd>${escapeHtml(row.attendance_percent)}</dd><dt>Medical notes</dt><dd>${escapeHtml(row.medical_notes)}</dd></dl>
<h2>Parents and carers</h2>${list(row.parents as Row[], (p) => `<li>${escapeHtml(p.name)} (${escapeHtml(p.relationship)}) ${escapeHtml(p.phone)} ${escapeHtml(p.email)}</li>`)}
<h2>Teaching assistants</h2>${list(row.assigned_staff as Row[], (s) => `<li>${escapeHtml(s.name)}</li>`)}
<select name="userId">${assistants.map((a) => `<option value="${escapeHtml(a.id)}">${escapeHtml(a.name)}</option>`).join('')}</select>
<h2>Chronology</h2>
${list(row.history as Row[], (e) => `<li>${escapeHtml(e.effectiveDate)} ${escapeHtml(e.changeKind)}: ${escapeHtml(e.fromStage)} to ${escapeHtml(e.stage)}. ${escapeHtml(e.reason)} ${escapeHtml(e.decidedByName)}</li>`)}
${list(row.reviews as Row[], (v) => `<li>${escapeHtml(v.reviewedOn)} ${escapeHtml(v.outcome)} ${escapeHtml(v.reason)} ${escapeHtml(v.reviewedByName)}</li>`)}
${list(row.concerns as Row[], (k) => `<li>${escapeHtml(k.concernDate)} ${escapeHtml(k.kind)} ${escapeHtml(k.status)} ${escapeHtml(k.raisedByName)}</li>`)}
</main></body></html>
`;
  const missing = pageBytes - Buffer.byteLength(html) - '<!--  -->'.length;
  return missing > 0 ? `${html}<!-- ${' '.repeat(missing)} -->` : html;
}

export interface Floor {
  port: number;
  close(): Promise<void>;
}

export async function startFloor(databaseUrl: string, pageBytes: number, poolSize = 10): Promise<Floor> {
  // The audit key, as OpenSEND gives its own connections: the chain trigger needs it for the audit row.
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max: poolSize,
    options: auditConnectionOptions(TEST_AUDIT_KEY),
  });
  pool.on('error', () => {});

  async function pupilPage(cookie: string | undefined, pupilId: string, requestId: string) {
    const token = cookieValue(cookie, SESSION_COOKIE);
    if (!token) return null;
    const sessionId = createHash('sha256').update(token).digest('hex');
    const session = (await pool.query(SESSION_SQL, [sessionId])).rows[0] as Row | undefined;
    if (!session) return null;
    const idleFor = Date.now() - (session.last_seen_at as Date).getTime();
    if (
      session.disabled_at ||
      (session.expires_at as Date).getTime() <= Date.now() ||
      idleFor > IDLE_LIMIT_MS
    )
      return null;
    if (idleFor > TOUCH_AFTER_MS)
      await pool.query('update user_session set last_seen_at = now() where id = $1', [sessionId]);
    const schoolId = session.school_id as string;
    const membership = (session.schools as { schoolId: string; roles: string[] }[]).find(
      (m) => m.schoolId === schoolId,
    );
    if (!membership?.roles.includes('senco')) return null;
    const userId = session.user_id as string;
    const row = (await pool.query(RECORD_SQL, [schoolId, pupilId, userId])).rows[0] as Row | undefined;
    if (!row) return null;
    await pool.query(AUDIT_SQL, [
      schoolId,
      userId,
      [...membership.roles].sort().join(','),
      pupilId,
      requestId,
    ]);
    const assistants = (await pool.query(ASSISTANTS_SQL, [schoolId])).rows as Row[];
    return render(row, assistants, pageBytes);
  }

  const server = http.createServer((req, res) => {
    const match = /^\/pupils\/([0-9a-f-]{36})$/.exec(req.url ?? '');
    if (req.method !== 'GET' || !match) {
      res.writeHead(404).end();
      return;
    }
    pupilPage(req.headers.cookie, match[1]!, randomUUID()).then(
      (html) => {
        if (html === null) res.writeHead(404).end();
        else res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html);
      },
      () => res.writeHead(500).end(),
    );
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    async close() {
      await new Promise((resolve) => server.close(resolve));
      await pool.end();
    },
  };
}
