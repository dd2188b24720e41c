import { ChildProcess } from 'node:child_process';
import { launchService, ServiceName } from '@conmutador/testing';
import { expectEventually } from './expect-eventually';

export type { ServiceName } from '@conmutador/testing';

/**
 * A service as operators run it: the compiled entry point in its own process, configured only
 * through its environment. Output is kept for the failure message of a test.
 */
export class ServiceProcess {
  private static readonly running = new Set<ServiceProcess>();
  private readonly output: string[] = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  private constructor(
    readonly name: ServiceName,
    readonly port: number,
    private readonly child: ChildProcess,
  ) {
    const keep = (chunk: Buffer) => {
      this.output.push(...chunk.toString().split('\n').filter(Boolean));
      if (this.output.length > 400) this.output.splice(0, this.output.length - 400);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    this.exited = new Promise((resolve) =>
      child.once('exit', (code, signal) => {
        ServiceProcess.running.delete(this);
        resolve({ code, signal });
      }),
    );
    ServiceProcess.running.add(this);
  }

  static async killAll(): Promise<void> {
    await Promise.all([...ServiceProcess.running].map((service) => service.kill()));
  }

  static async start(name: ServiceName, env: Record<string, string>): Promise<ServiceProcess> {
    const { child, port } = await launchService(name, { env: { LOG_LEVEL: 'info', KAFKA_SESSION_TIMEOUT_MS: '6000', ...env } });
    return new ServiceProcess(name, port, child);
  }

  static async startReady(name: ServiceName, env: Record<string, string>, timeoutMs = 60_000): Promise<ServiceProcess> {
    const service = await ServiceProcess.start(name, env);
    await service.waitReady(timeoutMs);
    return service;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  logs(): string {
    return this.output.join('\n');
  }

  async waitReady(timeoutMs = 60_000): Promise<void> {
    let exitedEarly = false;
    void this.exited.then(() => {
      exitedEarly = true;
    });
    await expectEventually(
      async () => {
        if (exitedEarly) throw new Error(`${this.name} exited before it was ready:\n${this.logs()}`);
        const response = await fetch(`http://127.0.0.1:${this.port}/health/ready`).catch(() => undefined);
        if (!response?.ok) throw new Error(`${this.name} not ready after ${timeoutMs} ms:\n${this.logs().slice(-4000)}`);
      },
      { timeoutMs, intervalMs: 200 },
    );
  }

  /** Graceful stop; resolves with the exit code. */
  async stop(): Promise<number | null> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return this.child.exitCode;
    this.child.kill('SIGTERM');
    return (await this.exited).code;
  }

  /** The process has not exited (a crash on a broker failure would show here). */
  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** kill -9: no drain, no commit, no goodbye to the group. */
  async kill(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill('SIGKILL');
    await this.exited;
  }
}
