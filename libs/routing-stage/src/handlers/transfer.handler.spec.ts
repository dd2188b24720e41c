import { join } from 'node:path';
import { findRepositoryRoot } from '@conmutador/classification';
import { RouterServiceConfig } from '@conmutador/config';
import { ClassifiedInteraction, InboundEventType, InteractionTransferredEvent } from '@conmutador/contracts';
import { RulesetDocument, compileRuleset } from '@conmutador/rules';
import { knownSectorsProvider } from '../known-sectors.provider';
import { RoutingPolicyHolder } from '../routing-policy.holder';
import { CurrentState } from './inbound-event-handler';
import { TransferHandler } from './transfer.handler';

const RULESET: RulesetDocument = {
  queues: [{ name: 'banking_general' }, { name: 'online_doctor', agingPointsPerMinute: 2 }, { name: 'general_triage' }],
  rules: [{ id: 'health-online', when: 'sector == "health"', then: { queue: 'online_doctor', priority: 400, requiredSkills: ['health'] } }],
  fallback: { queue: 'general_triage', priority: 50 },
};

const WAITING_IN_BANKING: CurrentState = {
  queue: 'banking_general',
  priority: 100,
  snapshot: {
    sector: 'banking',
    intent: 'refinancing',
    emergency: false,
    confidence: 0.8,
    tenant: 'seed',
    channel: 'voice',
    requiredSkills: ['banking'],
    ruleId: 'fallback',
    rulesetVersion: 7,
  },
};

function transfer(target: { targetQueue?: string; targetSector?: string }): ClassifiedInteraction {
  const event = {
    specVersion: '1',
    eventId: 'evt-transfer-1',
    type: InboundEventType.Transferred,
    interactionId: 'int-1',
    occurredAt: '2026-04-14T15:00:00.000Z',
    tenant: 'seed',
    ...target,
  } as InteractionTransferredEvent;
  return { event, classification: null, classifiedAt: '2026-04-14T15:00:00.010Z' };
}

/** The handler as the router builds it: the ruleset in force, and the sectors of the default taxonomy and the example extension (telecom). */
function transferHandler(): { handler: TransferHandler; holder: RoutingPolicyHolder } {
  const holder = new RoutingPolicyHolder();
  holder.replace(compileRuleset(RULESET, 7));
  const extension = join(findRepositoryRoot(), 'deploy', 'config', 'taxonomy-extension.example.json');
  const sectors = knownSectorsProvider.useFactory({ router: { taxonomyExtensionFiles: [extension] } } as RouterServiceConfig) as ReadonlySet<string>;
  return { handler: new TransferHandler(holder, sectors), holder };
}

describe('a transfer is placed only where the engine can place it', () => {
  it('moves the interaction to a named queue the ruleset in force defines', () => {
    const command = transferHandler().handler.command(transfer({ targetQueue: 'online_doctor' }), WAITING_IN_BANKING);
    expect(command).toMatchObject({ kind: 'move', interactionId: 'int-1', targetQueue: 'online_doctor', reason: 'transfer' });
  });

  it('moves it by the rules for a known sector, including a sector of a taxonomy extension', () => {
    const { handler } = transferHandler();
    expect(handler.command(transfer({ targetSector: 'health' }), WAITING_IN_BANKING)).toMatchObject({
      kind: 'move',
      targetQueue: 'online_doctor',
      ruleId: 'health-online',
    });
    expect(handler.command(transfer({ targetSector: 'telecom' }), WAITING_IN_BANKING)).toMatchObject({ kind: 'move', targetQueue: 'general_triage' });
  });

  it('refuses a queue the ruleset in force does not define, naming it, instead of creating it', () => {
    const command = transferHandler().handler.command(transfer({ targetQueue: 'banking_vip' }), WAITING_IN_BANKING);
    expect(command).toEqual({
      kind: 'refuse-transfer',
      eventId: 'evt-transfer-1',
      interactionId: 'int-1',
      targetQueue: 'banking_vip',
      targetSector: undefined,
      problems: ['targetQueue "banking_vip" is not a queue of the ruleset in force (version 7)'],
      rulesetVersion: 7,
      nowMs: expect.any(Number),
    });
  });

  it('refuses a sector the engine does not know, naming it and the sectors it knows', () => {
    const command = transferHandler().handler.command(transfer({ targetSector: 'astrology' }), WAITING_IN_BANKING);
    expect(command.kind).toBe('refuse-transfer');
    expect(command).toMatchObject({
      targetSector: 'astrology',
      problems: [expect.stringMatching(/^targetSector "astrology" is not a known sector \(known: .*\)$/)],
    });
    const [problem] = (command as { problems: string[] }).problems;
    for (const sector of ['banking', 'health', 'telecom', 'unclassified']) expect(problem).toContain(sector);
  });

  it('names every unknown target of one transfer', () => {
    const command = transferHandler().handler.command(transfer({ targetQueue: 'banking_vip', targetSector: 'astrology' }), WAITING_IN_BANKING);
    expect(command).toMatchObject({ kind: 'refuse-transfer', problems: [expect.stringContaining('"banking_vip"'), expect.stringContaining('"astrology"')] });
  });

  it('refuses a known queue with an unknown sector: the rules could not place it', () => {
    const command = transferHandler().handler.command(transfer({ targetQueue: 'online_doctor', targetSector: 'astrology' }), WAITING_IN_BANKING);
    expect(command).toMatchObject({ kind: 'refuse-transfer', problems: [expect.stringContaining('"astrology"')] });
  });

  it('judges by the ruleset in force: a queue published later is accepted from then on', () => {
    const { handler, holder } = transferHandler();
    expect(handler.command(transfer({ targetQueue: 'banking_vip' }), WAITING_IN_BANKING).kind).toBe('refuse-transfer');
    holder.replace(compileRuleset({ ...RULESET, queues: [...RULESET.queues, { name: 'banking_vip' }] }, 8));
    expect(handler.command(transfer({ targetQueue: 'banking_vip' }), WAITING_IN_BANKING)).toMatchObject({
      kind: 'move',
      targetQueue: 'banking_vip',
      rulesetVersion: 8,
    });
  });
});
