import { MAX_PRIORITY } from '@conmutador/routing';
import { checkQueueReference, QueueTable } from './queue-checks';
import { IssueCollector, isRecord } from './issue-collector';

/**
 * Checks a rule's (or the fallback's) action beyond its shape: queues that exist, escalation
 * steps in time order that each do something, no move back into a queue already visited nor into
 * another routing domain, and
 * priorities that a raise would push past the maximum. Returns the queues the action can send to.
 */
export function checkAction(action: unknown, path: string, queues: QueueTable, issues: IssueCollector): string[] {
  if (!isRecord(action)) return [];
  const targets: string[] = [];
  checkQueueReference(action.queue, `${path}.queue`, queues, issues);
  if (typeof action.queue === 'string') targets.push(action.queue);

  const skills = Array.isArray(action.requiredSkills) ? action.requiredSkills.filter((skill): skill is string => typeof skill === 'string') : [];
  const duplicates = skills.filter((skill, index) => skills.indexOf(skill) !== index);
  if (duplicates.length > 0)
    issues.warn(`${path}.requiredSkills`, `skill${duplicates.length > 1 ? 's' : ''} listed twice: ${[...new Set(duplicates)].join(', ')}`);

  if (!Array.isArray(action.escalations)) return targets;
  const visited = typeof action.queue === 'string' ? [action.queue] : [];
  const skillsSoFar = new Set(skills);
  let priority = typeof action.priority === 'number' ? action.priority : 0;
  let previousDelay: number | undefined;
  action.escalations.forEach((step, index) => {
    const stepPath = `${path}.escalations[${index}]`;
    if (!isRecord(step)) return;
    if (typeof step.afterSeconds === 'number') {
      if (previousDelay !== undefined && step.afterSeconds <= previousDelay) {
        issues.error(
          `${stepPath}.afterSeconds`,
          `escalation steps must come in strictly increasing afterSeconds, but ${step.afterSeconds} follows ${previousDelay}`,
        );
      }
      previousDelay = step.afterSeconds;
    }
    const addsSkills = Array.isArray(step.addSkills) && step.addSkills.length > 0;
    if (step.raisePriorityBy === undefined && step.moveToQueue === undefined && !addsSkills) {
      issues.error(
        stepPath,
        'an escalation step must raise the priority (raisePriorityBy), move the interaction (moveToQueue) or widen its skills (addSkills)',
      );
    }
    if (typeof step.raisePriorityBy === 'number') {
      if (priority >= MAX_PRIORITY) {
        issues.warn(`${stepPath}.raisePriorityBy`, `the priority is already ${MAX_PRIORITY}, the maximum: this raise does nothing`);
      } else if (priority + step.raisePriorityBy > MAX_PRIORITY) {
        issues.warn(`${stepPath}.raisePriorityBy`, `raises the priority to ${priority + step.raisePriorityBy}, which is capped at ${MAX_PRIORITY}`);
      }
      priority = Math.min(MAX_PRIORITY, priority + step.raisePriorityBy);
    }
    if (typeof step.moveToQueue === 'string') {
      checkQueueReference(step.moveToQueue, `${stepPath}.moveToQueue`, queues, issues);
      targets.push(step.moveToQueue);
      const [from, to] = [typeof action.queue === 'string' ? queues.domainOf.get(action.queue) : undefined, queues.domainOf.get(step.moveToQueue)];
      if (from !== undefined && to !== undefined && from !== to) {
        issues.error(
          `${stepPath}.moveToQueue`,
          `moves the interaction from domain "${from}" into "${to}": escalations stay inside a routing domain (a transfer can cross domains)`,
        );
      }
      if (visited.includes(step.moveToQueue)) {
        const description =
          visited[visited.length - 1] === step.moveToQueue
            ? `moves the interaction to "${step.moveToQueue}", the queue it is already in`
            : `escalation cycle ${[...visited, step.moveToQueue].join(' → ')}: the interaction would return to a queue it already left`;
        issues.error(`${stepPath}.moveToQueue`, description);
      }
      visited.push(step.moveToQueue);
    }
    if (Array.isArray(step.addSkills)) {
      const already = step.addSkills.filter((skill): skill is string => typeof skill === 'string' && skillsSoFar.has(skill));
      if (already.length > 0) issues.warn(`${stepPath}.addSkills`, `already required: ${already.join(', ')}`);
      step.addSkills.forEach((skill) => typeof skill === 'string' && skillsSoFar.add(skill));
    }
  });
  return targets;
}
