// `npm test`: installs what is missing, builds, provisions real Kafka and Redis (testcontainers
// where a Docker engine answers, else the project's local stack), then runs the unit tests in
// parallel and the integration tests one file at a time. Extra arguments go to jest.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const jestArgs = process.argv.slice(2);
const startedAt = Date.now();

const bootstrap = spawnSync(process.execPath, [join(root, 'tools/bootstrap.mjs'), '--build'], { stdio: 'inherit' });
if (bootstrap.status !== 0) process.exit(bootstrap.status ?? 1);

// Static checks first, over every file the suites and the bench run: lint (ESLint, the formatter's
// check, the dependency rules) and a type-check that includes specs, tests and bench, which swc
// would otherwise run with their types stripped.
for (const [label, args] of [
  ['lint', ['run', '--silent', 'lint']],
  ['type-check', ['run', '--silent', 'typecheck']],
]) {
  process.stdout.write(`\n${label}…\n`);
  const check = spawnSync('npm', args, { cwd: root, stdio: 'inherit' });
  if (check.status !== 0) {
    process.stdout.write(`\n${label} failed: fix it before the suites run (npm run ${args[2]}).\n0 passed, 1 failed\n`);
    process.exit(1);
  }
}

const dockerAnswers = spawnSync('docker', ['info', '--format', '{{.ServerVersion}}'], { stdio: 'pipe', timeout: 10_000 }).status === 0;
if (!(process.env.KAFKA_BROKERS && process.env.REDIS_URL) && (!dockerAnswers || process.env.CONMUTADOR_TEST_INFRA === 'local')) {
  // Provisioned here rather than in jest's global setup so the broker start is visible and timed.
  const { ensureStack } = await import('./stack.mjs');
  const stack = await ensureStack({ kafka: !process.env.KAFKA_BROKERS, redis: !process.env.REDIS_URL });
  process.env.KAFKA_BROKERS ??= stack.kafkaBrokers;
  process.env.REDIS_URL ??= stack.redisUrl;
}

const resultsDir = join(root, '.stack', 'test-results');
mkdirSync(resultsDir, { recursive: true });
const jestBin = join(root, 'node_modules', 'jest', 'bin', 'jest.js');
const filtered = jestArgs.some((arg) => !arg.startsWith('-'));

function runJest(project, extra) {
  const outputFile = join(resultsDir, `${project}.json`);
  const result = spawnSync(
    process.execPath,
    [jestBin, '--selectProjects', project, '--json', `--outputFile=${outputFile}`, ...(filtered ? ['--passWithNoTests'] : []), ...extra, ...jestArgs],
    { cwd: root, stdio: 'inherit', env: process.env },
  );
  let summary = { numPassedTests: 0, numFailedTests: 0, numPendingTests: 0, numTotalTests: 0 };
  try {
    summary = JSON.parse(readFileSync(outputFile, 'utf8'));
  } catch {
    // jest failed before writing results; its exit code says so.
  }
  return { status: result.status ?? 1, ...summary };
}

const unit = runJest('unit', []);
// --forceExit: a leaked socket in one test must fail loudly in its own assertions, not hang CI.
const integration = runJest('integration', ['--runInBand', '--forceExit']);
const passed = unit.numPassedTests + integration.numPassedTests;
const failed = unit.numFailedTests + integration.numFailedTests;
const skipped = unit.numPendingTests + integration.numPendingTests;
const seconds = ((Date.now() - startedAt) / 1000).toFixed(0);
process.stdout.write(
  `\nunit: ${unit.numPassedTests} passed, ${unit.numFailedTests} failed; integration: ${integration.numPassedTests} passed, ${integration.numFailedTests} failed (${seconds} s)\n`,
);
process.stdout.write(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}\n`);
process.exit(unit.status !== 0 || integration.status !== 0 || passed === 0 ? 1 : 0);
