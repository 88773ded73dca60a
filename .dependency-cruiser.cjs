// The layers of docs/architecture.md as rules: `npm run lint` fails on an import that goes
// against an arrow. Test files (*.test.ts, *.e2e.ts) are held to the rules of their folder.
// Paths are matched from the repository root; type-only imports count like any other.

/** A layer may import from these folders of src/ (and from itself, and from npm and node). */
const layer = (name, from, allowed, comment) => ({
  name,
  comment,
  severity: 'error',
  from: { path: from },
  to: { path: '^(src|specs)/', pathNot: [from, ...allowed] },
});

const GENERATED = '^src/generated/';
const CLIENT = '^src/client/';
const STREAMING = '^src/streaming/';
const FRAMEWORK = '^src/framework/';
const COMMON = '^src/common/';
const REPORTERS = '^src/reporters/';
const BENCHMARK = '^src/benchmark/';
const CLI = '^src/(cli/|cli\\.ts$)';

/** Inside src/framework: a room may import the rooms listed for it (docs/architecture.md). */
const room = (name, allowed) =>
  layer(
    `framework-${name}`,
    `^src/framework/${name}/`,
    [GENERATED, CLIENT, STREAMING, ...allowed.map((r) => `^src/framework/${r}/`)],
    `framework/${name} may import only ${allowed.join(', ') || 'no other room'} of the framework (and client, streaming, generated)`,
  );

module.exports = {
  forbidden: [
    layer('generated', GENERATED, [], 'src/generated is proto-loader output: it imports nothing of ours'),
    layer('client', CLIENT, [GENERATED], 'the client knows the proto and gRPC, not tests, specs or reports'),
    layer('streaming', STREAMING, [], 'streaming sits beside the client: the exec/attach/port-forward protocols only'),
    layer('framework', FRAMEWORK, [GENERATED, CLIENT, STREAMING], 'the framework builds on client and streaming only'),
    room('run', []),
    room('config', ['run']),
    room('verdicts', ['run']),
    room('fixtures', ['run', 'config', 'verdicts']),
    room('in-container', ['run', 'fixtures', 'verdicts']),
    room('host', ['run', 'fixtures', 'verdicts', 'in-container']),
    {
      name: 'framework-index-is-for-specs',
      comment:
        "src/framework/index.ts is the specs' door: no module of the framework, and nothing but specs, imports it",
      severity: 'error',
      from: { pathNot: '^specs/' },
      to: { path: '^src/framework/index\\.ts$' },
    },
    layer(
      'specs',
      '^specs/',
      ['^src/framework/index\\.ts$', GENERATED],
      'specs import only src/framework/index.ts and the generated CRI types',
    ),
    {
      ...layer(
        'reporters',
        REPORTERS,
        [GENERATED, CLIENT],
        'reporters read results and the call log; they know no framework',
      ),
      // run-reporter matches verdict errors by class name: its test builds the real classes so a
      // rename cannot go unnoticed.
      from: { path: REPORTERS, pathNot: '^src/reporters/run-reporter\\.test\\.ts$' },
    },
    {
      name: 'reporters-test-error-classes',
      comment:
        'run-reporter.test.ts may import the error classes whose names run-reporter matches, nothing else beyond its layer',
      severity: 'error',
      from: { path: '^src/reporters/run-reporter\\.test\\.ts$' },
      to: {
        path: '^(src|specs)/',
        pathNot: [REPORTERS, GENERATED, CLIENT, '^src/framework/verdicts/wait\\.ts$', '^src/streaming/session\\.ts$'],
      },
    },
    layer('common', COMMON, [GENERATED, CLIENT], 'common/ is what the commands share; it knows no command'),
    layer(
      'benchmark',
      BENCHMARK,
      [GENERATED, CLIENT, COMMON, '^src/framework/(run|config)/'],
      "the benchmark is a command beside the run: client, common and the framework's run context and config builders, never cli/",
    ),
    layer(
      'cli',
      CLI,
      [GENERATED, CLIENT, STREAMING, COMMON, REPORTERS, BENCHMARK, '^src/framework/(run|verdicts)/'],
      'the CLI is on top: it loads the specs through mocha (by path), and never imports the self-test, tools or e2e',
    ),
    layer(
      'selftest',
      '^src/selftest/',
      [GENERATED, CLIENT, COMMON, REPORTERS, '^src/framework/run/'],
      "the self-test runs the CLI against a fault-injecting proxy: it reads results, never specs or the CLI's modules",
    ),
    layer(
      'tools',
      '^src/tools/',
      [GENERATED, CLIENT, COMMON, REPORTERS, CLI, '^src/framework/run/'],
      'developer tools read runs and measure; nothing imports them',
    ),
    layer(
      'e2e',
      '^src/e2e/',
      [GENERATED, CLIENT, COMMON, REPORTERS, BENCHMARK, '^src/framework/(run|verdicts)/'],
      'end-to-end tests drive the built CLI as a user does; nothing imports them',
    ),
    {
      name: 'no-circular',
      comment: 'no import cycles, type-only imports included',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'not-to-unresolvable',
      comment: 'an import that resolves to nothing (a typo, or a file that moved)',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
    {
      name: 'no-dev-dependencies-at-run-time',
      comment: 'what the published suite runs must not need devDependencies (tests and tools may)',
      severity: 'error',
      from: {
        path: '^(src|specs)/',
        pathNot: ['\\.(test|e2e)\\.ts$', '\\.test-support\\.ts$', '^src/tools/', '^src/e2e/'],
      },
      to: { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['type-only'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^dist/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.cjs', '.mjs', '.json', '.d.ts'],
    },
  },
};
