import { createExactSizeRecordEncoder, EncodedRecord, RecordFields } from './exact-size-record-encoding';
import { seededRandomBytes } from '../../../test/support/seeded-random';

// Random inputs follow from the run's seed (FC_SEED), so a mismatch can be replayed.
const randomBytes = seededRandomBytes();

type RecordEncoder = (fields: RecordFields) => EncodedRecord;

// jest's module registry ignores the replacement in Node's module cache, so these are kafkajs's own.
const kafkajsRecord = jest.requireActual<RecordEncoder>('kafkajs/src/protocol/recordBatch/record/v0');
const KafkajsEncoder = jest.requireActual<{ new (): EncodedRecord & { writeEncoderArray(records: EncodedRecord[]): unknown; buffer: Buffer } }>(
  'kafkajs/src/protocol/encoder',
);
const kafkajsDecodeRecord = jest.requireActual<
  (
    decoder: unknown,
    batchContext: { firstOffset: string; firstTimestamp: string },
  ) => { key: Buffer | null; value: Buffer | null; headers: Record<string, unknown>; offset: string; timestamp: string }
>('kafkajs/src/protocol/recordBatch/record/v0/decoder');
const KafkajsDecoder = jest.requireActual<{ new (buffer: Buffer): unknown }>('kafkajs/src/protocol/decoder');

const encodeRecord = createExactSizeRecordEncoder(kafkajsRecord, KafkajsEncoder);

const bytesOf = (record: EncodedRecord): Buffer => record.buf.subarray(0, record.offset);

/** Deterministic variety: lengths across varint size boundaries, multi-byte UTF-8, buffers, nulls, headers. */
function sampleRecords(): RecordFields[] {
  const texts = [
    '',
    'a',
    'decisión → cola',
    'x'.repeat(63),
    'y'.repeat(64),
    'z'.repeat(127),
    'ñ'.repeat(64),
    '€'.repeat(700),
    'w'.repeat(8_200),
    '👩‍⚕️ urgencias',
  ];
  const deltas = [
    0,
    1,
    -1,
    63,
    64,
    -64,
    -65,
    8_191,
    8_192,
    1_000_000,
    -1_000_000,
    2 ** 31,
    -(2 ** 31),
    2 ** 40 + 7,
    -(2 ** 45),
    Number.MAX_SAFE_INTEGER,
    Number.MIN_SAFE_INTEGER,
  ];
  const records: RecordFields[] = [];
  texts.forEach((text, index) => {
    for (const timestampDelta of deltas) {
      records.push({ key: `int-${index}`, value: text, offsetDelta: index, timestampDelta });
    }
    records.push({ key: null, value: text });
    records.push({ key: undefined, value: Buffer.from(text) });
    records.push({ key: Buffer.from(text), value: null, offsetDelta: 70_000 + index });
    records.push({
      key: text,
      value: text,
      offsetDelta: 2 ** 31 - 1,
      headers: { traceparent: `00-${index}`, 'x-bin': randomBytes(index * 9), 'x-multi': ['uno', Buffer.from('dos'), text], 'x-ñ': '' },
    });
  });
  return records;
}

describe('exact-size record encoding', () => {
  it('writes the same bytes as kafkajs for every sample record', () => {
    const records = sampleRecords();
    expect(records.length).toBeGreaterThan(200);
    for (const fields of records) {
      const ours = encodeRecord(fields);
      const theirs = kafkajsRecord(fields);
      expect(bytesOf(ours).equals(bytesOf(theirs))).toBe(true);
      // Exactly the record, and nothing after it (delta beyond 2^52 ms are left to kafkajs).
      if (Math.abs(fields.timestampDelta ?? 0) < 2 ** 52) expect(ours.buf.length).toBe(ours.offset);
    }
  });

  it('gives kafkajs an Encoder it can batch, whose records its own decoder reads back', () => {
    const fields = sampleRecords().filter((record) => record.headers !== undefined);
    const batch = new KafkajsEncoder();
    batch.writeEncoderArray(fields.map(encodeRecord));
    const decoder = new KafkajsDecoder(batch.buffer) as { readVarInt(): number; readBytes(length: number): Buffer };
    for (const record of fields) {
      // kafkajs's batch decoder reads each record's length, then decodes the record from its bytes.
      const length = decoder.readVarInt();
      const decoded = kafkajsDecodeRecord(new KafkajsDecoder(decoder.readBytes(length)), { firstOffset: '0', firstTimestamp: '0' });
      expect(decoded.key?.toString()).toBe(record.key?.toString());
      expect(decoded.value?.toString()).toBe(record.value?.toString());
      expect(Object.keys(decoded.headers)).toEqual(Object.keys(record.headers ?? {}));
    }
  });

  it('leaves to kafkajs the inputs it does not take: timestamps beyond safe integers, and keys or header values of other types', () => {
    const unusual: RecordFields[] = [
      { value: 'v', timestampDelta: 1.5 },
      { value: 'v', timestampDelta: Number.NaN },
      { value: 'v', timestampDelta: 2 ** 60 },
      { key: 42 as unknown as string, value: 'v' },
    ];
    for (const fields of unusual) {
      let theirs: Buffer | undefined;
      let theirError = '';
      try {
        theirs = bytesOf(kafkajsRecord(fields));
      } catch (error) {
        theirError = (error as Error).message;
      }
      if (theirs) expect(bytesOf(encodeRecord(fields)).equals(theirs)).toBe(true);
      else expect(() => encodeRecord(fields)).toThrow(theirError);
    }
    const nullHeader: RecordFields = { value: 'v', headers: { gone: null as unknown as string } };
    expect(() => encodeRecord(nullHeader)).toThrow();
    expect(() => kafkajsRecord(nullHeader)).toThrow();
  });
});
