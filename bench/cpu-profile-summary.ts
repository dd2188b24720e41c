/**
 * Reads a V8 `.cpuprofile` (node --cpu-prof) and lists where the process spent its own time:
 * self time per function and per package, optionally only inside a time window (the drain of
 * the e2e stage, without the model training at start).
 *
 * Run: `node dist/bench/cpu-profile-summary.js <file.cpuprofile> [--from-us=N --to-us=N] [--top=N]`
 * (the window is in process.hrtime µs, as the e2e stage records it in its result).
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  hitCount?: number;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface SelfTimeEntry {
  name: string;
  where: string;
  selfMs: number;
  /** Share of the busy (non-idle) time in the window. */
  share: number;
}

export interface ProfileSummary {
  windowMs: number;
  busyMs: number;
  idleMs: number;
  gcMs: number;
  functions: SelfTimeEntry[];
  packages: SelfTimeEntry[];
  /** The repository's own functions by inclusive time (themselves and everything they call). */
  ownInclusive: SelfTimeEntry[];
}

/** `node_modules/kafkajs/src/…` → kafkajs; `node:internal/…` → node; the repository's own code by folder. */
function packageOf(url: string): string {
  if (url === '') return '(native / runtime)';
  const modules = url.lastIndexOf('node_modules/');
  if (modules >= 0) {
    const rest = url.slice(modules + 'node_modules/'.length).split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  if (url.startsWith('node:')) return 'node';
  const dist = url.indexOf('/dist/');
  if (dist >= 0)
    return url
      .slice(dist + '/dist/'.length)
      .split('/')
      .slice(0, 2)
      .join('/');
  return url;
}

function shortLocation(url: string, line: number): string {
  const modules = url.lastIndexOf('node_modules/');
  const dist = url.indexOf('/dist/');
  const short = modules >= 0 ? url.slice(modules + 'node_modules/'.length) : dist >= 0 ? url.slice(dist + '/dist/'.length) : url.replace(/^file:\/\//, '');
  return short === '' ? '' : `${short}:${line + 1}`;
}

/** Compiled repository code (dist/apps, dist/libs), as opposed to node_modules and Node itself. */
function isOwnCode(url: string): boolean {
  return url.includes('/dist/') && !url.includes('node_modules/');
}

export function summariseProfile(profile: CpuProfile, window?: { fromUs: number; toUs: number }, top = 25): ProfileSummary {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const parents = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id);
  const inclusive = new Map<string, { name: string; where: string; us: number }>();
  const byFunction = new Map<string, { name: string; where: string; us: number }>();
  const byPackage = new Map<string, number>();
  let idleUs = 0;
  let gcUs = 0;
  let busyUs = 0;
  let time = profile.startTime;
  const fromUs = window?.fromUs ?? -Infinity;
  const toUs = window?.toUs ?? Infinity;
  let firstUs = Infinity;
  let lastUs = -Infinity;
  for (let i = 0; i < profile.samples.length; i++) {
    time += profile.timeDeltas[i];
    if (time < fromUs || time > toUs) continue;
    // A sample stands for the time until the next one.
    const spanUs = i + 1 < profile.timeDeltas.length ? profile.timeDeltas[i + 1] : 0;
    firstUs = Math.min(firstUs, time);
    lastUs = Math.max(lastUs, time);
    const node = nodes.get(profile.samples[i]);
    if (!node) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === '(idle)') {
      idleUs += spanUs;
      continue;
    }
    if (functionName === '(garbage collector)') gcUs += spanUs;
    busyUs += spanUs;
    const name = functionName || '(anonymous)';
    const key = `${name}\u0000${url}\u0000${lineNumber}`;
    const entry = byFunction.get(key) ?? { name, where: shortLocation(url, lineNumber), us: 0 };
    entry.us += spanUs;
    byFunction.set(key, entry);
    const pkg = functionName.startsWith('(') ? functionName : packageOf(url);
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + spanUs);
    // Each own function on the stack once, however deep its recursion.
    const seen = new Set<string>();
    for (let id: number | undefined = node.id, depth = 0; id !== undefined && depth < 500; id = parents.get(id), depth++) {
      const frame = nodes.get(id)?.callFrame;
      if (!frame || !isOwnCode(frame.url)) continue;
      const frameKey = `${frame.functionName}\u0000${frame.url}\u0000${frame.lineNumber}`;
      if (seen.has(frameKey)) continue;
      seen.add(frameKey);
      const total = inclusive.get(frameKey) ?? { name: frame.functionName || '(anonymous)', where: shortLocation(frame.url, frame.lineNumber), us: 0 };
      total.us += spanUs;
      inclusive.set(frameKey, total);
    }
  }
  const share = (us: number): number => (busyUs > 0 ? us / busyUs : 0);
  return {
    windowMs: Number.isFinite(firstUs) ? (lastUs - firstUs) / 1000 : 0,
    busyMs: busyUs / 1000,
    idleMs: idleUs / 1000,
    gcMs: gcUs / 1000,
    functions: [...byFunction.values()]
      .sort((a, b) => b.us - a.us)
      .slice(0, top)
      .map((entry) => ({ name: entry.name, where: entry.where, selfMs: entry.us / 1000, share: share(entry.us) })),
    packages: [...byPackage.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => ({ name, where: '', selfMs: us / 1000, share: share(us) })),
    ownInclusive: [...inclusive.values()]
      .sort((a, b) => b.us - a.us)
      .slice(0, top)
      .map((entry) => ({ name: entry.name, where: entry.where, selfMs: entry.us / 1000, share: share(entry.us) })),
  };
}

export function formatProfileSummary(title: string, summary: ProfileSummary): string {
  const percent = (value: number): string => `${(value * 100).toFixed(1)}%`.padStart(6);
  const lines = [
    `${title}: ${summary.windowMs.toFixed(0)} ms window · busy ${summary.busyMs.toFixed(0)} ms · idle ${summary.idleMs.toFixed(0)} ms · GC ${summary.gcMs.toFixed(0)} ms`,
    '  self time by package:',
    ...summary.packages.slice(0, 12).map((entry) => `    ${percent(entry.share)} ${entry.selfMs.toFixed(0).padStart(7)} ms  ${entry.name}`),
    '  self time by function:',
    ...summary.functions.map((entry) => `    ${percent(entry.share)} ${entry.selfMs.toFixed(0).padStart(7)} ms  ${entry.name}  ${entry.where}`),
    "  inclusive time of the repository's own functions:",
    ...summary.ownInclusive.slice(0, 15).map((entry) => `    ${percent(entry.share)} ${entry.selfMs.toFixed(0).padStart(7)} ms  ${entry.name}  ${entry.where}`),
  ];
  return lines.join('\n');
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const flag = (name: string): number | undefined => {
    const found = args.find((arg) => arg.startsWith(`--${name}=`));
    return found === undefined ? undefined : Number(found.slice(name.length + 3));
  };
  const files = args.filter((arg) => !arg.startsWith('--'));
  if (files.length === 0) {
    process.stderr.write('usage: node dist/bench/cpu-profile-summary.js <file.cpuprofile>… [--from-us=N --to-us=N] [--top=N] [--json]\n');
    process.exit(2);
  }
  const fromUs = flag('from-us');
  const toUs = flag('to-us');
  const window = fromUs !== undefined && toUs !== undefined ? { fromUs, toUs } : undefined;
  const summaries = files.map((file) => ({ file, summary: summariseProfile(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile, window, flag('top') ?? 25) }));
  if (args.includes('--json')) process.stdout.write(`${JSON.stringify(summaries, null, 2)}\n`);
  else process.stdout.write(`${summaries.map(({ file, summary }) => formatProfileSummary(file, summary)).join('\n\n')}\n`);
}
