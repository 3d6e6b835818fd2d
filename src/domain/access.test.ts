import { describe, expect, it } from 'vitest';
import {
  ACTOR_KINDS,
  CAPABILITIES,
  hasCapability,
  kindOfRole,
  mayDeliverGroups,
  personalReachesFor,
  REACHES,
  REACHES_OF_KIND,
  type Reach,
  ROLES,
  ROLES_OF_KIND,
  type Role,
  reachesFor,
  reachesPupils,
  rolesLabel,
  SCHOOL_ROLES,
  SECTIONS,
  sectionAccess,
} from './access.ts';

const only = (...r: Reach[]) => new Set<Reach>(r);

describe('the four kinds of person', () => {
  it('puts every role in exactly one kind, and gives each role only the reaches of its kind', () => {
    const all = Object.keys(ROLES) as Role[];
    expect(ACTOR_KINDS.flatMap((k) => ROLES_OF_KIND[k]).sort()).toEqual([...all].sort());
    for (const role of all) {
      const kind = kindOfRole(role);
      for (const g of ROLES[role].grants)
        expect(REACHES_OF_KIND[kind], `${role} (${kind})`).toContain(g.reach);
    }
    // Every reach belongs to one kind.
    expect(ACTOR_KINDS.flatMap((k) => REACHES_OF_KIND[k]).sort()).toEqual([...REACHES].sort());
  });

  it('keeps school-wide capabilities with staff, the organisation’s figures with officers, and none for parents or professionals', () => {
    for (const role of ROLES_OF_KIND.parent) expect(ROLES[role].capabilities).toEqual([]);
    for (const role of ROLES_OF_KIND.professional) expect(ROLES[role].capabilities).toEqual([]);
    for (const role of ROLES_OF_KIND.officer) expect(ROLES[role].capabilities).toContain('organisation.view');
    // The organisation's directory of services is kept by its caseworkers and managers, not its panel.
    expect(ROLES.caseworker.capabilities).toContain('organisation.directory');
    expect(ROLES.manager.capabilities).toContain('organisation.directory');
    // The panel records its own discussion of a case, as the caseworker may; the manager reads.
    expect(ROLES.panel_member.capabilities).toEqual(['organisation.view', 'cases.panel']);
    expect(ROLES.caseworker.capabilities).toContain('cases.panel');
    expect(ROLES.manager.capabilities).not.toContain('cases.panel');
    for (const role of ROLES_OF_KIND.staff) {
      expect(ROLES[role].capabilities).not.toContain('organisation.view');
      expect(ROLES[role].capabilities).not.toContain('organisation.directory');
    }
  });

  it('lets a parent read their own child’s plans and contribute to letters, never write; a professional only contribute back', () => {
    const parent = sectionAccess(['parent'], only('own_children'));
    expect(parent).toMatchObject({
      plans: 'read',
      letters: 'contribute',
      identity: 'read',
      audit: null,
      medical: null,
    });
    const professional = sectionAccess(
      ['agency_professional'],
      only('referrals_received'),
      new Set(['plans', 'agencies']),
    );
    expect(professional).toMatchObject({
      plans: 'read',
      agencies: 'contribute',
      register: null,
      identity: null,
    });
    // A caseworker works on the EHC record of the organisation's cases; a panel member only reads it.
    expect(sectionAccess(['caseworker'], only('caseload')).ehc).toBe('write');
    expect(sectionAccess(['panel_member'], only('caseload'))).toMatchObject({
      ehc: 'read',
      plans: null,
      medical: null,
    });
  });
});

describe('the grant table', () => {
  it('gives every role a definition with known reaches, sections and capabilities', () => {
    for (const [role, def] of Object.entries(ROLES)) {
      for (const g of def.grants) {
        expect(REACHES, role).toContain(g.reach);
        for (const s of Object.keys(g.sections)) expect(SECTIONS, role).toContain(s);
      }
      for (const c of def.capabilities) expect(CAPABILITIES, role).toContain(c);
    }
  });

  it('lets the SENCo and head teacher do everything in their school', () => {
    for (const role of ['senco', 'head_teacher'] as const) {
      const access = sectionAccess([role], only('school'));
      expect(access).toMatchObject({
        identity: 'write',
        register: 'write',
        concerns: 'write',
        plans: 'write',
        audit: 'read',
      });
      expect(hasCapability([role], 'staff.manage')).toBe(true);
      expect(hasCapability([role], 'register.review')).toBe(true);
    }
  });

  it('gives a class teacher the SEN record of their own class only, and any pupil’s name to raise a concern', () => {
    expect(sectionAccess(['class_teacher'], only('school', 'classes_taught'))).toMatchObject({
      identity: 'read',
      register: 'read',
      plans: 'write',
    });
    const elsewhere = sectionAccess(['class_teacher'], only('school'));
    expect(elsewhere).toMatchObject({ directory: 'read', identity: null, register: null, concerns: null });
    expect(hasCapability(['class_teacher'], 'concern.raise')).toBe(true);
    expect(hasCapability(['class_teacher'], 'concern.review')).toBe(false);
  });

  it('lets any teaching member of staff deliver a provision group, with its pupils’ provision to record', () => {
    for (const role of ['senco', 'head_teacher', 'class_teacher', 'teaching_assistant'] as const)
      expect(mayDeliverGroups([role]), role).toBe(true);
    for (const role of ['office', 'sen_governor', 'caseworker', 'parent', 'agency_professional'] as const)
      expect(mayDeliverGroups([role]), role).toBe(false);
    // A class teacher delivering a group works with its pupils as an assistant does, outside their class too.
    expect(sectionAccess(['class_teacher'], only('school', 'groups_delivered'))).toMatchObject({
      provision: 'contribute',
      plans: 'contribute',
      register: 'read',
      identity: 'read',
    });
    expect(personalReachesFor(['class_teacher'], 'provision', 'contribute')).toEqual(['groups_delivered']);
  });

  it('reaches a teaching assistant’s pupils through assignments and (with the provision map) groups they deliver', () => {
    expect(reachesFor(['teaching_assistant'], 'register')).toEqual(['pupils_assigned', 'groups_delivered']);
    expect(sectionAccess(['teaching_assistant'], only('school', 'pupils_assigned'))).toMatchObject({
      register: 'read',
      plans: 'contribute',
      provision: 'contribute',
    });
  });

  it('keeps SEN records from the office, and every named pupil from the governor', () => {
    expect(sectionAccess(['office'], only('school'))).toMatchObject({
      identity: 'write',
      register: null,
      concerns: null,
      plans: null,
    });
    expect(reachesPupils(['sen_governor'])).toBe(false);
    expect(hasCapability(['sen_governor'], 'counts.view')).toBe(true);
  });
});

describe('people with more than one role', () => {
  it('reach the union of their grants, grant by grant (the office role does not widen a teacher’s SEN reach)', () => {
    const roles = ['class_teacher', 'office'] as const;
    // Their own class: SEN record and contacts. Any other pupil: contacts (office), no SEN record.
    expect(sectionAccess(roles, only('school', 'classes_taught'))).toMatchObject({
      identity: 'write',
      register: 'read',
    });
    expect(sectionAccess(roles, only('school'))).toMatchObject({ identity: 'write', register: null });
    expect(reachesFor(roles, 'register')).toEqual(['classes_taught', 'groups_delivered']);
    expect(reachesFor(roles, 'identity')).toEqual(['school']);
  });

  it('a SENCo who teaches Year 4 reaches the whole school; a teacher who is also a TA reaches class and assigned pupils only', () => {
    expect(reachesFor(['senco', 'class_teacher'], 'register')).toEqual(['school']);
    expect(reachesFor(['class_teacher', 'teaching_assistant'], 'register').sort()).toEqual(
      ['classes_taught', 'groups_delivered', 'pupils_assigned'].sort(),
    );
    expect(sectionAccess(['class_teacher', 'teaching_assistant'], only('school'))).toMatchObject({
      register: null,
    });
  });

  it('reads as people say it: “SENCo and class teacher”, never a lower-cased label', () => {
    expect(rolesLabel(['class_teacher', 'senco'])).toBe('SENCo and class teacher');
    expect(rolesLabel(['senco', 'head_teacher'])).toBe('SENCo and head teacher');
    expect(rolesLabel(['office'])).toBe('Office');
    for (const r of SCHOOL_ROLES) expect(rolesLabel([r])).not.toMatch(/^[a-z]/);
  });
});

describe('a person’s own pupils', () => {
  it('are those of their classes, assignments and groups, even when another role reaches the whole school', () => {
    expect(personalReachesFor(['senco'], 'plans')).toEqual([]);
    expect(personalReachesFor(['office'], 'letters')).toEqual([]);
    expect(personalReachesFor(['senco', 'class_teacher'], 'plans')).toEqual([
      'classes_taught',
      'groups_delivered',
    ]);
    expect(personalReachesFor(['teaching_assistant'], 'plans', 'contribute')).toEqual([
      'pupils_assigned',
      'groups_delivered',
    ]);
    expect(personalReachesFor(['teaching_assistant'], 'plans', 'write')).toEqual([]);
  });
});
