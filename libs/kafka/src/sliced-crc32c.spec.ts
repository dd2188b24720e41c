import { crc32c } from './sliced-crc32c';
import { seededRandomBytes } from '../../../test/support/seeded-random';

// Random inputs follow from the run's seed (FC_SEED), so a mismatch can be replayed.
const randomBytes = seededRandomBytes();

// jest's module registry ignores the replacement in Node's module cache, so this is kafkajs's own.
const kafkajsCrc32c = jest.requireActual<(bytes: Buffer) => number>('kafkajs/src/protocol/recordBatch/crc32C');

describe('sliced CRC-32C', () => {
  it('gives the check value of the Castagnoli polynomial', () => {
    // The standard check: CRC-32C of the ASCII digits 1 to 9 (RFC 3720, and every CRC catalogue).
    expect(crc32c(Buffer.from('123456789', 'ascii'))).toBe(0xe3069283);
    expect(crc32c(Buffer.alloc(0))).toBe(0);
    expect(crc32c(Buffer.alloc(32, 0))).toBe(0x8a9136aa);
    expect(crc32c(Buffer.alloc(32, 0xff))).toBe(0x62a8ab43);
  });

  it("equals kafkajs's checksum on every length up to five words and on batch-sized buffers", () => {
    const mismatches: string[] = [];
    for (let length = 0; length <= 40; length += 1) {
      const bytes = randomBytes(length);
      if (crc32c(bytes) !== kafkajsCrc32c(bytes)) mismatches.push(`length ${length}: ${bytes.toString('hex')}`);
    }
    for (const length of [511, 4_096, 716_003]) {
      const bytes = randomBytes(length);
      if (crc32c(bytes) !== kafkajsCrc32c(bytes)) mismatches.push(`length ${length}`);
    }
    expect(mismatches).toEqual([]);
  });

  it('reads only the view it is given, not the rest of the buffer underneath', () => {
    const whole = randomBytes(100);
    const view = whole.subarray(13, 77);
    expect(crc32c(view)).toBe(kafkajsCrc32c(Buffer.from(view)));
  });

  it('tells a batch with one flipped bit from the original', () => {
    const batch = randomBytes(1_000);
    const flipped = Buffer.from(batch);
    flipped[500] ^= 0x10;
    expect(crc32c(flipped)).not.toBe(crc32c(batch));
  });
});
