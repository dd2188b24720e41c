import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expectEventually } from './support/expect-eventually';
import { arrival } from './support/contract-events';
import { REPO_ROOT } from './support/infrastructure';
import { CollectedRecord, KafkaTestClient } from './support/kafka-test-client';
import { ServiceProcess } from './support/service-process';
import { testNamespace } from './support/test-namespace';

describe('classifier mappings reload without a restart', () => {
  const { namespace } = testNamespace('mappings');
  const client = new KafkaTestClient(namespace);
  let classifier: ServiceProcess;

  afterAll(async () => {
    await classifier?.kill();
    await client.close();
  });

  it('applies an edited entry-point mapping to the next arrivals, and keeps the old one when an edit is broken', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'mappings-')), 'mappings.json');
    const mappings = JSON.parse(readFileSync(join(REPO_ROOT, 'deploy/config/classifier-mappings.json'), 'utf8'));
    writeFileSync(file, JSON.stringify(mappings));
    await client.createTopics();
    const classified: CollectedRecord[] = await client.collect(client.topics.classified);
    classifier = await ServiceProcess.startReady('classifier', {
      KAFKA_TOPIC_NAMESPACE: namespace,
      CLASSIFIER_MAPPINGS_FILE: file,
      CLASSIFIER_MAPPINGS_POLL_MS: '100',
    });

    const newLine = '+576019990000';
    const sectorOf = (interactionId: string) =>
      classified
        .map((record) => record.json<{ event: { interactionId: string }; classification: { sector: string } }>())
        .find((message) => message.event.interactionId === interactionId)?.classification.sector;

    const before = arrival(1, { entryPoint: newLine, text: undefined });
    await client.produce([{ key: before.interactionId as string, value: before }]);
    await expectEventually(() => expect(sectorOf(before.interactionId as string)).toBe('unclassified'));

    mappings.entryPoints.push({ entryPoint: newLine, sector: 'oxygen', intent: 'supply' });
    writeFileSync(file, JSON.stringify(mappings));
    await expectEventually(
      async () => {
        const probe = arrival(2, { entryPoint: newLine, text: undefined });
        await client.produce([{ key: probe.interactionId as string, value: probe }]);
        await expectEventually(() => expect(sectorOf(probe.interactionId as string)).toBeDefined(), { timeoutMs: 10_000 });
        expect(sectorOf(probe.interactionId as string)).toBe('oxygen');
      },
      { timeoutMs: 30_000 },
    );

    writeFileSync(file, '{ "entryPoints": [ broken');
    await expectEventually(() => expect(classifier.logs()).toContain('keeping the previous ones'));
    const after = arrival(3, { entryPoint: newLine, text: undefined });
    await client.produce([{ key: after.interactionId as string, value: after }]);
    await expectEventually(() => expect(sectorOf(after.interactionId as string)).toBe('oxygen'));
  });
});
