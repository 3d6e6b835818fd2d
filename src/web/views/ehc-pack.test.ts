import { describe, expect, it } from 'vitest';
import { examplePack } from '../../../test/builders/ehc-example.ts';
import { renderPackHtml } from '../../../test/ehc-pack-html.ts';
import { PACK_SECTIONS, packItems } from '../../domain/ehc-pack.ts';

/*
 * The read-only pack as HTML (the `ehcPack` macro): a section per part of the request with its heading,
 * sub-headings one level down, every table with a caption and its headings, typed text escaped with its
 * line breaks kept, items left out tagged in words. Its accessibility in a browser: e2e/ehc-pack.test.ts.
 */

const headings = (html: string) =>
  [...html.matchAll(/<h(\d)[^>]*>([^<]*)<\/h\d>/g)].map((m) => [Number(m[1]), m[2]]);

describe('the ehcPack macro', () => {
  it('has a section per part, named by its heading, in order', () => {
    const html = renderPackHtml(examplePack());
    const sections = [...html.matchAll(/<section [^>]*aria-labelledby="([^"]+)"/g)].map((m) => m[1]);
    expect(sections).toEqual(Object.keys(PACK_SECTIONS).map((k) => `pack-section-${k}`));
    expect(
      headings(html)
        .filter(([level]) => level === 2)
        .map(([, text]) => text),
    ).toEqual(Object.values(PACK_SECTIONS).map((t) => t.replace('’', '&rsquo;').replace('&rsquo;', '’')));
  });

  it('never skips a heading level, from the level given', () => {
    for (const level of [2, 3]) {
      const levels = headings(renderPackHtml(examplePack(), { headingLevel: level })).map(
        ([l]) => l as number,
      );
      expect(levels[0]).toBe(level);
      levels.forEach((l, i) => {
        if (i > 0) expect(l - levels[i - 1]!, `heading ${i}`).toBeLessThanOrEqual(1);
      });
      expect(Math.min(...levels)).toBe(level);
    }
  });

  it('gives every table a caption and headings', () => {
    const html = renderPackHtml(examplePack());
    const tables = html.match(/<table[\s\S]*?<\/table>/g) ?? [];
    expect(tables.length).toBeGreaterThan(5);
    for (const table of tables) {
      expect(table).toMatch(/<caption class="govuk-table__caption[^"]*">[^<]+<\/caption>/);
      expect(table).toMatch(/<th scope="(row|col)"/);
    }
  });

  it('escapes what people typed and keeps its line breaks', () => {
    const pack = examplePack();
    pack.moreInformation.coveringStatement = '<script>alert(1)</script>\nSecond line';
    const html = renderPackHtml(pack);
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;<br>Second line');
  });

  it('tags the items left out in words, with an id on each item', () => {
    const pack = examplePack();
    const key = pack.intervention.plans[0]!.key;
    const html = renderPackHtml(pack, { leftOut: [key] });
    expect(html).toContain(`id="pack-${key.replace(':', '-')}"`);
    expect(
      html.match(/>Left out<\/strong> <span class="govuk-body-s">Not sent with the request<\/span>/g),
    ).toHaveLength(2);
    expect(renderPackHtml(pack)).not.toContain('Left out</strong>');
  });

  it('tags every leavable item when it is left out, a provision row as well as a whole block', () => {
    const pack = examplePack();
    const items = packItems(pack);
    expect(items.some((i) => i.key.startsWith('provision:'))).toBe(true);
    for (const item of items) {
      const html = renderPackHtml(pack, { leftOut: [item.key] });
      expect(html, item.label).toContain('Left out</strong>');
      const anchor = `id="pack-${item.key.replace(/[^A-Za-z0-9-]/g, '-')}"`;
      const at = html.indexOf(anchor);
      expect(at, `${item.label} has an id`).toBeGreaterThan(-1);
      // The tag is inside the item itself (its block or its table row).
      const end = html.indexOf(item.key.startsWith('provision:') ? '</tr>' : '</div>', at);
      expect(html.slice(at, end), item.label).toContain('Left out</strong>');
    }
  });
});
