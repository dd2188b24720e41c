import { propertySeed } from './seeded-random';

/** One seed for the random inputs of the whole unit run, printed once; the workers read it from FC_SEED. */
export default function unitGlobalSetup(): void {
  const given = process.env.FC_SEED;
  const seed = propertySeed();
  if (given) process.stderr.write(`\nrandom test inputs seeded with FC_SEED=${seed}, from the environment\n`);
}
