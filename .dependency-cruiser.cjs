// Dependency rules of the layout: apps are composition roots built from libraries, libraries never
// reach into apps, and what only the tests and the bench need stays out of everything that ships.
// Checked by `npm run lint` (tools/check-dependencies.mjs) over apps, libs, test and bench.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'app-imports-another-app',
      comment: 'An app composes libraries; what two apps share belongs in a library (libs/), not inside one of them.',
      severity: 'error',
      from: { path: '^apps/([^/]+)/' },
      to: { path: '^apps/', pathNot: '^apps/$1/' },
    },
    {
      name: 'lib-imports-an-app',
      comment: 'Libraries are what apps are built from, never the other way round.',
      severity: 'error',
      from: { path: '^libs/' },
      to: { path: '^apps/' },
    },
    {
      name: 'shipped-code-imports-test-support',
      comment: 'Apps and libraries ship; the tests, the bench and libs/testing (their shared support) do not. Specs beside the code are not shipped either.',
      severity: 'error',
      from: { path: '^(apps|libs)/', pathNot: ['^libs/testing/', '\\.spec\\.ts$'] },
      to: { path: '^(test|bench)/|^libs/testing/' },
    },
    {
      name: 'test-support-imports-a-suite',
      comment: 'libs/testing is what test/ and bench/ share: it depends on neither.',
      severity: 'error',
      from: { path: '^libs/testing/' },
      to: { path: '^(test|bench)/' },
    },
    {
      name: 'test-support-imports-a-library',
      comment: "jest's global setup loads libs/testing without the @conmutador/* path aliases: it must stand alone.",
      severity: 'error',
      from: { path: '^libs/testing/' },
      to: { path: '^libs/', pathNot: '^libs/testing/' },
    },
    {
      name: 'nest-baseline-reaches-engine-kafka',
      comment:
        "The bench's idiomatic NestJS baseline runs stock kafkajs: loading @conmutador/kafka, even through a stage's package index, would install the engine's kafkajs module replacements in it.",
      severity: 'error',
      from: { path: '^bench/nest-baseline/' },
      to: { path: '^libs/kafka/src/index\\.ts$', reachable: true },
    },
    {
      name: 'no-circular',
      comment: 'A cycle makes load order (and what is undefined at import time) depend on who is imported first.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|node_modules|\\.stack|coverage)/' },
    // Type-only imports count: a type from an app is still a dependency on that app.
    tsPreCompilationDeps: true,
    // The @conmutador/* path aliases resolve to libs/*/src, so the rules see the real folders.
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
