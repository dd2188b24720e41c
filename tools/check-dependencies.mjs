// `npm run lint`'s dependency rules (.dependency-cruiser.cjs) over apps, libs, test and bench, or
// the folders given. dependency-cruiser's own `depcruise` command refuses to start on Node 20,
// which this project supports (package.json engines, the image); its programmatic API, used here
// with the same configuration, runs there.
import { cruise } from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);

const folders = process.argv.slice(2);
const options = await extractDepcruiseOptions('./.dependency-cruiser.cjs');
const tsConfig = extractTSConfig(options.tsConfig.fileName);
const result = await cruise(folders.length > 0 ? folders : ['apps', 'libs', 'test', 'bench'], { ...options, outputType: 'err' }, {}, { tsConfig });
process.stdout.write(result.output);
process.exitCode = result.exitCode;
