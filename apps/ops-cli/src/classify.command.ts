/**
 * `npm run -s classify`: JSONL in on stdin, one JSONL classification out per input line, same
 * order. stdout carries results only; training and progress go to stderr. A bad line yields a
 * result with an `error` field and the run goes on.
 *
 * Input line: {"text": "...", "channel"?, "entryPoint"?, "ivrPath"?: ["1","2"], "tenant"?, "customer"?, "id"?}
 * Output line: {"sector", "intent", "emergency", "confidence", "evidence": [...]} (plus "id" when given)
 */
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { ClassificationInput, InteractionClassifier, loadClassifier } from '@conmutador/classification';
import { classifierOptionsFromEnvironment, describeModelSource } from './classifier-environment';

type ParsedLine = { input: ClassificationInput; id?: unknown } | { error: string; id?: unknown };

const OPTIONAL_STRING_FIELDS = ['channel', 'entryPoint', 'tenant'] as const;

/** Checks one input line; returns the classifier input or a message naming the bad field. */
export function parseInputLine(line: string): ParsedLine {
  if (line.trim().length === 0) return { error: 'empty line' };
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    return { error: `invalid JSON: ${(error as Error).message}` };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return { error: 'each line must be a JSON object' };
  const fields = value as Record<string, unknown>;
  const id = fields.id;
  if (typeof fields.text !== 'string') return { id, error: 'text: must be a string' };
  const input: ClassificationInput = { text: fields.text };
  for (const name of OPTIONAL_STRING_FIELDS) {
    const field = fields[name];
    if (field === undefined || field === null) continue;
    if (typeof field !== 'string') return { id, error: `${name}: must be a string when present` };
    input[name] = field;
  }
  if (fields.ivrPath !== undefined && fields.ivrPath !== null) {
    if (!Array.isArray(fields.ivrPath) || !fields.ivrPath.every((option) => typeof option === 'string')) {
      return { id, error: 'ivrPath: must be an array of strings when present' };
    }
    input.ivrPath = fields.ivrPath as string[];
  }
  if (fields.customer !== undefined && fields.customer !== null) {
    if (typeof fields.customer !== 'object' || Array.isArray(fields.customer)) return { id, error: 'customer: must be an object when present' };
    input.customer = fields.customer as ClassificationInput['customer'];
  }
  return { id, input };
}

/** The output line for one input line; never throws. */
export function classifyLine(classifier: InteractionClassifier, line: string): string {
  const parsed = parseInputLine(line);
  const withId = (body: Record<string, unknown>): string => JSON.stringify(parsed.id === undefined ? body : { id: parsed.id, ...body });
  if ('error' in parsed) return withId({ error: parsed.error });
  try {
    return withId({ ...classifier.classify(parsed.input) });
  } catch (error) {
    return withId({ error: `classification failed: ${(error as Error).message}` });
  }
}

async function main(): Promise<void> {
  const loaded = await loadClassifier(classifierOptionsFromEnvironment(process.env));
  const { classifier } = loaded;
  process.stderr.write(`classify: ${describeModelSource(loaded)}; reading JSONL from stdin\n`);
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  let count = 0;
  for await (const line of lines) {
    count += 1;
    // Respect back-pressure so that a slow reader does not make us buffer the whole output.
    if (!process.stdout.write(`${classifyLine(classifier, line)}\n`)) await once(process.stdout, 'drain');
  }
  process.stderr.write(`classify: ${count} line(s) classified\n`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`classify: ${(error as Error).message ?? String(error)}\n`);
    process.exitCode = 1;
  });
}
