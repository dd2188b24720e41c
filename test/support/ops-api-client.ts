import { randomBytes } from 'node:crypto';
import { expectEventually } from './expect-eventually';

export interface OpsApiAnswer<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: T;
}

/** Keys of each role, fresh per test file, in the OPS_API_KEYS format. */
export function opsApiKeys(): { viewer: string; editor: string; admin: string; env: string } {
  const key = () => randomBytes(18).toString('base64url');
  const keys = { viewer: key(), editor: key(), admin: key() };
  return { ...keys, env: `vera:viewer:${keys.viewer},eddie:editor:${keys.editor},ada:admin:${keys.admin}` };
}

/** Plain HTTP, as curl or a pipeline would call the ops API. */
export function opsApiCaller(port: number) {
  return async function call<T = Record<string, unknown>>(
    method: 'GET' | 'POST',
    path: string,
    { key, body, headers }: { key?: string; body?: unknown; headers?: Record<string, string> } = {},
  ): Promise<OpsApiAnswer<T>> {
    const response = await fetch(`http://127.0.0.1:${port}${path}`, {
      method,
      headers: {
        ...headers,
        ...(key === undefined ? {} : { authorization: `Bearer ${key}` }),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: (text ? JSON.parse(text) : null) as T };
  };
}

/** The ops API trains its replay classifier after boot: replays answer 503 until readiness says `dryRun: ready`. */
export async function waitForDryRunReplays(port: number, timeoutMs = 180_000): Promise<void> {
  await expectEventually(
    async () => {
      const response = await fetch(`http://127.0.0.1:${port}/health/ready`);
      const body = (await response.json()) as { details?: { dryRun?: string } };
      expect(body.details?.dryRun).toBe('ready');
    },
    { timeoutMs, intervalMs: 250 },
  );
}
