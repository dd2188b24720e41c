/**
 * CPU time spent by each process in a timed window. Throughput on a shared 2-core machine moves
 * with whatever else runs on it; CPU time per record moves much less, so it tells which process
 * a rate is bounded by and how far the engine is from the bare relay even on a busy machine.
 */
import { readFileSync } from 'node:fs';
import Redis from 'ioredis';
import { redisInfoField } from './bench-redis';

/** Linux reports utime/stime in clock ticks; USER_HZ is 100 on every mainstream kernel build. */
const TICKS_PER_SECOND = 100;

/** user + system CPU ms of a live process, or null where /proc is not available. */
export function processCpuMs(pid: number | undefined | null): number | null {
  if (!pid) return null;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the parenthesised command name; utime and stime are the 14th and 15th fields.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

export async function redisCpuMs(redis: Redis): Promise<number | null> {
  const [user, system] = await Promise.all([redisInfoField(redis, 'cpu', 'used_cpu_user'), redisInfoField(redis, 'cpu', 'used_cpu_sys')]);
  if (user === undefined || system === undefined) return null;
  return (Number(user) + Number(system)) * 1000;
}

export type CpuSource = () => Promise<number | null> | number | null;

/** Snapshots named CPU counters at start and stop; reports the ms each used in between. */
export class CpuMeter {
  private started = new Map<string, number | null>();

  constructor(private readonly sources: Record<string, CpuSource>) {}

  async start(): Promise<void> {
    this.started = await this.snapshot();
  }

  /** CPU ms per source over the window (null when a counter could not be read). */
  async stop(): Promise<Record<string, number | null>> {
    const ended = await this.snapshot();
    const used: Record<string, number | null> = {};
    for (const [name, end] of ended) {
      const start = this.started.get(name);
      used[name] = end === null || start === null || start === undefined ? null : Math.round(end - start);
    }
    return used;
  }

  private async snapshot(): Promise<Map<string, number | null>> {
    const entries = await Promise.all(Object.entries(this.sources).map(async ([name, source]) => [name, await source()] as const));
    return new Map(entries);
  }
}

/** CPU µs per record for each source, from CPU ms over `records` records. */
export function cpuMicrosPerRecord(usedMs: Record<string, number | null>, records: number): Record<string, number | null> {
  return Object.fromEntries(Object.entries(usedMs).map(([name, ms]) => [name, ms === null || records === 0 ? null : Math.round((ms * 1000) / records)]));
}
