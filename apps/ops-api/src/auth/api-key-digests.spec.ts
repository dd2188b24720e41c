import { keyDigests, principalOf } from './api-key-digests';

const keys = [
  { name: 'ana', role: 'viewer' as const, key: 'viewer-key-0123456789' },
  { name: 'ci', role: 'admin' as const, key: 'admin:key:with:colons-0123' },
];

describe('principalOf', () => {
  const digests = keyDigests(keys);

  it('finds who a key belongs to', () => {
    expect(principalOf(digests, 'viewer-key-0123456789')).toEqual({ name: 'ana', role: 'viewer' });
    expect(principalOf(digests, 'admin:key:with:colons-0123')).toEqual({ name: 'ci', role: 'admin' });
  });

  it('finds nobody for a near miss, a prefix, a longer key or an empty one', () => {
    for (const guess of ['viewer-key-0123456788', 'viewer-key', 'viewer-key-0123456789x', '']) expect(principalOf(digests, guess)).toBeUndefined();
    expect(principalOf([], 'viewer-key-0123456789')).toBeUndefined();
  });

  it('keeps digests only', () => {
    expect(JSON.stringify(digests)).not.toContain('viewer-key');
  });
});
