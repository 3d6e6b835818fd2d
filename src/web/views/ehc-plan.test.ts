import { describe, expect, it } from 'vitest';
import { examplePlanSections } from '../../../test/builders/ehc-plans.ts';
import { renderPlanHtml } from '../../../test/ehc-plan-html.ts';
import { emptySections, PLAN_SECTION_KEYS, PLAN_SECTIONS } from '../../domain/ehc-plan.ts';

/*
 * The read-only plan as HTML (the `ehcPlan` macro): each section A–K separately identified by its heading,
 * needs, outcomes and provision numbered and linked to one another, provision as who, what, how often and
 * for how long, typed text escaped, an empty section said to be empty. In a browser with axe:
 * e2e/ehc-plan-school.test.ts.
 */

const school = { id: 'school-1', name: 'Brookfield Primary', urn: '100001' };
const headings = (html: string) =>
  [...html.matchAll(/<h(\d)[^>]*>([^<]*)<\/h\d>/g)].map((m) => [Number(m[1]), m[2] ?? ''] as const);
const decode = (s: string) => s.replaceAll('&rsquo;', '’');

describe('the ehcPlan macro', () => {
  it('has a section per part of the plan, A to K, each named by its heading, in order', () => {
    const html = renderPlanHtml(examplePlanSections(school));
    const sections = [...html.matchAll(/<section [^>]*aria-labelledby="([^"]+)"/g)].map((m) => m[1]);
    expect(sections).toEqual(PLAN_SECTION_KEYS.map((k) => `plan-section-${k}`));
    expect(
      headings(html)
        .filter(([level]) => level === 2)
        .map(([, text]) => decode(text)),
    ).toEqual(Object.values(PLAN_SECTIONS));
  });

  it('shows only the sections asked for, under the prefix given', () => {
    const html = renderPlanHtml(examplePlanSections(school), { only: ['e', 'f'], idPrefix: 'v2' });
    const sections = [...html.matchAll(/aria-labelledby="([^"]+)"/g)].map((m) => m[1]);
    expect(sections).toEqual(['v2-section-e', 'v2-section-f']);
    expect(html).not.toContain('id="plan-');
  });

  it('links each outcome to the needs it meets and the provision that serves it, by number', () => {
    const html = renderPlanHtml(examplePlanSections(school));
    const e1 = html.slice(html.indexOf('id="plan-e1"'), html.indexOf('id="plan-e2"'));
    expect(e1).toContain('Outcome E1');
    expect(e1).toContain('three-part classroom instructions');
    expect(e1).toContain('<a class="govuk-link" href="#plan-b1">B1</a>: Sam’s understanding');
    expect(e1).toContain('<a class="govuk-link" href="#plan-f1">F1</a>: A speech and language programme');
    expect(e1).toContain('<a class="govuk-link" href="#plan-f2">F2</a>: Instructions given');
    expect(e1).not.toContain('href="#plan-f3"');
    // Every link leads to an id on the page.
    for (const [, target] of html.matchAll(/href="#([^"]+)"/g)) expect(html).toContain(`id="${target}"`);
  });

  it('shows each item of provision as who, what, how often and for how long, with its needs and outcomes', () => {
    const html = renderPlanHtml(examplePlanSections(school));
    const f3 = html.slice(html.indexOf('id="plan-f3"'), html.indexOf('id="plan-section-g"'));
    for (const [key, value] of <[string, string][]>[
      ['What', 'A small-group social communication programme (Lego-based therapy)'],
      ['Who', 'A teaching assistant'],
      ['How often', 'Twice a week'],
      ['For how long', '45 minutes each time, for two terms'],
    ]) {
      expect(f3).toMatch(
        new RegExp(
          `<dt class="govuk-summary-list__key">${key}</dt>\\s*<dd class="govuk-summary-list__value">${value.replace(/[()]/g, '\\$&')}</dd>`,
        ),
      );
    }
    expect(f3).toContain('href="#plan-b2">B2</a>');
    expect(f3).toContain('href="#plan-e2">E2</a>');
  });

  it('says so where a link names an item no longer in the plan, rather than dropping it', () => {
    const sections = examplePlanSections(school);
    sections.e.outcomes[0]!.provisionIds.push('prov-gone');
    const html = renderPlanHtml(sections);
    expect(html).toContain(
      '<strong class="govuk-tag govuk-tag--yellow">Missing</strong> A provision no longer in the plan',
    );
  });

  it('gives the type of need of each need in B, and the kind of social care of an item in H1', () => {
    const sections = examplePlanSections(school);
    sections.h1.provision.push({
      id: 'prov-travel',
      what: 'Help with travel to a youth club',
      who: 'Social care',
      frequency: 'Weekly',
      duration: 'Two hours, for the year',
      needIds: [],
      socialCareKind: 'travel',
    });
    const html = renderPlanHtml(sections);
    expect(html).toContain('Speech, language and communication needs (SLCN)');
    expect(html).toContain('Provision H1-1');
    expect(html).toContain('Help with travel to those activities or services');
  });

  it('says each empty section is empty, and that section I is blank in a draft', () => {
    const html = renderPlanHtml(emptySections());
    expect(html).toContain('Nothing written in Section A.');
    expect(html).toContain('No needs in Section B.');
    expect(html).toContain('No outcomes in Section E.');
    expect(html).toContain('No provision in Section F.');
    expect(html).toContain('No school or institution named yet');
    expect(html).not.toContain('<table');
  });

  it('never skips a heading level, from the level given', () => {
    for (const level of [2, 3]) {
      const levels = headings(renderPlanHtml(examplePlanSections(school), { headingLevel: level })).map(
        ([l]) => l,
      );
      expect(levels[0]).toBe(level);
      expect(Math.min(...levels)).toBe(level);
      levels.forEach((l, i) => {
        if (i > 0) expect(l - levels[i - 1]!).toBeLessThanOrEqual(1);
      });
    }
  });

  it('escapes what people typed and keeps its line breaks; every table has a caption and headings', () => {
    const sections = examplePlanSections(school);
    sections.a.text = '<script>alert(1)</script>\nSecond line';
    sections.f.provision[0]!.who = '<img src=x onerror=alert(1)>';
    const html = renderPlanHtml(sections);
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;<br>Second line');
    const tables = html.match(/<table[\s\S]*?<\/table>/g) ?? [];
    expect(tables.length).toBe(3);
    for (const table of tables) {
      expect(table).toMatch(/<caption class="govuk-table__caption[^"]*">[^<]+<\/caption>/);
      expect(table).toMatch(/<th scope="col"/);
    }
  });
});
