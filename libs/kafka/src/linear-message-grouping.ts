/**
 * Before a produce request, kafkajs 2.2.4 groups a batch's messages by partition in
 * `src/producer/groupMessagesPerPartition.js`, copying the partition's whole array for every
 * message it adds. For a chunk of n messages over p partitions that allocates about n²/2p array
 * slots. With chunks of 1,000 decisions it was the largest allocator of the engine's drain (a
 * sampling heap profile), and replacing it cut the drain's young-generation collections by a
 * fifth (bench/README.md, change 10).
 *
 * This module gives kafkajs a grouping that appends instead: same partitions, same order within
 * each, one array per partition, registered in Node's module cache before kafkajs's producer reads
 * its own (kafkajs-module-replacement.ts). The consumer pipeline says at start which grouping is
 * in effect (the pipeline integration test checks it for every service).
 */
// Types only: requiring kafkajs here would load its producer before the replacement is in place.
import type { Message, PartitionerArgs } from 'kafkajs';
import { replaceKafkajsModule } from './kafkajs-module-replacement';

type Partitioner = (args: PartitionerArgs) => number;

interface GroupingArgs {
  topic: string;
  partitionMetadata: PartitionerArgs['partitionMetadata'];
  messages: Message[];
  partitioner: Partitioner;
}

/** kafkajs's grouping contract: partition → its messages, in the order they were given. */
export function groupMessagesPerPartition({ topic, partitionMetadata, messages, partitioner }: GroupingArgs): Record<number, Message[]> {
  const grouped: Record<number, Message[]> = {};
  if (partitionMetadata.length === 0) return grouped;
  for (const message of messages) {
    const partition = partitioner({ topic, partitionMetadata, message });
    const messagesOfPartition = grouped[partition];
    if (messagesOfPartition) messagesOfPartition.push(message);
    else grouped[partition] = [message];
  }
  return grouped;
}

/** kafkajs's grouping, replaced by {@link groupMessagesPerPartition}, registered before kafkajs is loaded (kafkajs.ts). */
export const linearMessageGrouping = replaceKafkajsModule<typeof groupMessagesPerPartition>({
  module: 'kafkajs/src/producer/groupMessagesPerPartition',
  readBy: 'kafkajs/src/producer/sendMessages',
  replacement: () => groupMessagesPerPartition,
  announcement: {
    field: 'producerGrouping',
    value: 'linear',
    inEffect: 'group batches per partition in linear time',
    without: 'group messages per partition in quadratic time',
  },
});
