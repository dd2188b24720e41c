import { PartitionMetadata, Partitioners } from 'kafkajs';
import { Murmur2Partitioner, murmur2 } from './murmur2-partitioner';
import { seededRandomBytes } from '../../../test/support/seeded-random';

// Random inputs follow from the run's seed (FC_SEED), so a mismatch can be replayed.
const randomBytes = seededRandomBytes();

const partitionsOf = (count: number, withoutLeader: readonly number[] = []): PartitionMetadata[] =>
  Array.from({ length: count }, (_, partitionId) => ({
    partitionId,
    leader: withoutLeader.includes(partitionId) ? -1 : 0,
    partitionErrorCode: 0,
    replicas: [0],
    isr: [0],
    offlineReplicas: [],
  }));

/** Keys of every length class (0–3 trailing bytes), ASCII, accented UTF-8 and raw bytes. */
function sampleKeys(): (string | Buffer)[] {
  const keys: (string | Buffer)[] = ['', 'a', 'ab', 'abc', 'abcd', 'int-2026-000001', 'llamada-ñandú-Montería', '\u{1F4DE} whatsapp'];
  for (let length = 0; length < 70; length += 1) {
    keys.push(randomBytes(length));
    keys.push(randomBytes(length).toString('base64url').slice(0, length));
  }
  for (let index = 0; index < 2_000; index += 1) keys.push(`int-${randomBytes(6).toString('hex')}-${index}`);
  return keys;
}

describe('murmur2', () => {
  it('gives the Java client’s values for the vectors of its own test suite', () => {
    // org.apache.kafka.common.utils.UtilsTest#testMurmur2
    expect(murmur2(Buffer.from('21'))).toBe(-973932308);
    expect(murmur2(Buffer.from('foobar'))).toBe(-790332482);
    expect(murmur2(Buffer.from('a-little-bit-long-string'))).toBe(-985981536);
    expect(murmur2(Buffer.from('a-little-bit-longer-string'))).toBe(-1486304829);
    expect(murmur2(Buffer.from('lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8'))).toBe(-58897971);
    expect(murmur2(Buffer.from([0x61, 0x62, 0x63]))).toBe(479470107);
  });

  it('hashes a string as its UTF-8 bytes', () => {
    expect(murmur2('llamada-ñandú')).toBe(murmur2(Buffer.from('llamada-ñandú', 'utf8')));
  });
});

describe('Murmur2Partitioner', () => {
  it('sends every keyed message to the partition kafkajs’s DefaultPartitioner picks', () => {
    const ours = Murmur2Partitioner();
    const theirs = Partitioners.DefaultPartitioner();
    const differences: string[] = [];
    for (const count of [1, 3, 12, 64, 97]) {
      const partitionMetadata = partitionsOf(count);
      for (const key of sampleKeys()) {
        const args = { topic: 'interactions.inbound', partitionMetadata, message: { key, value: 'x' } };
        const expected = theirs(args);
        const actual = ours(args);
        if (actual !== expected) differences.push(`${count} partitions, key ${JSON.stringify(key)}: ${actual} ≠ ${expected}`);
      }
    }
    expect(differences).toEqual([]);
  });

  it('keeps an explicit partition', () => {
    const partition = Murmur2Partitioner()({ topic: 't', partitionMetadata: partitionsOf(12), message: { key: 'k', value: 'x', partition: 7 } });
    expect(partition).toBe(7);
  });

  it('spreads keyless messages round-robin over the partitions that have a leader', () => {
    const partitioner = Murmur2Partitioner();
    const partitionMetadata = partitionsOf(6, [2, 4]);
    const picked = Array.from({ length: 8 }, () => partitioner({ topic: 't', partitionMetadata, message: { value: 'x' } }));
    expect(new Set(picked)).toEqual(new Set([0, 1, 3, 5]));
    expect(picked.slice(4)).toEqual(picked.slice(0, 4));
  });
});
