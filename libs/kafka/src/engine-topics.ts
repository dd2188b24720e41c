import { Topic, topicName } from '@conmutador/contracts';
import { KafkaConfig } from '@conmutador/config';
import { TopicSpec } from './topic-provisioner';

/** The topic names of this deployment (namespace applied). */
export interface EngineTopics {
  inbound: string;
  classified: string;
  routed: string;
  deadLetter: string;
}

export function engineTopics(kafka: Pick<KafkaConfig, 'topicNamespace'>): EngineTopics {
  return {
    inbound: topicName(Topic.Inbound, kafka.topicNamespace),
    classified: topicName(Topic.Classified, kafka.topicNamespace),
    routed: topicName(Topic.Routed, kafka.topicNamespace),
    deadLetter: topicName(Topic.DeadLetter, kafka.topicNamespace),
  };
}

/** Every service ensures every topic, so the services can start in any order. */
export function engineTopicSpecs(kafka: Pick<KafkaConfig, 'topicNamespace' | 'partitions' | 'replicationFactor'>): TopicSpec[] {
  const names = engineTopics(kafka);
  return (Object.keys(names) as (keyof EngineTopics)[]).map((role) => ({
    topic: names[role],
    numPartitions: kafka.partitions[role],
    replicationFactor: kafka.replicationFactor,
  }));
}
