/**
 * Before a produce request, kafkajs 2.2.4 groups a batch's messages by partition in
 * `src/producer/groupMessagesPerPartition.js`, copying the partition's whole array for every
 * message it adds. For a chunk of n messages over p partitions that allocates about n²/2p array
 * slots. With chunks of 1,000 decisions it was the largest allocator of the engine's drain (a
 * sampling heap profile), and replacing it cut the drain's young-generation collections by a
 * fifth (bench/README.md, change 10).
 *
 * This module gives kafkajs a grouping that appends instead: same partitions, same order within
 * each, one array per partition. kafkajs reads the function once, when its producer module is
 * first required, so the replacement is registered in Node's module cache before that: this file
 * is the first export of the package index, and a service must import @conmutador/kafka before
 * kafkajs. The consumer pipeline says at start which grouping is in effect (the pipeline
 * integration test checks it for every service). Under jest, whose module registry is its own,
 * kafkajs keeps its grouping: the same result, only slower.
 */
import Module from 'node:module';
// Types only: requiring kafkajs here would load its producer before the replacement is in place.
import type { Message, PartitionerArgs } from 'kafkajs';

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

const KAFKAJS_GROUPING_MODULE = 'kafkajs/src/producer/groupMessagesPerPartition';
const KAFKAJS_SEND_MODULE = 'kafkajs/src/producer/sendMessages';

function resolved(request: string): string | undefined {
  try {
    return require.resolve(request);
  } catch {
    return undefined;
  }
}

/**
 * Registers the replacement in the module cache unless kafkajs's producer is already loaded (it
 * would keep the function it read) or this kafkajs has no such module (another version: nothing
 * to replace, and {@link linearGroupingActive} says so).
 */
function registerLinearGrouping(): void {
  const groupingPath = resolved(KAFKAJS_GROUPING_MODULE);
  const sendPath = resolved(KAFKAJS_SEND_MODULE);
  if (!groupingPath || !sendPath || require.cache[sendPath] || require.cache[groupingPath]) return;
  const replacement = new Module(groupingPath);
  replacement.filename = groupingPath;
  replacement.loaded = true;
  replacement.exports = groupMessagesPerPartition;
  require.cache[groupingPath] = replacement;
}

registerLinearGrouping();

/** Whether kafkajs's producers, in this process, group with {@link groupMessagesPerPartition}. */
export function linearGroupingActive(): boolean {
  const groupingPath = resolved(KAFKAJS_GROUPING_MODULE);
  return groupingPath !== undefined && require.cache[groupingPath]?.exports === groupMessagesPerPartition;
}

/** Why {@link linearGroupingActive} is false, for a start-up warning. */
export const LINEAR_GROUPING_INACTIVE =
  `kafkajs was loaded before @conmutador/kafka, or has no ${KAFKAJS_GROUPING_MODULE} (another version): ` +
  'its producers group messages per partition in quadratic time; import @conmutador/kafka first';
