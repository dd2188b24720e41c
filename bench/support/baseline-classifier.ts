/**
 * The classifier as it stood before the messy-text work, kept as a same-run benchmark baseline.
 *
 * Not a copy in the tree: the library and its training corpus are taken from git history at
 * {@link BASELINE_CLASSIFIER_COMMIT} (`git archive`), compiled once into node_modules/.cache (where no
 * type-check or build of the project looks) and trained
 * from that commit's own corpus, so the baseline is exactly the code and the model that ran then.
 * The library of that commit imports nothing but Node, @nlpjs (resolved from this repository's
 * node_modules) and the sector list of the contracts, archived with it.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The last commit before the messy-text classifier (emergency cue context, request features, model file). */
export const BASELINE_CLASSIFIER_COMMIT = '5cafa610cca836cda9de8cdc316423a784240790';

/** What the bench needs of the old classifier: the public surface it had then. */
export interface BaselineClassifier {
  classify(input: { text?: string }): { sector: string; intent: string; emergency: boolean };
}

interface BaselineLibrary {
  createClassifier(options: { mappings: { entryPoints: never[]; ivrPaths: never[] }; minConfidence: number; corpusDir: string }): Promise<BaselineClassifier>;
}

export interface LoadedBaseline {
  classifier: BaselineClassifier;
  commit: string;
  /** Training at start, as that version did. */
  trainingMs: number;
}

/**
 * Extracts and compiles the baseline when the cache does not hold it yet (about 15 s once),
 * then trains it. Throws with the reason when git history is not available (a source tarball).
 */
export async function loadBaselineClassifier(repositoryRoot: string, minConfidence: number): Promise<LoadedBaseline> {
  const commit = BASELINE_CLASSIFIER_COMMIT;
  const cacheDir = join(repositoryRoot, 'node_modules', '.cache', 'conmutador', `baseline-classifier-${commit.slice(0, 12)}`);
  const entry = join(cacheDir, 'out', 'classification', 'src', 'index.js');
  if (!existsSync(entry)) buildBaseline(repositoryRoot, commit, cacheDir);
  // Compiled at run time, outside the project's module graph: a plain require.
  const library = require(entry) as BaselineLibrary;
  const started = process.hrtime.bigint();
  const classifier = await library.createClassifier({
    mappings: { entryPoints: [], ivrPaths: [] },
    minConfidence,
    corpusDir: join(cacheDir, 'src', 'libs', 'classification', 'corpus', 'train'),
  });
  return { classifier, commit, trainingMs: Number(process.hrtime.bigint() - started) / 1e6 };
}

function buildBaseline(repositoryRoot: string, commit: string, cacheDir: string): void {
  rmSync(cacheDir, { recursive: true, force: true });
  const sourceDir = join(cacheDir, 'src');
  mkdirSync(sourceDir, { recursive: true });
  try {
    const archive = execFileSync('git', ['-C', repositoryRoot, 'archive', '--format=tar', commit, 'libs/classification', 'libs/contracts/src/sectors.ts'], {
      maxBuffer: 64 * 1024 * 1024,
    });
    execFileSync('tar', ['-x', '-C', sourceDir], { input: archive });
  } catch (error) {
    rmSync(cacheDir, { recursive: true, force: true });
    throw new Error(`the baseline classifier needs git history with commit ${commit.slice(0, 12)}: ${(error as Error).message.split('\n')[0]}`, {
      cause: error,
    });
  }
  const tsconfig = {
    compilerOptions: {
      target: 'ES2022',
      module: 'commonjs',
      moduleResolution: 'node',
      lib: ['ES2022'],
      strict: true,
      esModuleInterop: true,
      skipLibCheck: true,
      types: ['node'],
      typeRoots: [join(repositoryRoot, 'node_modules', '@types')],
      rootDir: join(sourceDir, 'libs'),
      outDir: join(cacheDir, 'out'),
    },
    include: [join(sourceDir, 'libs', 'classification', 'src', '**', '*.ts'), join(sourceDir, 'libs', 'contracts', 'src', '*.ts')],
    exclude: [join(sourceDir, '**', '*.spec.ts')],
  };
  const tsconfigFile = join(cacheDir, 'tsconfig.json');
  writeFileSync(tsconfigFile, JSON.stringify(tsconfig, null, 2));
  execFileSync(process.execPath, [join(repositoryRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', tsconfigFile], { stdio: 'inherit' });
}
