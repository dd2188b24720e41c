import { plainToInstance } from 'class-transformer';
import { ValidationError, validateSync } from 'class-validator';
import { didYouMean } from '../closest-name';
import { RulesetDocumentSchema } from '../ruleset-schema';
import { IssueCollector, isRecord } from './issue-collector';

const KNOWN_FIELDS = [
  'description',
  'queues',
  'rules',
  'fallback',
  'name',
  'agingPointsPerMinute',
  'site',
  'maxWaiting',
  'overflowTo',
  'domain',
  'id',
  'when',
  'then',
  'enabled',
  'queue',
  'priority',
  'requiredSkills',
  'escalations',
  'afterSeconds',
  'raisePriorityBy',
  'moveToQueue',
  'addSkills',
];

function childPath(parent: string, property: string): string {
  if (/^\d+$/.test(property)) return `${parent}[${property}]`;
  return parent === '' ? property : `${parent}.${property}`;
}

function report(errors: ValidationError[], parent: string, issues: IssueCollector): void {
  for (const error of errors) {
    const path = childPath(parent, error.property);
    const constraints = Object.entries(error.constraints ?? {});
    if (constraints.length > 0 && error.value === undefined) {
      // class-validator skips absent optional fields, so an absent field in error is a required one.
      issues.error(path, `${error.property} is required`);
    } else {
      for (const [constraint, message] of constraints) {
        if (constraint === 'whitelistValidation') issues.error(path, `unknown field "${error.property}"${didYouMean(error.property, KNOWN_FIELDS)}`);
        else if (constraint === 'nestedValidation') issues.error(path, `${path} must be an object`);
        else issues.error(path, message);
      }
    }
    report(error.children ?? [], path, issues);
  }
}

/** class-validator on the document's shape: types, required fields, ranges, unknown fields. */
export function checkStructure(document: unknown, issues: IssueCollector): void {
  if (!isRecord(document)) {
    issues.error('(document)', 'a ruleset must be a JSON object with queues, rules and fallback');
    return;
  }
  const instance = plainToInstance(RulesetDocumentSchema, document);
  report(validateSync(instance, { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true }), '', issues);
}
