import { describe, expect, it } from 'vitest';
import { examplePlanSections } from '../../test/builders/ehc-plans.ts';
import type { PlanProvision, PlanSections } from './ehc-plan.ts';
import { checkPlan, compareVersions, vagueWordsIn } from './ehc-plan-check.ts';

/** A plan that holds together (each rule's passing plan), copied fresh for each test to break. */
function plan(): PlanSections {
  return structuredClone(examplePlanSections({ id: null, name: 'Oakfield Primary', urn: '123456' }));
}

const rules = (s: PlanSections) => checkPlan(s).map((f) => `${f.rule}:${f.itemId}`);

const item = (over: Partial<PlanProvision>): PlanProvision => ({
  id: 'prov-x',
  what: 'Help at home with washing and dressing each morning',
  who: 'A care worker from the home care service',
  frequency: 'Every weekday morning',
  duration: '45 minutes each time, for the year',
  needIds: [],
  ...over,
});

describe('the plan-quality check', () => {
  it('finds nothing wrong with a plan that holds together', () => {
    expect(checkPlan(plan())).toEqual([]);
  });

  describe('every need with no provision', () => {
    it('flags a need in B that no provision in F meets, directly or through an outcome', () => {
      const s = plan();
      s.b.needs.push({
        id: 'need-motor',
        needType: 'PD',
        text: 'Kit cannot yet hold a pencil with a mature grip.',
      });
      const findings = checkPlan(s);
      expect(findings).toEqual([
        {
          rule: 'need_without_provision',
          section: 'b',
          fixIn: 'f',
          itemId: 'need-motor',
          message:
            'Section B, need 3 (“Kit cannot yet hold a pencil with a…”) has no provision in Section F to meet it',
        },
      ]);
    });

    it('passes a need met only through an outcome that names provision in F', () => {
      const s = plan();
      // The social need loses its direct link; the play outcome still meets it through its provision.
      const social = s.f.provision.find((p) => p.id === 'prov-social');
      if (social) social.needIds = [];
      expect(rules(s)).toEqual([]);
    });

    it('does not count health provision in G as meeting a special educational need in B', () => {
      const s = plan();
      s.f.provision = s.f.provision.filter((p) => p.id !== 'prov-social');
      s.g.provision.push(item({ id: 'prov-g', what: 'Play therapy', needIds: ['need-social'] }));
      s.e.outcomes = s.e.outcomes.map((o) =>
        o.id === 'outcome-play' ? { ...o, provisionIds: ['prov-g'] } : o,
      );
      expect(rules(s)).toContain('need_without_provision:need-social');
    });

    it('flags a health need in C with no provision in G or F', () => {
      const s = plan();
      s.g.provision = [];
      expect(rules(s)).toEqual(['need_without_provision:need-glue-ear']);
    });

    it('is put right where the provision is written: G for a health need, H1 for a social care need', () => {
      const s = plan();
      s.g.provision = [];
      s.d.needs.push({ id: 'need-care', needType: null, text: 'Kit needs help with personal care.' });
      expect(checkPlan(s).map((f) => `${f.section}→${f.fixIn}`)).toEqual(['c→g', 'd→h1']);
    });
  });

  describe('every outcome with no provision', () => {
    it('flags an outcome that names no provision, or only provision no longer in the plan', () => {
      const s = plan();
      s.e.outcomes.push({
        id: 'outcome-write',
        text: 'By July 2027 Kit will write his name legibly',
        by: '2027-07-21',
        needIds: ['need-language'],
        provisionIds: ['prov-gone'],
      });
      expect(checkPlan(s)).toEqual([
        {
          rule: 'outcome_without_provision',
          section: 'e',
          fixIn: 'e',
          itemId: 'outcome-write',
          message:
            'Outcome 3 (“By July 2027 Kit will write his name…”) has no provision to serve it: link it to provision in Section F',
        },
      ]);
    });

    it('flags an outcome that meets no need', () => {
      const s = plan();
      const first = s.e.outcomes[0];
      if (first) first.needIds = [];
      expect(rules(s)).toEqual(['outcome_without_need:outcome-instructions']);
    });
  });

  describe('every item of provision not specified and quantified', () => {
    it('flags provision that does not say who, how often or for how long', () => {
      const s = plan();
      const salt = s.f.provision[0];
      if (salt) Object.assign(salt, { who: '', frequency: ' ', duration: '' });
      const [finding] = checkPlan(s);
      expect(finding).toMatchObject({ rule: 'provision_not_specified', section: 'f', itemId: 'prov-salt' });
      expect(finding?.message).toMatch(/does not say who provides it, how often, for how long$/);
    });

    it('flags the words that leave provision open: “access to”, “as needed”, “opportunities”, “up to”, “regular”', () => {
      for (const [what, words] of [
        ['Access to speech and language therapy', 'access to'],
        ['Speech and language therapy as needed', 'as needed'],
        ['Support as required', 'as needed'],
        ['Opportunities to work in a small group', 'opportunities'],
        ['Up to 10 hours of teaching assistant support', 'up to'],
        ['Regular check-ins with a key adult', 'regular'],
        ['Sensory breaks where appropriate', 'where appropriate'],
      ] as const) {
        const s = plan();
        const salt = s.f.provision[0];
        if (salt) salt.what = what;
        const findings = checkPlan(s);
        expect(findings, what).toHaveLength(1);
        expect(findings[0]?.message, what).toContain(`(“${words}”)`);
      }
    });

    it('passes specific words that merely contain the vague ones', () => {
      expect(vagueWordsIn(item({ what: 'Irregular verbs taught with a structured programme' }))).toEqual([]);
      expect(vagueWordsIn(item({ what: 'A laptop with accessible software', who: 'The SENCo' }))).toEqual([]);
      expect(vagueWordsIn(item({ frequency: 'Twice a week, set up to the timetable' }))).toEqual(['up to']);
    });
  });

  describe('social care in the wrong one of H1 and H2', () => {
    it('flags a section 2 service in H2 and another kind in H1; passes each in its place', () => {
      const s = plan();
      s.h1.provision = [item({ id: 'h1-home', socialCareKind: 'practical_assistance_home' })];
      s.h2.provision = [
        item({ id: 'h2-breaks', what: 'Overnight short breaks', socialCareKind: 'short_breaks' }),
      ];
      expect(rules(s)).toEqual([]);
      s.h1.provision = [
        item({ id: 'h1-breaks', what: 'Overnight short breaks', socialCareKind: 'short_breaks' }),
      ];
      s.h2.provision = [
        item({ id: 'h2-travel', what: 'Help with travel to the youth club', socialCareKind: 'travel' }),
      ];
      const findings = checkPlan(s);
      expect(findings.map((f) => `${f.section}:${f.itemId}`)).toEqual(['h1:h1-breaks', 'h2:h2-travel']);
      expect(findings[0]?.message).toContain('belongs in Section H2');
      expect(findings[1]?.message).toContain('belongs in Section H1');
    });

    it('asks for the kind of an item of social care with none', () => {
      const s = plan();
      s.h2.provision = [item({ id: 'h2-none', socialCareKind: null })];
      expect(checkPlan(s)[0]).toMatchObject({ rule: 'social_care_misplaced', itemId: 'h2-none' });
    });
  });
});

describe('what changed between two versions', () => {
  it('says nothing changed between a version and its copy', () => {
    expect(compareVersions(plan(), plan())).toEqual([]);
  });

  it('lists each section changed, item by item: added, removed and changed with each field’s old and new words', () => {
    const a = plan();
    const b = plan();
    b.a.text = 'Sam now wants to be a pilot.';
    const salt = b.f.provision.find((p) => p.id === 'prov-salt');
    if (salt) salt.frequency = 'Four times a week';
    b.f.provision = b.f.provision.filter((p) => p.id !== 'prov-visuals');
    b.f.provision.push(
      item({ id: 'prov-new', what: 'A daily reading programme', needIds: ['need-language'] }),
    );
    b.e.outcomes = b.e.outcomes.map((o) =>
      o.id === 'outcome-instructions' ? { ...o, provisionIds: ['prov-salt', 'prov-new'] } : o,
    );
    b.i = { schoolId: null, name: 'Hillside Academy', urn: '654321', kind: null };
    const diff = compareVersions(a, b);
    expect(diff.map((d) => d.section)).toEqual(['a', 'e', 'f', 'i']);
    expect(diff[0]?.items).toEqual([
      {
        change: 'changed',
        itemId: null,
        label: 'The text',
        fields: [{ label: 'Text', from: a.a.text, to: b.a.text }],
      },
    ]);
    expect(diff[1]?.items).toEqual([
      {
        change: 'changed',
        itemId: 'outcome-instructions',
        label: 'By the end of Key Stage 2, Sam will follow three-part classroom…',
        fields: [
          {
            label: 'Provision that serves it',
            from: 'Section F: A speech and language programme set…; Section F: Instructions given with a visual timetable…',
            to: 'Section F: A speech and language programme set…; Section F: A daily reading programme',
          },
        ],
      },
    ]);
    expect(diff[2]?.items.map((x) => [x.change, x.itemId])).toEqual([
      ['changed', 'prov-salt'],
      ['added', 'prov-new'],
      ['removed', 'prov-visuals'],
    ]);
    expect(diff[2]?.items[0]?.fields).toEqual([
      { label: 'How often', from: 'Three times a week', to: 'Four times a week' },
    ]);
    expect(diff[3]?.items[0]?.fields).toEqual([
      { label: 'Named', from: 'Oakfield Primary, URN 123456', to: 'Hillside Academy, URN 654321' },
    ]);
  });

  it('reads a link the same when the item it names moves within its section', () => {
    const a = plan();
    const b = plan();
    b.f.provision.reverse();
    expect(compareVersions(a, b)).toEqual([]);
  });
});
