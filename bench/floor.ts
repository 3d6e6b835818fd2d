/**
 * The floor for the pupil page: the same page's data fetched with nothing but `node:http`, `pg` and
 * straightforward hand-written SQL (what a careful engineer would write for this one page), rendered
 * with a template literal. It does the page's work for a SENCo: the session with the person's
 * memberships, the pupil with every part the page shows (parents and carers, register history and
 * reviews, concerns, teaching assistants, support plans, letters, provision with each spell's
 * attendance, the school's threshold, MIS imports, CTFs made, class moves, the assistants the assign
 * form offers and what the school calls its plans), and the view's audit row (its chain trigger fires
 * as for any insert). Three round trips: the session, the record, the audit row. Its statements go as
 * `pg` sends them by default (parsed and planned each time); with `prepared`, each is prepared once on
 * each connection under a name, as OpenSEND's record statement is (the bench shows both).
 *
 * `floorRecord` is kept in step with the page's record statement by test/bench-floor.test.ts: it must
 * return the same JSON for every part the page's statement returns (a part added to the page without
 * one here fails that test). The page it sends is padded to `pageBytes`, the size of OpenSEND's page,
 * so both put the same bytes on the wire.
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

/**
 * The record as a SENCo reaches it (the whole school, every section): $1 the school, $2 the pupil.
 * Each part is one indexed look-up by the pupil (or by the school for its settings and assistants).
 */
const RECORD_SQL = `
select p.*, c.name as class_name, sc.rolled_over_to,
  coalesce(st.plan_name, 'SEN Support Plan') as plan_name,
  coalesce((select json_agg(json_build_object('id', pc.id, 'name', pc.name, 'relationship', pc.relationship,
      'phone', pc.phone, 'email', pc.email, 'parentalResponsibility', pc.parental_responsibility,
      'courtOrder', pc.court_order, 'contactPriority', pc.contact_priority, 'version', pc.version,
      'mailFailedAt', (select max(m.created_at) from outbound_mail m where m.school_id = pc.school_id
        and m.parent_carer_id = pc.id and m.status = 'failed')) order by pc.contact_priority, pc.name)
    from parent_carer pc where pc.school_id = p.school_id and pc.pupil_id = p.id), '[]') as parents,
  coalesce((select json_agg(json_build_object('effectiveDate', e.effective_date, 'fromStage', e.from_stage,
      'stage', e.stage, 'primaryNeed', e.primary_need, 'secondaryNeed', e.secondary_need,
      'changeKind', e.change_kind, 'reason', e.reason, 'decidedByName', e.decided_by_name, 'source', e.source)
      order by e.effective_date desc, e.recorded_at desc)
    from register_entry e where e.school_id = p.school_id and e.pupil_id = p.id), '[]') as history,
  coalesce((select json_agg(json_build_object('reviewedOn', v.reviewed_on, 'outcome', v.outcome,
      'fromStage', v.from_stage, 'toStage', v.to_stage, 'reason', v.reason, 'reviewedByName', v.reviewed_by_name)
      order by v.reviewed_on desc, v.recorded_at desc)
    from register_review v where v.school_id = p.school_id and v.pupil_id = p.id), '[]') as reviews,
  coalesce((select json_agg(json_build_object('id', k.id, 'kind', k.kind, 'concernDate', k.concern_date,
      'raisedByName', k.raised_by_name, 'source', k.source, 'areasOfNeed', k.areas_of_need, 'status', k.status,
      'outcome', k.outcome, 'reviewedOn', k.reviewed_on) order by k.concern_date desc, k.id)
    from concern k where k.school_id = p.school_id and k.pupil_id = p.id), '[]') as concerns,
  coalesce((select json_agg(json_build_object('userId', u.id, 'name', u.name) order by u.name)
    from pupil_assignment a join app_user u on u.id = a.user_id
    where a.school_id = p.school_id and a.pupil_id = p.id), '[]') as assigned_staff,
  coalesce((select json_agg(json_build_object('id', sp.id, 'cycle', sp.cycle, 'status', sp.status,
      'startDate', sp.start_date, 'reviewDate', sp.review_date, 'sharedWithParentsOn', sp.shared_with_parents_on,
      'targets', (select count(*) from plan_target t where t.school_id = sp.school_id and t.plan_id = sp.id),
      'createdAt', sp.created_at, 'createdByName', sp.created_by_name, 'agreedOn', sp.agreed_on,
      'agreedWith', sp.agreed_with, 'agreedByName', sp.agreed_by_name, 'closedAt', sp.closed_at,
      'closedByName', sp.closed_by_name,
      'reviews', coalesce((select json_agg(json_build_object('heldOn', r.held_on, 'decision', r.decision,
          'extendedTo', r.extended_to, 'reviewedByName', r.reviewed_by_name) order by r.created_at)
        from plan_review r where r.school_id = sp.school_id and r.plan_id = sp.id), '[]'))
      order by sp.cycle)
    from support_plan sp where sp.school_id = p.school_id and sp.pupil_id = p.id), '[]') as plans,
  coalesce((select json_agg(json_build_object('id', l.id, 'kind', l.kind, 'sentOn', l.sent_on,
      'sentVia', l.sent_via, 'sentByName', l.sent_by_name, 'recipients', l.recipients,
      'slipExpected', l.slip_expected, 'slipReturnedOn', l.slip_returned_on,
      'slipRecordedByName', l.slip_recorded_by_name,
      'replies', (select json_agg(json_build_object('reply', r.reply, 'name', r.replied_by_name,
        'repliedAt', r.replied_at, 'note', r.note) order by r.replied_at, r.id)
        from letter_reply r where r.school_id = l.school_id and r.letter_id = l.id))
      order by l.sent_on desc, l.created_at desc)
    from letter l where l.school_id = p.school_id and l.pupil_id = p.id), '[]') as letters,
  coalesce((select json_agg(json_build_object('memberId', gm.id, 'groupId', g.id, 'groupName', g.name,
      'interventionId', i.id, 'interventionName', i.name, 'area', i.area, 'costModel', i.cost_model,
      'fixedCostPence', i.fixed_cost_pence, 'measureKind', i.measure_kind, 'measureName', i.measure_name,
      'delivererId', g.deliverer_id, 'delivererName', g.deliverer_name, 'delivererKind', g.deliverer_kind,
      'ratePence', r.hourly_pence, 'startDate', g.start_date, 'endDate', g.end_date,
      'sessionsPerWeek', g.sessions_per_week, 'minutesPerSession', g.minutes_per_session,
      'location', g.location, 'agency', g.agency, 'joinedOn', gm.joined_on, 'leftOn', gm.left_on,
      'addedByName', gm.added_by_name, 'leftByName', gm.left_by_name, 'leftSchoolOn', p.left_on, 'entryMeasure', gm.entry_measure, 'entryMeasuredOn', gm.entry_measured_on,
      'exitMeasure', gm.exit_measure, 'exitMeasuredOn', gm.exit_measured_on,
      'memberDates', coalesce((select json_agg(json_build_object('id', o.id, 'joinedOn', o.joined_on,
          'leftOn', least(o.left_on, op.left_on)) order by o.joined_on, o.id)
        from group_member o join pupil op on op.school_id = o.school_id and op.id = o.pupil_id
        where o.school_id = g.school_id and o.group_id = g.id), '[]'),
      'sessionsHeld', att.held, 'attended', att.attended, 'missedOn', att.missed)
      order by g.start_date desc, gm.joined_on desc)
    from group_member gm
    join provision_group g on g.school_id = gm.school_id and g.id = gm.group_id
    join intervention i on i.school_id = g.school_id and i.id = g.intervention_id
    left join staff_rate r on r.school_id = g.school_id and r.deliverer = g.deliverer_kind
    cross join lateral (
      select count(*)::int as held, (count(*) filter (where sa.present))::int as attended,
        coalesce(to_json((array_agg(s.held_on order by s.held_on desc) filter (where not sa.present))[1:10]),
          '[]') as missed
      from provision_session s
      join session_attendance sa on sa.school_id = s.school_id and sa.session_id = s.id and sa.pupil_id = gm.pupil_id
      where s.school_id = gm.school_id and s.group_id = gm.group_id and s.held_on >= gm.joined_on
        and (gm.left_on is null or s.held_on <= gm.left_on)) att
    where gm.school_id = p.school_id and gm.pupil_id = p.id), '[]') as provision,
  json_build_array(json_build_object('topUpThresholdPence', st.top_up_threshold_pence,
    'nearingPercent', st.nearing_percent)) as provision_settings,
  coalesce((select json_agg(json_build_object(
      'action', case ic.kind when 'added' then 'pupil.created_from_import' else 'pupil.updated_from_import' end,
      'date', to_char(ic.applied_at at time zone 'Europe/London', 'YYYY-MM-DD'), 'byName', ic.applied_by_name,
      'labels', ic.fields) order by ic.applied_at desc, ic.id)
    from pupil_import_change ic where ic.school_id = p.school_id and ic.pupil_id = p.id), '[]') as imports,
  coalesce((select json_agg(json_build_object('createdAt', x.created_at, 'destination', x.destination,
      'fileName', x.file_name, 'madeByName', x.made_by_name) order by x.created_at desc)
    from ctf_export x where x.school_id = p.school_id and x.pupil_ids @> jsonb_build_array(p.id::text)), '[]')
    as ctf_exports,
  coalesce((select json_agg(json_build_object('movedOn', m.moved_on, 'fromClassName', fc.name,
      'toClassName', tc.name, 'source', m.source, 'movedByName', m.moved_by_name)
      order by m.moved_on desc, m.recorded_at desc)
    from pupil_class_move m
    left join school_class fc on fc.school_id = m.school_id and fc.id = m.from_class_id
    left join school_class tc on tc.school_id = m.school_id and tc.id = m.to_class_id
    where m.school_id = p.school_id and m.pupil_id = p.id), '[]') as class_moves,
  coalesce((select json_agg(json_build_object('id', rf.id, 'agencyName', rf.agency_name,
      'serviceKind', rf.service_kind, 'status', rf.status, 'lawfulBasis', rf.lawful_basis, 'sentOn', rf.sent_on,
      'respondBy', rf.respond_by, 'reportDueOn', rf.report_due_on, 'forEhcAssessment', rf.for_ehc_assessment,
      'createdAt', rf.created_at,
      'consents', (select coalesce(json_agg(json_build_object('givenOn', rc.given_on, 'validUntil', rc.valid_until,
          'withdrawnOn', rc.withdrawn_on, 'coversReferral', rc.covers_referral, 'coversSharing', rc.covers_sharing)
          order by rc.given_on), '[]'::json)
        from referral_consent rc where rc.school_id = rf.school_id and rc.referral_id = rf.id),
      'events', (select coalesce(json_agg(json_build_object('status', re.status, 'happenedOn', re.happened_on,
          'note', re.note, 'byName', re.by_name) order by re.happened_on, re.created_at), '[]'::json)
        from referral_event re where re.school_id = rf.school_id and re.referral_id = rf.id))
      order by rf.created_at desc, rf.id)
    from referral rf where rf.school_id = p.school_id and rf.pupil_id = p.id), '[]') as referrals,
  coalesce((select json_agg(json_build_object('id', pa.id, 'notes', pa.notes, 'createdAt', pa.created_at,
      'createdByName', pa.created_by_name) order by pa.created_at desc)
    from pupil_action pa where pa.school_id = p.school_id and pa.pupil_id = p.id
    and pa.kind = 'involve_agency' and pa.status = 'open'), '[]') as agency_actions,
  coalesce((select json_agg(json_build_object('id', er.id, 'status', er.status, 'requestedBy', er.requested_by,
      'createdAt', er.created_at, 'sentAt', er.sent_at, 'sentHow', er.sent_how, 'withdrawnOn', er.withdrawn_on,
      'caseStage', oc.stage, 'caseId', er.case_id, 'caseOpenedOn', oc.opened_on) order by er.created_at desc, er.id)
    from ehc_request er left join organisation_case oc on oc.organisation_id = er.organisation_id and oc.id = er.case_id
      and oc.school_id = er.school_id and oc.request_id = er.id
    where er.school_id = p.school_id and er.pupil_id = p.id), '[]') as ehc_requests,
  coalesce((select json_agg(json_build_object('id', pa.id, 'notes', pa.notes, 'createdAt', pa.created_at,
      'createdByName', pa.created_by_name) order by pa.created_at desc)
    from pupil_action pa where pa.school_id = p.school_id and pa.pupil_id = p.id
    and pa.kind = 'ehc_request' and pa.status = 'open'), '[]') as ehc_review_actions,
  coalesce((select json_agg(json_build_object('organisationId', ep.organisation_id, 'planId', ep.id, 'status', ep.status,
      'startedOn', ep.started_on, 'reviewDueOn', ep.review_due_on, 'lastReviewOn', ep.last_review_on,
      'ceasedOn', ep.ceased_on, 'finalVersion', ep.final_version,
      'issuedOn', (select v.issued_on from ehc_plan_version v where v.organisation_id = ep.organisation_id
        and v.plan_id = ep.id and v.number = ep.final_version),
      'authorityName', (select o.name from organisation o where o.id = ep.organisation_id))
      order by ep.status = 'final' desc, ep.started_on desc nulls last)
    from ehc_plan ep where ep.school_id = p.school_id and ep.pupil_id = p.id
    and ep.status in ('final', 'ceased')), '[]') as ehc_plans,
  coalesce((select json_agg(json_build_object('id', s.id, 'localAuthorityName', s.local_authority_name,
      'issuedOn', s.issued_on, 'lastReviewOn', s.last_review_on, 'endedOn', s.ended_on)
      order by s.ended_on desc nulls first, s.issued_on desc)
    from ehc_plan_summary s where s.school_id = p.school_id and s.pupil_id = p.id), '[]') as ehc_summaries,
  coalesce((select json_agg(json_build_object('id', r.id, 'text', r.text, 'kind', r.kind, 'area', r.area,
      'reportTitle', ar.title, 'agencyName', ar.agency_name, 'authorRole', ar.author_role, 'writtenOn', ar.written_on,
      'usedAs', coalesce((select json_agg(distinct u.used_as order by u.used_as) from recommendation_use u
        where u.school_id = r.school_id and u.recommendation_id = r.id), '[]'::json))
      order by ar.written_on desc, ar.id, r.position)
    from recommendation r join agency_report ar on ar.school_id = r.school_id and ar.id = r.report_id
    where r.school_id = p.school_id and r.pupil_id = p.id), '[]') as recommendations,
  coalesce((select json_agg(json_build_object('id', t.id, 'status', t.status, 'amountPence', t.amount_pence,
      'periodFrom', t.period_from, 'periodTo', t.period_to, 'sentAt', t.sent_at, 'sentHow', t.sent_how,
      'createdAt', t.created_at,
      'decision', (select json_build_object('outcome', d.outcome, 'decidedOn', d.decided_on,
          'amountPence', d.amount_pence, 'band', d.band, 'fundedFrom', d.funded_from, 'fundedUntil', d.funded_until)
        from top_up_decision d where d.organisation_id = t.organisation_id and d.case_id = t.case_id))
      order by t.created_at desc)
    from top_up_application t where t.school_id = p.school_id and t.pupil_id = p.id), '[]') as top_ups,
  coalesce((select json_agg(json_build_object('id', pa.id, 'notes', pa.notes, 'createdAt', pa.created_at)
      order by pa.created_at desc)
    from pupil_action pa where pa.school_id = p.school_id and pa.pupil_id = p.id
    and pa.kind = 'top_up_funding' and pa.status = 'open'), '[]') as top_up_review_actions,
  coalesce((select json_agg(json_build_object('userId', u.id, 'name', u.name) order by u.name)
    from membership_role mr join app_user u on u.id = mr.user_id
    where mr.school_id = p.school_id and mr.role = 'teaching_assistant' and u.disabled_at is null), '[]')
    as assignable_staff
from pupil p
join school sc on sc.id = p.school_id
left join school_class c on c.school_id = p.school_id and c.id = p.class_id
left join school_settings st on st.school_id = p.school_id
where p.school_id = $1 and p.id = $2`;

const AUDIT_SQL = `
insert into audit_event (school_id, user_id, role, action, pupil_id, request_id, detail)
values ($1, $2, $3, 'pupil.viewed', $4, $5, null)`;

type Row = Record<string, unknown>;
type Item = Record<string, unknown>;

/** Anything that runs a statement with parameters: a `pg` pool or client, or PGlite. */
export interface Queryable {
  query(text: string, params: unknown[]): Promise<{ rows: unknown[] }>;
}

/** The record's parts under the names the page's record statement gives them (pupil-record.ts). */
export const FLOOR_PARTS = {
  parents: 'parents',
  history: 'history',
  reviews: 'reviews',
  concerns: 'concerns',
  assignedStaff: 'assigned_staff',
  plans: 'plans',
  letters: 'letters',
  provision: 'provision',
  provisionSettings: 'provision_settings',
  imports: 'imports',
  ctfExports: 'ctf_exports',
  classMoves: 'class_moves',
  referrals: 'referrals',
  agencyActions: 'agency_actions',
  recommendations: 'recommendations',
  topUps: 'top_ups',
  topUpReviewActions: 'top_up_review_actions',
  ehcRequests: 'ehc_requests',
  ehcReviewActions: 'ehc_review_actions',
  ehcPlans: 'ehc_plans',
  ehcSummaries: 'ehc_summaries',
} as const;

export type FloorRecord = {
  pupil: Row;
  className: string | null;
  rolledOverTo: number | null;
  planName: string;
} & {
  [K in keyof typeof FLOOR_PARTS | 'assignableStaff']: Item[];
};

const json = (value: unknown) => (typeof value === 'string' ? JSON.parse(value) : value) as Item[];

/** The pupil's record as the floor fetches it for a SENCo: one statement. */
export async function floorRecord(
  db: Queryable,
  schoolId: string,
  pupilId: string,
): Promise<FloorRecord | null> {
  const row = (await db.query(RECORD_SQL, [schoolId, pupilId])).rows[0] as Row | undefined;
  if (!row) return null;
  const parts = Object.fromEntries(
    Object.entries(FLOOR_PARTS).map(([part, column]) => [part, json(row[column])]),
  ) as Record<keyof typeof FLOOR_PARTS, Item[]>;
  return {
    pupil: row,
    className: (row.class_name as string | null) ?? null,
    rolledOverTo: row.rolled_over_to === null ? null : Number(row.rolled_over_to),
    planName: row.plan_name as string,
    ...parts,
    assignableStaff: json(row.assignable_staff),
  };
}

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

function render(r: FloorRecord, pageBytes: number): string {
  const p = r.pupil;
  const e = escapeHtml;
  const list = (items: Item[], item: (i: Item) => string) => `<ul>${items.map(item).join('')}</ul>`;
  const html = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>${e(p.forename)} ${e(p.surname)}</title></head>
<body><main>
<span>${e(p.upn)}</span><h1>${e(p.forename)} ${e(p.surname)}</h1>
<p>${e(p.sen_stage)} ${e(p.primary_need)} ${e(p.secondary_need)}</p>
<dl><dt>Date of birth</dt><dd>${e(p.date_of_birth)}</dd><dt>Class</dt><dd>${e(r.className)}</dd>
<dt>Attendance</dt><dd>${e(p.attendance_percent)}</dd><dt>Medical notes</dt><dd>${e(p.medical_notes)}</dd></dl>
<h2>Parents and carers</h2>${list(r.parents, (c) => `<li>${e(c.name)} (${e(c.relationship)}) ${e(c.phone)} ${e(c.email)}</li>`)}
<h2>Teaching assistants</h2>${list(r.assignedStaff, (s) => `<li>${e(s.name)}</li>`)}
<select name="userId">${r.assignableStaff.map((a) => `<option value="${e(a.userId)}">${e(a.name)}</option>`).join('')}</select>
<h2>${e(r.planName)}s</h2>${list(r.plans, (x) => `<li>${e(r.planName)} ${e(x.cycle)}: ${e(x.status)}, review ${e(x.reviewDate)}, ${e(x.targets)} targets</li>`)}
<h2>Provision</h2>${list(r.provision, (g) => `<li>${e(g.interventionName)} (${e(g.groupName)}), ${e(g.delivererName)}, ${e(g.sessionsPerWeek)} × ${e(g.minutesPerSession)} minutes from ${e(g.joinedOn)}: attended ${e(g.attended)} of ${e(g.sessionsHeld)}; missed ${(g.missedOn as string[]).map(e).join(', ')}</li>`)}
<p>Threshold ${e(r.provisionSettings[0]?.topUpThresholdPence)}</p>
<h2>Chronology</h2>
${list(r.history, (x) => `<li>${e(x.effectiveDate)} ${e(x.changeKind)}: ${e(x.fromStage)} to ${e(x.stage)}. ${e(x.reason)} ${e(x.decidedByName)}</li>`)}
${list(r.reviews, (x) => `<li>${e(x.reviewedOn)} ${e(x.outcome)} ${e(x.reason)} ${e(x.reviewedByName)}</li>`)}
${list(r.concerns, (x) => `<li>${e(x.concernDate)} ${e(x.kind)} ${e(x.status)} ${e(x.raisedByName)}</li>`)}
${list(r.letters, (x) => `<li>${e(x.sentOn)} ${e(x.kind)} ${e(x.sentVia)} to ${e(x.recipients)} ${e(x.sentByName)}</li>`)}
${list(r.imports, (x) => `<li>${e(x.date)} ${e(x.action)} ${(x.labels as string[]).map(e).join(', ')} ${e(x.byName)}</li>`)}
${list(r.ctfExports, (x) => `<li>${e(x.createdAt)} CTF for ${e(x.destination)} ${e(x.fileName)} ${e(x.madeByName)}</li>`)}
${list(r.classMoves, (x) => `<li>${e(x.movedOn)} ${e(x.fromClassName)} to ${e(x.toClassName)} ${e(x.movedByName)}</li>`)}
<h2>Outside agencies</h2>${list(r.referrals, (x) => `<li>${e(x.agencyName)} ${e(x.status)} ${e(x.sentOn)} ${e(x.reportDueOn)}</li>`)}
${list(r.agencyActions, (x) => `<li>${e(x.notes)} ${e(x.createdByName)}</li>`)}
<h2>Advice from outside agencies</h2>${list(r.recommendations, (x) => `<li>${e(x.text)} ${e(x.kind)}: ${e(x.agencyName)} ${e(x.authorRole)}, ${e(x.writtenOn)} ${(x.usedAs as string[]).map(e).join(', ')}</li>`)}
</main></body></html>
`;
  const missing = pageBytes - Buffer.byteLength(html) - '<!--  -->'.length;
  return missing > 0 ? `${html}<!-- ${' '.repeat(missing)} -->` : html;
}

export interface Floor {
  port: number;
  close(): Promise<void>;
}

/** Each statement prepared once on each connection, under a name of its own (as `pg` does for a named query). */
function preparedStatements(pool: pg.Pool): Queryable {
  const names = new Map<string, string>();
  return {
    query(text, values) {
      let name = names.get(text);
      if (!name) {
        name = `floor_${names.size + 1}`;
        names.set(text, name);
      }
      return pool.query({ name, text, values });
    },
  };
}

export async function startFloor(
  databaseUrl: string,
  pageBytes: number,
  options: { prepared?: boolean; poolSize?: number } = {},
): Promise<Floor> {
  // The audit key, as OpenSEND gives its own connections: the chain trigger needs it for the audit row.
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max: options.poolSize ?? 10,
    options: auditConnectionOptions(TEST_AUDIT_KEY),
  });
  pool.on('error', () => {});
  const db: Queryable = options.prepared ? preparedStatements(pool) : pool;

  async function pupilPage(cookie: string | undefined, pupilId: string, requestId: string) {
    const token = cookieValue(cookie, SESSION_COOKIE);
    if (!token) return null;
    const sessionId = createHash('sha256').update(token).digest('hex');
    const session = (await db.query(SESSION_SQL, [sessionId])).rows[0] as Row | undefined;
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
    const record = await floorRecord(db, schoolId, pupilId);
    if (!record) return null;
    await db.query(AUDIT_SQL, [
      schoolId,
      session.user_id,
      [...membership.roles].sort().join(','),
      pupilId,
      requestId,
    ]);
    return render(record, pageBytes);
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
