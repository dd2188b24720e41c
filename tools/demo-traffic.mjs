// A small sample of contract events for `npm start`: arrivals on the seed operation's lines and
// shared WhatsApp numbers, with Spanish text, some duplicates, abandons, answers and one broken
// record, so a new user sees queueing, de-duplication, dequeueing and the dead-letter topic.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// The seed operation's lines and texts, shared with the benchmark's traffic mix.
const SAMPLES = JSON.parse(readFileSync(join(dirname(fileURLToPath(import.meta.url)), '..', 'deploy', 'demo', 'seed-arrivals.json'), 'utf8'));
const REGIONS = ['bogota', 'medellin', 'monteria'];
const SEGMENTS = ['standard', 'standard', 'standard', 'vip', 'corporate'];

export function buildDemoEvents(count = 40, now = Date.now()) {
  const events = [];
  const arrivals = [];
  for (let i = 0; i < count; i++) {
    const sample = SAMPLES[i % SAMPLES.length];
    const interactionId = `demo-${randomUUID().slice(0, 8)}`;
    const arrival = {
      specVersion: '1',
      eventId: randomUUID(),
      type: 'interaction.arrived',
      interactionId,
      occurredAt: new Date(now - (count - i) * 1000).toISOString(),
      tenant: 'demo',
      ...sample,
      customer: { segment: SEGMENTS[i % SEGMENTS.length], region: REGIONS[i % REGIONS.length] },
    };
    arrivals.push(arrival);
    events.push(arrival);
    if (i % 10 === 3) events.push(arrival); // the platform re-sends: must be queued once
  }
  arrivals.forEach((arrival, i) => {
    const base = { specVersion: '1', interactionId: arrival.interactionId, occurredAt: new Date(now).toISOString(), tenant: 'demo' };
    if (i % 7 === 1) events.push({ ...base, eventId: randomUUID(), type: 'interaction.abandoned', reason: 'customer_hung_up' });
    if (i % 7 === 4) events.push({ ...base, eventId: randomUUID(), type: 'interaction.answered', agentId: `agent-${100 + i}` });
  });
  return { events, arrivals: arrivals.length };
}

/** Sends the sample and reports when the first decision comes back. */
export async function runDemoTraffic({ kafkajs, brokers, topics, log, startedAt }) {
  const kafka = new kafkajs.Kafka({ clientId: 'conmutador-demo', brokers, logLevel: kafkajs.logLevel.NOTHING });
  const consumer = kafka.consumer({ groupId: `conmutador-demo-${randomUUID()}` });
  await consumer.connect();
  // From the beginning, filtered to this run's ids: a 'latest' offset resolved after the join
  // could land after the first decisions and miss them.
  await consumer.subscribe({ topics: [topics.routed, topics.deadLetter], fromBeginning: true });
  const { events, arrivals } = buildDemoEvents();
  const ours = new Set(events.map((event) => event.interactionId));
  const brokenKey = `demo-broken-${randomUUID().slice(0, 8)}`;
  ours.add(brokenKey);
  const counts = { queued: 0, dequeued: 0, requeued: 0, dead: 0 };
  let firstQueuedAt;
  let joined = false;
  consumer.on(consumer.events.GROUP_JOIN, () => {
    joined = true;
  });
  await consumer.run({
    eachMessage: async ({ topic, message }) => {
      if (!ours.has(message.key?.toString())) return;
      if (topic === topics.deadLetter) return void counts.dead++;
      const event = JSON.parse(message.value.toString());
      const kind = event.type.split('.')[1];
      counts[kind] = (counts[kind] ?? 0) + 1;
      if (kind === 'queued' && firstQueuedAt === undefined) {
        firstQueuedAt = Date.now();
        log(
          `first interaction.queued ${((firstQueuedAt - startedAt) / 1000).toFixed(1)} s after npm start (${event.sector}/${event.intent} → ${event.queue}, priority ${event.priority})`,
        );
      }
    },
  });
  const deadline = Date.now() + 30_000;
  while (!joined && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));

  const producer = kafka.producer({ createPartitioner: kafkajs.Partitioners.DefaultPartitioner });
  await producer.connect();
  await producer.send({
    topic: topics.inbound,
    messages: [
      ...events.map((event) => ({ key: event.interactionId, value: JSON.stringify(event) })),
      { key: brokenKey, value: '{"specVersion":"1","type":"interaction.arrived", this is not json' },
    ],
  });
  await producer.disconnect();
  log(`demo traffic: sent ${events.length + 1} records (${arrivals} arrivals, some sent twice, abandons, answers, one broken record)`);

  const settleBy = Date.now() + 30_000;
  while (Date.now() < settleBy && (counts.queued < arrivals || counts.dead < 1)) await new Promise((resolve) => setTimeout(resolve, 200));
  await consumer.disconnect();
  log(`demo traffic: ${counts.queued} queued, ${counts.dequeued} dequeued, ${counts.dead} dead-lettered`);
  return { ...counts, arrivals, firstQueuedMs: firstQueuedAt === undefined ? null : firstQueuedAt - startedAt };
}
