import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InteractionClassifier } from '@conmutador/classification';
import { InteractionArrivedEvent, validateInboundEvent } from '@conmutador/contracts';
import { EnqueueCommand } from '@conmutador/redis-queues';
import { compileRuleset } from '@conmutador/rules';
import { ArrivalHandler, RoutingPolicyHolder } from '@conmutador/routing-stage';
import { arrivalMixSize, arrivalRecord } from './arrival-mix';
import { REPO_ROOT } from './engine-services';

/**
 * The router's enqueue command for each shape of the bench mix: the arrival classified by the
 * classifier given, decided by the default ruleset, as the router would send it to Redis.
 */
export function arrivalCommands(classifier: InteractionClassifier, runTag: string): EnqueueCommand[] {
  const holder = new RoutingPolicyHolder();
  const ruleset = compileRuleset(JSON.parse(readFileSync(join(REPO_ROOT, 'deploy/rules/default-ruleset.json'), 'utf8')) as unknown, 1);
  holder.replace(ruleset, ruleset.overflows());
  const arrivals = new ArrivalHandler(holder);
  return Array.from({ length: arrivalMixSize() }, (_, index) => {
    const decoded = validateInboundEvent(JSON.parse(arrivalRecord(runTag, index, Date.now()).value));
    if (!decoded.ok) throw new Error(`the bench mix has an invalid arrival: ${decoded.rejection.errors.join('; ')}`);
    const event = decoded.event as InteractionArrivedEvent;
    const classification = classifier.classify({
      channel: event.channel,
      entryPoint: event.entryPoint,
      ivrPath: event.ivrPath,
      text: event.text,
      customer: event.customer,
      tenant: event.tenant,
    });
    return arrivals.command({ event, classification, classifiedAt: new Date().toISOString() });
  });
}
