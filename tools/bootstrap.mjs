// Installs what is missing before `npm start`, `npm test` and the CLIs: node modules (when absent
// or older than the lock file) and, with --build, a fresh dist/ (when any source is newer) and a
// fresh classifier model file (when the training corpus is newer; tools/model-build.mjs).
// Progress goes to stderr so that CLIs piping JSONL on stdout stay clean.
import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = new Set(process.argv.slice(2));
const quiet = args.has('--quiet');
const say = (message) => quiet || process.stderr.write(`[bootstrap] ${message}\n`);

function run(command, commandArgs) {
  // stdout of the child goes to our stderr: callers may be producing JSONL on stdout.
  const result = spawnSync(command, commandArgs, { cwd: root, stdio: ['ignore', quiet ? 'ignore' : 2, 2] });
  if (result.status !== 0) {
    process.stderr.write(`[bootstrap] ${command} ${commandArgs.join(' ')} failed with exit code ${result.status}\n`);
    process.exit(result.status ?? 1);
  }
}

function mtime(path) {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return -1;
  }
}

function newestSource(dir) {
  let newest = -1;
  if (!existsSync(dir)) return newest;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'corpus') continue;
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(path) : /\.(ts|lua)$/.test(entry.name) ? mtime(path) : -1);
  }
  return newest;
}

/** The newest modification time of a directory's files and of the directory itself (a removed file changes the latter). */
function newestFile(dir) {
  if (!existsSync(dir)) return -1;
  return Math.max(mtime(dir), ...readdirSync(dir).map((name) => mtime(join(dir, name))));
}

const modules = join(root, 'node_modules');
const installedMarker = join(modules, '.package-lock.json');
if (mtime(installedMarker) < mtime(join(root, 'package-lock.json'))) {
  if (existsSync(modules) && lstatSync(modules).isSymbolicLink()) {
    // A node_modules linked from elsewhere (a git worktree sharing its main checkout's) is that
    // checkout's to install: npm ci would empty the linked directory under every checkout sharing
    // it. A fresh worktree's lock file is always newer than the install, changed or not.
    say('node_modules is a link to a shared install: not reinstalling it (run npm ci where it lives if the lock file changed)');
  } else {
    say('installing node modules (npm ci)…');
    run('npm', ['ci', '--no-audit', '--no-fund']);
  }
}

if (args.has('--build')) {
  const stamp = join(root, 'dist', '.build-stamp');
  const sources = Math.max(
    ...['apps', 'libs', 'tools', 'bench'].map((dir) => newestSource(join(root, dir))),
    ...['tsconfig.base.json', 'tsconfig.build.json', 'package-lock.json'].map((file) => mtime(join(root, file))),
  );
  if (mtime(stamp) < sources) {
    say('building (tsc, then the classifier model if its inputs changed)…');
    run('npm', ['run', '--silent', 'build']);
    writeFileSync(stamp, new Date().toISOString());
  } else {
    // The corpus is no source of tsc's (newestSource skips it), but the model is trained from it.
    // model-build.mjs compares sha256s and trains only on a real change; an unchanged file gets
    // a fresh time, so this check stays a few stat calls.
    const corpus = join(root, 'libs', 'classification', 'corpus', 'train');
    const model = join(root, 'dist', 'model', 'text-model.bin');
    if (mtime(model) < newestFile(corpus)) {
      say('checking the classifier model against the training corpus…');
      run(process.execPath, [join(root, 'tools', 'model-build.mjs')]);
    }
  }
}
