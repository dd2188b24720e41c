import { randomBytes } from 'node:crypto';

/** A fresh topic namespace, consumer groups and Redis key prefix per test: no test sees another's data. */
export function testNamespace(label: string): { namespace: string; keyPrefix: string } {
  const namespace = `t-${label}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
  return { namespace, keyPrefix: `${namespace}:` };
}
