/**
 * The layers of OpenSEND, checked on every `npm test` (ARCHITECTURE.md "Layout"):
 * web → services → repositories → db; everything may use domain; domain and policies use only domain.
 * A broken rule fails the check with the two files named.
 */
module.exports = {
  forbidden: [
    { name: 'no-cycles', severity: 'error', from: {}, to: { circular: true } },
    {
      name: 'no-schema-cycles',
      comment:
        'The schema files import one another one way (schools ← people ← pupils ← the records): a table that needs both sides of a pair lives in the higher file. The no-cycles rule above once exempted src/db/schema; this keeps it from coming back.',
      severity: 'error',
      from: { path: '^src/db/schema/' },
      to: { path: '^src/db/schema/', circular: true },
    },
    {
      name: 'domain-is-pure',
      comment: 'domain/ holds plain rules: it imports nothing but domain.',
      severity: 'error',
      from: { path: '^src/domain/' },
      // fast-xml-parser is pure (no I/O): the CTF reader in domain/ctf parses with it.
      to: { pathNot: ['^src/domain/', 'node_modules/fast-xml-parser/'], dependencyTypesNot: ['core'] },
    },
    {
      name: 'domain-uses-no-node',
      comment: 'domain/ does no I/O.',
      severity: 'error',
      from: { path: '^src/domain/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'policies-use-only-domain',
      severity: 'error',
      from: { path: '^src/policies/' },
      to: { pathNot: ['^src/domain/', '^src/policies/'] },
    },
    {
      name: 'data-layer-is-below-services',
      comment: 'db/ and repositories/ import no service, presenter, document or web code.',
      severity: 'error',
      from: { path: '^src/(db|repositories)/' },
      to: { path: '^src/(services|web|presenters|documents|cli)/' },
    },
    {
      name: 'services-below-web',
      severity: 'error',
      from: { path: '^src/services/' },
      to: { path: '^src/(web|cli|presenters|documents)/' },
    },
    {
      name: 'presenters-and-documents-outside-web',
      severity: 'error',
      from: { path: '^src/(presenters|documents)/' },
      to: { path: '^src/(web|cli|db)/' },
    },
    {
      name: 'web-through-services',
      comment: 'The web reaches data only through services (types from repositories are allowed).',
      severity: 'error',
      from: { path: '^src/web/' },
      to: { path: '^src/db/' },
    },
    {
      name: 'web-decides-nothing',
      comment:
        'Policies are called by services, which return the allowed actions with the data: a page shows them and decides nothing (types are allowed).',
      severity: 'error',
      from: { path: '^src/(web|presenters|documents)/' },
      to: { path: '^src/policies/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'web-no-repository-calls',
      severity: 'error',
      from: { path: '^src/web/' },
      to: { path: '^src/repositories/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'cli-through-services',
      comment: 'The command line calls services, so it is authorised and audited like the web.',
      severity: 'error',
      from: { path: '^src/cli/' },
      to: { path: '^src/repositories/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'features-apart',
      comment: 'No feature imports another feature: shared pieces live in web/shared, web/forms, web/views.',
      severity: 'error',
      from: { path: '^src/web/features/([^/]+)/' },
      to: { path: '^src/web/features/([^/]+)/', pathNot: '^src/web/features/$1/' },
    },
    {
      name: 'features-not-back-to-app',
      severity: 'error',
      from: { path: '^src/web/(features|plugins|shared|forms)/' },
      to: { path: '^src/web/app\\.ts$', dependencyTypesNot: ['type-only'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '\\.test\\.ts$' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.mjs'] },
  },
};
