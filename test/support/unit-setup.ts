import fc from 'fast-check';
import { propertySeed } from './seeded-random';

// Every fast-check property of a unit spec runs from the run's seed (a property that names its own
// seed keeps it). A failure's message gives the seed and the path of the counterexample, and
// FC_SEED=<seed> replays the run.
fc.configureGlobal({ ...fc.readConfigureGlobal(), seed: propertySeed() });
