import { createHash, timingSafeEqual } from 'node:crypto';
import { OpsApiKey } from '@conmutador/config';
import { OpsPrincipal } from './ops-principal';

/** A configured key as the guard keeps it: its SHA-256 only, and who it stands for. */
export interface KeyDigest {
  digest: Buffer;
  principal: OpsPrincipal;
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

export function keyDigests(keys: readonly OpsApiKey[]): KeyDigest[] {
  return keys.map(({ name, role, key }) => ({ digest: sha256(key), principal: { name, role } }));
}

/**
 * Who the presented key belongs to, if anyone. Digests have one length whatever the keys' (so
 * timingSafeEqual applies and the length of a key leaks nothing), each comparison takes the same
 * time whatever the bytes, and every configured key is compared, match or not: how long the
 * answer takes says nothing about how close a guess came, nor which key it was close to.
 */
export function principalOf(digests: readonly KeyDigest[], presented: string): OpsPrincipal | undefined {
  const digest = sha256(presented);
  let principal: OpsPrincipal | undefined;
  for (const candidate of digests) {
    if (timingSafeEqual(candidate.digest, digest)) principal = candidate.principal;
  }
  return principal;
}
