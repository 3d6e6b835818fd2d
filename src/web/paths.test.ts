import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { FastifyInstance } from 'fastify';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp } from '../../test/client.ts';
import { freshDatabase } from '../../test/db.ts';
import type { Database } from '../db/client.ts';
import type { IdParam } from './params.ts';
import { type ParamNames, type Path, type Paths, path, paths, templateLinks } from './paths.ts';

describe('a path object', () => {
  it('gives the route pattern and the link, each value URL-encoded', () => {
    const note = path('/plans/:planId/notes/:noteId/correct');
    expect(note.pattern).toBe('/plans/:planId/notes/:noteId/correct');
    expect(note.params).toEqual(['planId', 'noteId']);
    expect(note.to({ planId: 'p 1', noteId: 'a/b?c#d' })).toBe('/plans/p%201/notes/a%2Fb%3Fc%23d/correct');
    expect(paths.home.to()).toBe('/');
    expect(paths.registerCsv.to()).toBe('/register.csv');
  });

  it('adds a query (encoded, undefined values left out) or a search or fragment already built', () => {
    expect(paths.signIn.to({ returnTo: '/pupils?q=a b&c' })).toBe(
      '/sign-in?returnTo=%2Fpupils%3Fq%3Da+b%26c',
    );
    expect(paths.dashboard.to({ list: undefined })).toBe('/dashboard');
    expect(paths.plan.to({ planId: 'x' }, '#notes')).toBe('/plans/x#notes');
    expect(paths.provision.to('?show=ended')).toBe('/provision?show=ended');
    expect(() => paths.provision.to('show=ended')).toThrow(/starts with \? or #/);
  });

  it('refuses a link with a parameter missing: a type error in TypeScript, an error from a template', () => {
    // @ts-expect-error planId is missing
    expect(() => paths.plan.to({})).toThrow(/needs planId/);
    // @ts-expect-error noteId is missing
    expect(() => paths.noteCorrect.to({ planId: 'p' })).toThrow(/needs noteId/);
    // @ts-expect-error a parameter the pattern does not have
    paths.pupil.to({ pupilId: 'p', planId: 'x' });
    // @ts-expect-error a pattern with parameters needs them
    expect(() => paths.pupil.to()).toThrow(/needs pupilId/);
    expect(() => paths.pupil.to({ pupilId: '' })).toThrow(/needs pupilId/);
  });

  it('gives templates the same links, the values in the order of the pattern', () => {
    expect(templateLinks.noteCorrect('p', 'n')).toBe(paths.noteCorrect.to({ planId: 'p', noteId: 'n' }));
    expect(templateLinks.groupNew({ interventionId: 'i 1' })).toBe(
      '/provision/groups/new?interventionId=i+1',
    );
    expect(templateLinks.provisionMap('?term=2025-autumn')).toBe('/provision/map?term=2025-autumn');
    expect(() => templateLinks.pupil(undefined)).toThrow(/needs pupilId/);
    expect(Object.keys(templateLinks).sort()).toEqual(Object.keys(paths).sort());
  });
});

/** Every parameter name of every route pattern. */
type RouteParam = { [K in keyof Paths]: ParamNames<Paths[K]['pattern']> }[keyof Paths];

it('names every route parameter for a kind of id that web/params.ts parses (checked by tsc)', () => {
  const everyParamIsAnId: [RouteParam] extends [IdParam] ? true : false = true;
  expect(everyParamIsAnId).toBe(true);
  const named = new Set(Object.values(paths).flatMap((p: Path) => p.params));
  expect([...named].sort()).toContain('pupilId');
});

describe('one path object per address', () => {
  let database: Database;
  let app: FastifyInstance;
  beforeAll(async () => {
    database = await freshDatabase();
    app = (await testApp(database)).app;
  });
  afterAll(async () => {
    await app?.close();
    await database?.close();
  });

  const all = Object.entries(paths) as [string, Path][];

  it('gives every address one path object', () => {
    const patterns = all.map(([, p]) => p.pattern);
    expect(patterns.filter((p, i) => patterns.indexOf(p) !== i)).toEqual([]);
  });

  it('registers every path object by exactly one route for each method it answers', () => {
    const routes = app.routeList.filter((r) => !r.url.includes('*'));
    const unregistered = all.filter(([, p]) => !routes.some((r) => r.url === p.pattern)).map(([n]) => n);
    expect(unregistered, 'path objects no route registers').toEqual([]);
    const keys = routes.map((r) => `${r.method} ${r.url}`);
    expect(
      keys.filter((k, i) => keys.indexOf(k) !== i),
      'registered twice',
    ).toEqual([]);
    const patterns = new Set(all.map(([, p]) => p.pattern));
    expect(
      routes.filter((r) => !patterns.has(r.url)).map((r) => `${r.method} ${r.url}`),
      'routes whose pattern is not a path object',
    ).toEqual([]);
  });
});

/** Every TypeScript source file under src/, tests left out. */
function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(full);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [full] : [];
  });
}

const HTTP_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'all', 'route']);
const FASTIFY = new Set(['app', 'scope', 'fastify', 'instance', 'server']);

/**
 * The route registrations of a file whose pattern is not a path object's: `app.get(…)` and the like,
 * and anything `.get('/…')`, must take `paths.<name>.pattern`; a form route takes `paths.<name>`.
 */
function patternsNotFromPaths(file: string, text: string): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const found: string[] = [];
  const at = (node: ts.Node) =>
    `${file}:${source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1}: ${node.getText(source)}`;
  const isLiteral = (node: ts.Node) =>
    ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateExpression(node);
  const fromPaths = (node: ts.Node, tail: string | null) =>
    new RegExp(`^paths\\.\\w+${tail ? `\\.${tail}` : ''}$`).test(node.getText(source)) ||
    (file.endsWith('form-route.ts') && node.getText(source) === `def.path${tail ? `.${tail}` : ''}`);
  const visit = (node: ts.Node) => {
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
      const method = node.expression.name.text;
      const receiver = node.expression.expression;
      const first = node.arguments[0];
      if (HTTP_METHODS.has(method) && first) {
        const onFastify = ts.isIdentifier(receiver) && FASTIFY.has(receiver.text);
        const looksLikeRoute = isLiteral(first) && first.getText(source).slice(1).startsWith('/');
        if (ts.isObjectLiteralExpression(first) && method === 'route') {
          for (const p of first.properties)
            if (
              ts.isPropertyAssignment(p) &&
              p.name.getText(source) === 'url' &&
              !fromPaths(p.initializer, 'pattern')
            )
              found.push(at(p));
        } else if ((onFastify || looksLikeRoute) && !fromPaths(first, 'pattern'))
          found.push(at(node.expression));
      }
    }
    if (ts.isCallExpression(node) && node.expression.getText(source) === 'formRoute') {
      const def = node.arguments[1];
      if (def && ts.isObjectLiteralExpression(def))
        for (const p of def.properties)
          if (
            ts.isPropertyAssignment(p) &&
            p.name.getText(source) === 'path' &&
            !fromPaths(p.initializer, null)
          )
            found.push(at(p));
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe('no route pattern outside paths.ts', () => {
  it('finds route patterns written anywhere else (the check can fail)', () => {
    const routes = [
      "app.get('/plans/:planId', handler);",
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the source text of a route, to be scanned
      'scope.post(`/pupils/${x}`, handler);',
      "router.get('/somewhere', handler);",
      'app.get(PLAN, handler);',
      "app.route({ method: 'GET', url: '/x', handler });",
      "formRoute(app, { path: '/pupils/new', template: 't' });",
      "formRoute(app, { path: path('/pupils/new'), template: 't' });",
    ].join('\n');
    expect(patternsNotFromPaths('routes.ts', routes)).toHaveLength(7);
    const good = [
      'app.get(paths.plan.pattern, handler);',
      'app.route({ method: "GET", url: paths.plan.pattern, handler });',
      "formRoute(app, { path: paths.pupilNew, template: 't' });",
      "names.get('key'); headers.get(name);",
    ].join('\n');
    expect(patternsNotFromPaths('routes.ts', good)).toEqual([]);
  });

  it('registers every route of the source with a path object from web/paths.ts', () => {
    const root = join(import.meta.dirname, '..');
    const found = sourceFiles(root)
      .filter((f) => !f.endsWith(join('web', 'paths.ts')))
      .flatMap((f) => patternsNotFromPaths(relative(root, f), readFileSync(f, 'utf8')));
    expect(found).toEqual([]);
  });
});
