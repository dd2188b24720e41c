/** A parsed command line of the rules CLI, or why it is not one. */
export type RulesCommand =
  | { command: 'validate'; file: string; json: boolean }
  | { command: 'diff'; file: string; against: 'published' | number; json: boolean }
  | { command: 'apply'; file: string; note?: string; json: boolean }
  | { command: 'dry-run'; file: string; hours: number; json: boolean }
  | { command: 'help' };

export const RULES_USAGE = `usage: npm run -s rules -- <command> FILE [options]

  validate FILE                      check a ruleset file offline; exit 1 when it has errors
  diff FILE [--against published|N] what FILE changes compared with the published ruleset or version N
  apply FILE [--note TEXT]           save FILE as a new version and publish it (nothing if it is already published)
  dry-run FILE [--hours N]           compare FILE with the published ruleset on the last N hours of arrivals (default 1)

  --json    machine-readable output on stdout
  env: OPS_API_URL (default http://127.0.0.1:8080), OPS_API_KEY (editor for dry-run, admin for apply)`;

export class UsageError extends Error {}

const OPTIONS_TAKING_VALUES: Record<string, readonly string[]> = {
  validate: [],
  diff: ['--against'],
  apply: ['--note'],
  'dry-run': ['--hours'],
};

export function parseRulesArguments(argv: readonly string[]): RulesCommand {
  if (argv.length === 0 || argv.includes('--help') || argv.includes('-h')) return { command: 'help' };
  const [command, ...rest] = argv;
  const accepted = OPTIONS_TAKING_VALUES[command];
  if (!accepted) throw new UsageError(`unknown command "${command}"; expected validate, diff, apply or dry-run`);

  const options = new Map<string, string>();
  const positional: string[] = [];
  let json = false;
  for (let index = 0; index < rest.length; index++) {
    const argument = rest[index];
    if (argument === '--json') {
      json = true;
    } else if (argument.startsWith('--')) {
      const [name, inlineValue] = argument.split(/=(.*)/s, 2);
      if (!accepted.includes(name)) throw new UsageError(`${command} does not take ${name}`);
      const value = inlineValue ?? rest[++index];
      if (value === undefined) throw new UsageError(`${name} needs a value`);
      options.set(name, value);
    } else {
      positional.push(argument);
    }
  }
  if (positional.length !== 1) throw new UsageError(`${command} takes exactly one FILE`);
  const [file] = positional;

  switch (command) {
    case 'validate':
      return { command, file, json };
    case 'diff': {
      const against = options.get('--against') ?? 'published';
      if (against === 'published') return { command, file, against, json };
      if (!/^[1-9]\d*$/.test(against)) throw new UsageError('--against must be "published" or a version number');
      return { command, file, against: Number(against), json };
    }
    case 'apply':
      return { command, file, note: options.get('--note'), json };
    default: {
      const hours = Number(options.get('--hours') ?? 1);
      if (!Number.isFinite(hours) || hours <= 0) throw new UsageError('--hours must be a positive number');
      return { command: 'dry-run', file, hours, json };
    }
  }
}
