import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { freeLoopbackPort } from './free-port';
import { PIPELINE_NODE_ARGS } from './pipeline-node-args';

export type ServiceName = 'classifier' | 'router' | 'engine' | 'ops-api';

const PIPELINE_SERVICES: ReadonlySet<ServiceName> = new Set(['classifier', 'router', 'engine']);

/**
 * The nearest folder above holding a package.json: the repository, from the sources (jest) and
 * from dist/ (the bench) alike. Not @conmutador/classification's findRepositoryRoot: this library
 * imports no @conmutador/* package, so that jest's global setup, which runs without the path
 * aliases, can load it.
 */
function repositoryRoot(from: string): string {
  for (let folder = from; ; folder = dirname(folder)) {
    if (existsSync(join(folder, 'package.json'))) return folder;
    if (dirname(folder) === folder) throw new Error(`no package.json above ${from}`);
  }
}

const REPO_ROOT = repositoryRoot(__dirname);

export interface LaunchedService {
  child: ChildProcess;
  /** Where its HTTP endpoints (health, status, API) answer. */
  port: number;
}

/**
 * A service as operators run it: its compiled entry point (`dist/apps/<name>/src/main.js`: build
 * first) in its own process, the pipeline's with its node options, configured only through the
 * environment (this process's, then `env`), its HTTP on a port nothing else uses. Output is piped
 * for the caller to keep.
 */
export async function launchService(name: ServiceName, options: { env: Record<string, string>; nodeArgs?: readonly string[] }): Promise<LaunchedService> {
  const port = await freeLoopbackPort();
  const nodeArgs = [...(PIPELINE_SERVICES.has(name) ? PIPELINE_NODE_ARGS : []), ...(options.nodeArgs ?? [])];
  const child = spawn(process.execPath, [...nodeArgs, join(REPO_ROOT, `dist/apps/${name}/src/main.js`)], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...options.env, HTTP_PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return { child, port };
}
