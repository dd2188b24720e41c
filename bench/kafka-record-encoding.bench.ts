/**
 * Micro-benchmark of the producers' record encoding, in process: encodes record batches of 1,000
 * queued decisions as the router builds them (`buildRoutedEvent`), keyed by interaction, with
 * kafkajs's own record encoder and with the exact-size one the services give kafkajs
 * (libs/kafka/src/exact-size-record-encoding.ts), alternating which goes first, and reports µs
 * per record for each, record batch and CRC included, and their ratio. Then it checksums the
 * encoded batch with kafkajs's byte-at-a-time CRC-32C and with the sliced one the services give
 * kafkajs (libs/kafka/src/sliced-crc32c.ts), alternating the same way.
 *
 * Run: `npm run build && node dist/bench/kafka-record-encoding.bench.js`
 */
import { RoutedEventType } from '@conmutador/contracts';
import { crc32c, createExactSizeRecordEncoder, EncodedRecord, exactSizeRecordEncoding, RecordFields, slicedCrc32c } from '@conmutador/kafka';
import { buildRoutedEvent } from '@conmutador/routing-stage';

type RecordEncoder = (fields: RecordFields) => EncodedRecord;
type RecordBatchEncoder = (options: { records: EncodedRecord[]; firstTimestamp: number; maxTimestamp: number }) => Promise<{ buffer: Buffer }>;

const kafkajsEncoder = require('kafkajs/src/protocol/encoder') as { prototype: object };
const { RecordBatch } = require('kafkajs/src/protocol/recordBatch/v0') as { RecordBatch: RecordBatchEncoder };

const BATCH = 1_000;
const BATCHES_PER_SAMPLE = 40;
const ROUNDS = 12;
const WARM_UP_ROUNDS = 2;

/** Queued decisions as the router publishes them (its own factory), keyed by interaction. */
function decisionMessages(): { key: string; value: string }[] {
  return Array.from({ length: BATCH }, (_, index) => {
    const interactionId = `wa-5731-${String(index).padStart(7, '0')}`;
    const event = buildRoutedEvent({
      type: RoutedEventType.Queued,
      interactionId,
      causationId: `evt-${interactionId}`,
      now: new Date(1_790_000_000_000 + index),
      placement: {
        queue: 'banking_bogota',
        priority: 50,
        enqueuedAtMs: 1_790_000_000_000 + index,
        position: index + 1,
        overflowed: false,
        estimatedWaitSeconds: 300,
        snapshot: {
          sector: 'banking',
          intent: 'financial_relief',
          emergency: false,
          confidence: 0.701,
          tenant: 'seed',
          channel: 'voice',
          requiredSkills: ['after_hours', 'banking'],
          ruleId: 'banking-after-hours',
          rulesetVersion: 1,
        },
      },
    });
    return { key: interactionId, value: JSON.stringify(event) };
  });
}

export interface KafkaRecordEncodingBenchResult {
  /** Median µs per record with kafkajs's encoder, batch and CRC included. */
  kafkajsUs: number;
  /** The same with the exact-size encoder. */
  exactSizeUs: number;
  /** exactSizeUs / kafkajsUs */
  ratio: number;
  bytesPerRecord: number;
  /** µs per record to checksum the batch: kafkajs's CRC-32C, the sliced one, and their ratio. */
  checksum: { kafkajsUs: number; slicedUs: number; ratio: number };
}

/** Alternates the contenders round by round; the median µs per record of each, warm-up rounds left out. */
async function alternate<Name extends string>(
  contenders: Record<Name, () => unknown>,
  recordsPerCall: number,
  callsPerSample: number,
): Promise<Record<Name, number>> {
  const names = Object.keys(contenders) as Name[];
  const samples = Object.fromEntries(names.map((name) => [name, [] as number[]])) as Record<Name, number[]>;
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 === 0 ? names : [...names].reverse();
    for (const name of order) {
      const started = process.hrtime.bigint();
      for (let call = 0; call < callsPerSample; call++) await contenders[name]();
      const usPerRecord = Number(process.hrtime.bigint() - started) / 1000 / (recordsPerCall * callsPerSample);
      if (round >= WARM_UP_ROUNDS) samples[name].push(usPerRecord);
    }
  }
  const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  return Object.fromEntries(names.map((name) => [name, median(samples[name])])) as Record<Name, number>;
}

export async function runKafkaRecordEncodingBench(): Promise<KafkaRecordEncodingBenchResult> {
  const messages = decisionMessages();
  const kafkajsRecord = exactSizeRecordEncoding.kafkajsOwn();
  const encoders: Record<'kafkajs' | 'exactSize', RecordEncoder> = {
    kafkajs: kafkajsRecord,
    exactSize: createExactSizeRecordEncoder(kafkajsRecord, kafkajsEncoder),
  };
  let batch: Buffer = Buffer.alloc(0);
  const encodeBatch = async (encode: RecordEncoder): Promise<void> => {
    const now = Date.now();
    const records = messages.map((message, index) => encode({ ...message, offsetDelta: index, timestampDelta: 0 }));
    batch = (await RecordBatch({ records, firstTimestamp: now, maxTimestamp: now })).buffer;
  };
  const encoding = await alternate(
    { kafkajs: () => encodeBatch(encoders.kafkajs), exactSize: () => encodeBatch(encoders.exactSize) },
    BATCH,
    BATCHES_PER_SAMPLE,
  );
  const kafkajsChecksum = slicedCrc32c.kafkajsOwn();
  if (kafkajsChecksum(batch) !== crc32c(batch)) throw new Error("the sliced CRC-32C differs from kafkajs's on the bench batch");
  const checksum = await alternate({ kafkajs: () => kafkajsChecksum(batch), sliced: () => crc32c(batch) }, BATCH, BATCHES_PER_SAMPLE);
  return {
    kafkajsUs: encoding.kafkajs,
    exactSizeUs: encoding.exactSize,
    ratio: encoding.exactSize / encoding.kafkajs,
    bytesPerRecord: batch.length / BATCH,
    checksum: { kafkajsUs: checksum.kafkajs, slicedUs: checksum.sliced, ratio: checksum.sliced / checksum.kafkajs },
  };
}

if (require.main === module) {
  runKafkaRecordEncodingBench()
    .then((result) => {
      process.stdout.write(
        `kafka record encoding: batches of ${BATCH} records of ${result.bytesPerRecord.toFixed(0)} bytes\n` +
          `  kafkajs     ${result.kafkajsUs.toFixed(2)} µs per record\n` +
          `  exact size  ${result.exactSizeUs.toFixed(2)} µs per record (${result.ratio.toFixed(2)}×)\n` +
          `batch checksum (CRC-32C)\n` +
          `  kafkajs     ${result.checksum.kafkajsUs.toFixed(3)} µs per record\n` +
          `  sliced      ${result.checksum.slicedUs.toFixed(3)} µs per record (${result.checksum.ratio.toFixed(2)}×)\n`,
      );
    })
    .catch((error: unknown) => {
      process.stderr.write(`kafka record encoding bench: ${(error as Error).message ?? String(error)}\n`);
      process.exitCode = 1;
    });
}
