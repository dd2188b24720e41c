import { parseRulesArguments, UsageError } from './rules-arguments';

describe('rules CLI arguments', () => {
  it('reads each command with its options, in any order', () => {
    expect(parseRulesArguments(['validate', 'rules.json'])).toEqual({ command: 'validate', file: 'rules.json', json: false });
    expect(parseRulesArguments(['diff', 'rules.json'])).toEqual({ command: 'diff', file: 'rules.json', against: 'published', json: false });
    expect(parseRulesArguments(['diff', '--against', '12', 'rules.json', '--json'])).toEqual({ command: 'diff', file: 'rules.json', against: 12, json: true });
    expect(parseRulesArguments(['apply', 'rules.json', '--note=release 2026.04: relief desk'])).toEqual({
      command: 'apply',
      file: 'rules.json',
      note: 'release 2026.04: relief desk',
      json: false,
    });
    expect(parseRulesArguments(['dry-run', 'rules.json'])).toMatchObject({ command: 'dry-run', hours: 1 });
    expect(parseRulesArguments(['dry-run', 'rules.json', '--hours', '0.5'])).toMatchObject({ hours: 0.5 });
    expect(parseRulesArguments([])).toEqual({ command: 'help' });
    expect(parseRulesArguments(['apply', '--help'])).toEqual({ command: 'help' });
  });

  it.each([
    [['publish', 'rules.json'], /unknown command "publish"/],
    [['validate'], /exactly one FILE/],
    [['validate', 'a.json', 'b.json'], /exactly one FILE/],
    [['validate', 'a.json', '--hours', '2'], /validate does not take --hours/],
    [['diff', 'a.json', '--against', 'latest'], /--against must be "published" or a version number/],
    [['dry-run', 'a.json', '--hours', '-3'], /--hours must be a positive number/],
    [['apply', 'a.json', '--note'], /--note needs a value/],
  ])('refuses %j', (argv, message) => {
    expect(() => parseRulesArguments(argv)).toThrow(UsageError);
    expect(() => parseRulesArguments(argv)).toThrow(message);
  });
});
