import { describe, expect, it } from 'vitest';
import { examplePack, examplePackParts } from '../../test/builders/ehc-example.ts';
import { type EvidencePack, leaveOut, PACK_CHECKS, packChecks, packItems } from './ehc-pack.ts';

/*
 * The pack's completeness check and leaving items out, on worked examples: what LAs commonly expect and
 * is missing (fewer than two reviewed plans, no baseline, no costed provision, no educational
 * psychologist's advice, no parents' or child's views, no consent).
 */

const { id, plan, provision, review, report } = examplePackParts;
const fullPack = examplePack;

const missing = (pack: EvidencePack) =>
  packChecks(pack)
    .filter((c) => !c.met)
    .map((c) => c.key);

describe('packChecks', () => {
  it('finds nothing missing in a pack with two reviewed plans, a baseline, costs, EP advice, both views and consent', () => {
    const checks = packChecks(fullPack());
    expect(checks.map((c) => c.key)).toEqual(Object.keys(PACK_CHECKS));
    expect(checks.every((c) => c.met)).toBe(true);
    expect(checks.find((c) => c.key === 'reviewed_plans')?.detail).toBe('2 reviewed plans in the pack');
    expect(checks.find((c) => c.key === 'consent')?.detail).toBe(
      'Given by Lucia Martinez on 18 November 2026',
    );
  });

  it('one reviewed plan and one still in place: fewer than two reviewed plans', () => {
    const pack = fullPack();
    pack.intervention.plans = [plan(1, review(11)), plan(3, null)];
    expect(missing(pack)).toEqual(['reviewed_plans']);
    expect(packChecks(pack)[0]?.detail).toMatch(
      /^Only one reviewed plan in the pack: .*two to four reviewed cycles/,
    );
  });

  it('no plan at all: no reviewed plan', () => {
    const pack = fullPack();
    pack.intervention.plans = [];
    expect(packChecks(pack)[0]).toMatchObject({
      met: false,
      detail: expect.stringMatching(/^No reviewed plan/),
    });
  });

  it('provision measured only at exit, or not at all: no baseline', () => {
    const pack = fullPack();
    pack.intervention.provision = [
      provision(21, { impact: { measure: 'Standardised score', entry: null, exit: '84', change: null } }),
      provision(22, { impact: null }),
    ];
    expect(missing(pack)).toEqual(['baseline']);
  });

  it('provision that cost nothing (none recorded, or free): no costed provision', () => {
    const pack = fullPack();
    pack.intervention.provision = [provision(21, { costPence: 0 })];
    expect(missing(pack)).toEqual(['costed_provision']);
    pack.intervention.provision = [];
    expect(missing(pack)).toEqual(['baseline', 'costed_provision']);
  });

  it('a speech and language report but no educational psychologist’s: no EP advice', () => {
    const pack = fullPack();
    pack.need.referrals[0]!.reports = [report(31, 'speech_and_language_therapy')];
    expect(missing(pack)).toEqual(['educational_psychologist']);
    // An EP's report held without a referral has no service kind: not counted as the EP's advice.
    pack.need.otherReports = [report(32, null)];
    expect(missing(pack)).toEqual(['educational_psychologist']);
  });

  it('no parents’ views, unless the request is the parent’s own in their words', () => {
    const pack = fullPack();
    pack.parentsViews = [];
    expect(missing(pack)).toEqual(['parents_views']);
    pack.parentRequest = 'We ask for an assessment';
    expect(missing(pack)).toEqual([]);
  });

  it('no child’s views: neither views at a review nor a one-page profile', () => {
    const pack = fullPack();
    pack.childsViews.views = [];
    expect(missing(pack)).toEqual([]);
    pack.childsViews.profile = null;
    expect(missing(pack)).toEqual(['childs_views']);
  });

  it('no consent', () => {
    const pack = fullPack();
    pack.consent = null;
    expect(missing(pack)).toEqual(['consent']);
  });
});

describe('leaveOut and packItems', () => {
  it('names each item uniquely, numbering items that would read the same', () => {
    const pack = fullPack();
    const first = pack.parentsViews[0]!;
    pack.parentsViews = [first, { ...first, key: `${first.key}-again` }];
    const labels = packItems(pack).map((i) => i.label);
    expect(new Set(labels).size).toBe(labels.length);
    expect(labels).toContain(`The parents’ views: ${first.context} (1 of 2)`);
    expect(labels).toContain(`The parents’ views: ${first.context} (2 of 2)`);
  });

  it('lists every leavable item in the pack’s order', () => {
    expect(packItems(fullPack()).map((i) => [i.key, i.section])).toEqual([
      [`plan:${id(1)}`, 'intervention'],
      [`review:${id(11)}`, 'intervention'],
      [`plan:${id(2)}`, 'intervention'],
      [`review:${id(12)}`, 'intervention'],
      [`plan:${id(3)}`, 'intervention'],
      [`provision:${id(21)}`, 'intervention'],
      [`report:${id(31)}`, 'need'],
      [`views:${id(11)}:parents`, 'parentsViews'],
      ['profile', 'childsViews'],
      [`views:${id(11)}:child`, 'childsViews'],
    ]);
  });

  it('a review left out takes the views given at it, and the check is made again', () => {
    const pack = leaveOut(fullPack(), [`review:${id(11)}`]);
    expect(pack.intervention.plans[0]!.review).toBeNull();
    expect(pack.parentsViews).toEqual([]);
    expect(pack.childsViews.views).toEqual([]);
    expect(pack.moreInformation.leftOutCount).toBe(1);
    expect(pack.checklist.filter((c) => !c.met).map((c) => c.key)).toEqual([
      'reviewed_plans',
      'parents_views',
    ]);
  });

  it('views left out on their own leave the review in, without them', () => {
    const pack = leaveOut(fullPack(), [`views:${id(11)}:parents`]);
    expect(pack.intervention.plans[0]!.review).toMatchObject({
      parentViews: null,
      pupilViews: 'I like the group',
    });
    expect(pack.parentsViews).toEqual([]);
    expect(pack.childsViews.views).toHaveLength(1);
  });

  it('ignores keys that name nothing in the pack', () => {
    const before = fullPack();
    const after = leaveOut(before, ['plan:elsewhere', `report:${id(77)}`, 'anything']);
    expect(after).toEqual(before);
  });
});
