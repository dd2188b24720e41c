/**
 * `npm run -s rules -- <command> FILE`: routing rulesets kept in git, checked and applied from a
 * pipeline through the ops API.
 *
 *   validate FILE                       offline; exit 1 when the file has errors
 *   diff FILE [--against published|N]  what the file changes
 *   apply FILE [--note TEXT]           new version, published; nothing when already published
 *   dry-run FILE [--hours N]           the file against the published ruleset on recent traffic
 *
 * Human-readable output by default; `--json` prints one JSON document on stdout. Exit codes:
 * 0 done, 1 refused (invalid ruleset, API refusal or unreachable), 2 usage or configuration.
 */
import { ConfigError, loadRulesCliConfig } from '@conmutador/config';
import { parseRulesArguments, RULES_USAGE, UsageError } from './rules/rules-arguments';
import { CliOutput, ExitCode, RulesCommands } from './rules/rules-commands';

const output: CliOutput = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
};

export async function main(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<ExitCode> {
  let command;
  try {
    command = parseRulesArguments(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    output.err(`rules: ${error.message}\n\n${RULES_USAGE}`);
    return 2;
  }
  if (command.command === 'help') {
    output.out(RULES_USAGE);
    return 0;
  }
  try {
    return await new RulesCommands(loadRulesCliConfig(env), output).run(command);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    output.err(`rules: ${error.message}`);
    return 2;
  }
}

if (require.main === module) {
  main(process.argv.slice(2), process.env).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`rules: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
