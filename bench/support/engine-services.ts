/**
 * The engine's services as operators run them: compiled entry points in their own processes,
 * configured only through the environment, on loopback. Output is kept (bounded) for the message
 * of a stage that fails.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, WriteStream } from 'node:fs';
import { dirname, join } from 'node:path';
import { findRepositoryRoot } from '@conmutador/classification';
import { launchService } from '@conmutador/testing';
import { sleep } from './stage';

export const REPO_ROOT = findRepositoryRoot(__dirname);

export type EngineServiceName = 'classifier' | 'router' | 'engine';

/** Where a stage's child processes write their output: bench/results/logs/<namespace>-<name>.log. */
export function benchLogFile(namespace: string, name: string): string {
  return join(REPO_ROOT, 'bench', 'results', 'logs', `${namespace}-${name}.log`);
}

const KEPT_OUTPUT_LINES = 200;

export class BenchProcess {
  private readonly output: string[] = [];
  private exit: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  private readonly logStream?: WriteStream;

  constructor(
    readonly name: string,
    private readonly child: ChildProcess,
    /** Lines on stdout are offered here as they come (a child announcing it is ready). */
    onLine?: (line: string) => void,
    /** Everything the process prints is also written here, for a look after the run. */
    logFile?: string,
  ) {
    if (logFile) {
      mkdirSync(dirname(logFile), { recursive: true });
      this.logStream = createWriteStream(logFile);
      child.stdout?.pipe(this.logStream, { end: false });
      child.stderr?.pipe(this.logStream, { end: false });
    }
    const keep = (chunk: Buffer, announce: boolean) => {
      for (const line of chunk.toString().split('\n')) {
        if (line === '') continue;
        this.output.push(line);
        if (announce) onLine?.(line);
      }
      if (this.output.length > KEPT_OUTPUT_LINES) this.output.splice(0, this.output.length - KEPT_OUTPUT_LINES);
    };
    child.stdout?.on('data', (chunk: Buffer) => keep(chunk, true));
    child.stderr?.on('data', (chunk: Buffer) => keep(chunk, false));
    this.exited = new Promise((resolve) =>
      child.once('exit', (code, signal) => {
        this.exit = { code, signal };
        this.logStream?.end();
        resolve({ code, signal });
      }),
    );
  }

  static spawnNode(
    name: string,
    script: string,
    options: { env: Record<string, string>; nodeArgs?: string[]; onLine?: (line: string) => void; logFile?: string },
  ): BenchProcess {
    const child = spawn(process.execPath, [...(options.nodeArgs ?? []), script], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return new BenchProcess(name, child, options.onLine, options.logFile);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** A message naming the early exit, or null while the process runs. */
  exitProblem(): string | null {
    if (!this.exit) return null;
    return `${this.name} exited (code ${this.exit.code}, signal ${this.exit.signal}):\n${this.logs().slice(-3000)}`;
  }

  logs(): string {
    return this.output.join('\n');
  }

  /** SIGTERM (the service drains, commits and exits; `--cpu-prof` writes its profile), SIGKILL after the grace. */
  async stop(graceMs = 20_000): Promise<void> {
    if (this.exit) return;
    this.child.kill('SIGTERM');
    const stopped = await Promise.race([this.exited.then(() => true), sleep(graceMs).then(() => false)]);
    if (!stopped) {
      this.child.kill('SIGKILL');
      await this.exited;
    }
  }
}

export class EngineService extends BenchProcess {
  private constructor(
    name: string,
    child: ChildProcess,
    readonly port: number,
    logFile?: string,
  ) {
    super(name, child, undefined, logFile);
  }

  /**
   * Starts `dist/apps/<name>/src/main.js`. With a profile directory the process runs under
   * `--cpu-prof`, and the profile is written when it stops.
   */
  static async start(
    name: EngineServiceName,
    env: Record<string, string>,
    options: { profileDir?: string; logFile?: string; /** Names a replica in logs and profiles (`engine-2`). */ replica?: number } = {},
  ): Promise<EngineService> {
    const { profileDir, logFile } = options;
    const label = options.replica === undefined ? name : `${name}-${options.replica}`;
    const nodeArgs: string[] = [];
    if (profileDir) {
      mkdirSync(profileDir, { recursive: true });
      nodeArgs.push('--cpu-prof', `--cpu-prof-dir=${profileDir}`, `--cpu-prof-name=${label}.cpuprofile`);
    }
    const { child, port } = await launchService(name, { env: { ...env, HTTP_HOST: '127.0.0.1' }, nodeArgs });
    return new EngineService(label, child, port, logFile);
  }

  /** Polls /health/ready (consumer joined, Redis answering) every `intervalMs`. */
  async waitReady(timeoutMs = 90_000, intervalMs = 25): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const problem = this.exitProblem();
      if (problem) throw new Error(problem);
      const response = await fetch(`http://127.0.0.1:${this.port}/health/ready`).catch(() => undefined);
      if (response?.ok) return Date.now();
      await sleep(intervalMs);
    }
    throw new Error(`${this.name} not ready after ${timeoutMs} ms:\n${this.logs().slice(-3000)}`);
  }
}

/** The engine configuration every stage uses; only namespace, prefix and tuning differ. */
export interface EngineEnvOptions {
  kafkaBrokers: string[];
  redisUrl: string;
  namespace: string;
  keyPrefix: string;
  partitions: number;
  chunkSize: number;
  partitionsConsumedConcurrently: number;
}

export function engineEnv(options: EngineEnvOptions, service: EngineServiceName): Record<string, string> {
  return {
    KAFKA_BROKERS: options.kafkaBrokers.join(','),
    REDIS_URL: options.redisUrl,
    KAFKA_TOPIC_NAMESPACE: options.namespace,
    // Namespaced groups: the default group names are shared by every deployment on the broker.
    KAFKA_CONSUMER_GROUP: `${options.namespace}-${service}`,
    REDIS_KEY_PREFIX: options.keyPrefix,
    KAFKA_PARTITIONS_INBOUND: String(options.partitions),
    KAFKA_PARTITIONS_CLASSIFIED: String(options.partitions),
    KAFKA_PARTITIONS_ROUTED: String(options.partitions),
    KAFKA_PROCESSING_CHUNK_SIZE: String(options.chunkSize),
    KAFKA_PARTITIONS_CONSUMED_CONCURRENTLY: String(options.partitionsConsumedConcurrently),
    KAFKA_SESSION_TIMEOUT_MS: '10000',
    LOG_LEVEL: process.env.BENCH_SERVICE_LOG_LEVEL ?? 'info',
  };
}

export type Deployment = 'services' | 'engine';

export interface DeploymentOptions extends EngineEnvOptions {
  deployment?: Deployment;
  /** Processes of the one-process engine, in one consumer group. */
  engineReplicas?: number;
  profileDir?: string;
}

/**
 * Starts a deployment's processes, each with its log file (and profile): the classifier and the
 * router, in that order, or `engineReplicas` engines named `engine-1`, `engine-2`…. Readiness is
 * the caller's: the drain times from a particular process's join.
 */
export function startDeployment(options: DeploymentOptions): Promise<EngineService[]> {
  const starts: { service: EngineServiceName; replica?: number }[] =
    options.deployment === 'engine'
      ? Array.from({ length: Math.max(1, options.engineReplicas ?? 1) }, (_, index) => ({ service: 'engine', replica: index + 1 }))
      : [{ service: 'classifier' }, { service: 'router' }];
  return Promise.all(
    starts.map(({ service, replica }) =>
      EngineService.start(service, engineEnv(options, service), {
        profileDir: options.profileDir,
        logFile: benchLogFile(options.namespace, replica === undefined ? service : `${service}-${replica}`),
        replica,
      }),
    ),
  );
}
