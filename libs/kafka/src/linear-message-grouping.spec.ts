import { Message, PartitionerArgs, PartitionMetadata } from 'kafkajs';
import { groupMessagesPerPartition } from './linear-message-grouping';
import { Murmur2Partitioner } from './murmur2-partitioner';
import { seededRandomBytes } from '../../../test/support/seeded-random';

// Random inputs follow from the run's seed (FC_SEED), so a mismatch can be replayed.
const randomBytes = seededRandomBytes();

type Grouping = typeof groupMessagesPerPartition;

// jest's module registry ignores the replacement in Node's module cache, so this is kafkajs's own.
const kafkajsGrouping = jest.requireActual<Grouping>('kafkajs/src/producer/groupMessagesPerPartition');

const partitionsOf = (count: number): PartitionMetadata[] =>
  Array.from({ length: count }, (_, partitionId) => ({ partitionId, leader: 0, partitionErrorCode: 0, replicas: [0], isr: [0], offlineReplicas: [] }));

/** Keyed, keyless and explicitly placed messages, each told apart by its value. */
function sampleMessages(count: number, partitions: number): Message[] {
  return Array.from({ length: count }, (_, index): Message => {
    const value = `decision-${index}`;
    if (index % 7 === 3) return { value };
    if (index % 11 === 5) return { key: `int-${index}`, value, partition: index % partitions };
    return { key: `int-${randomBytes(5).toString('hex')}-${index}`, value };
  });
}

/** The engine's partitioner, except that keyless messages start their round-robin at 0, not at random. */
function repeatablePartitioner(): (args: PartitionerArgs) => number {
  const murmur2Partitioner = Murmur2Partitioner();
  let next = 0;
  return (args) => (args.message.key === undefined && args.message.partition === undefined ? next++ % args.partitionMetadata.length : murmur2Partitioner(args));
}

describe('groupMessagesPerPartition', () => {
  it.each([1, 3, 12, 64])('groups like kafkajs, in the same order, over %i partition(s)', (partitions) => {
    const partitionMetadata = partitionsOf(partitions);
    const messages = sampleMessages(2_500, partitions);
    // Each grouping gets its own partitioner: keyless messages go round-robin, which is state.
    const ours = groupMessagesPerPartition({ topic: 't', partitionMetadata, messages, partitioner: repeatablePartitioner() });
    const theirs = kafkajsGrouping({ topic: 't', partitionMetadata, messages, partitioner: repeatablePartitioner() });
    expect(ours).toEqual(theirs);
    expect(Object.values(ours).reduce((total, group) => total + group.length, 0)).toBe(messages.length);
    for (const group of Object.values(ours)) {
      const positions = group.map((message) => messages.indexOf(message));
      expect(positions).toEqual([...positions].sort((a, b) => a - b));
    }
  });

  it('gives no group when the topic has no partition metadata, as kafkajs does', () => {
    const args = { topic: 't', partitionMetadata: [], messages: sampleMessages(10, 1), partitioner: Murmur2Partitioner() };
    expect(groupMessagesPerPartition(args)).toEqual({});
    expect(kafkajsGrouping(args)).toEqual({});
  });
});
