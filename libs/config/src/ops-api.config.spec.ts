import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from './env-reader';
import { loadOpsApiConfig, parseOpsApiKeysFile } from './ops-api.config';

const VIEWER_KEY = 'viewer-key-0123456789';
const ADMIN_KEY = 'admin:key:with:colons-0123';

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadOpsApiConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected the configuration to be refused');
}

describe('ops API configuration', () => {
  it('reads name:role:key entries, keys may contain colons, and defaults the rest', () => {
    const config = loadOpsApiConfig({ OPS_API_KEYS: ` ana:viewer:${VIEWER_KEY} , ci:admin:${ADMIN_KEY}` });
    expect(config.auth.apiKeys).toEqual([
      { name: 'ana', role: 'viewer', key: VIEWER_KEY },
      { name: 'ci', role: 'admin', key: ADMIN_KEY },
    ]);
    expect(config.httpPort).toBe(8080);
    expect(config.redis.keyPrefix).toBe('cmr:');
    expect(config.kafka.consumerGroup).toBe('conmutador-ops-api');
    expect(config.dryRun.maxReplayHours).toBe(24);
    expect(config.dryRun.classifier.mappingsFile).toBe('deploy/config/classifier-mappings.json');
    expect(config.limits).toEqual({ maxBodyBytes: 5 * 1024 * 1024, maxRules: 2_000, maxQueues: 5_000, maxEscalationSteps: 20, maxConditionLength: 2_000 });
  });

  it('reads the request limits and refuses out-of-range values naming the key', () => {
    const keys = `ana:viewer:${VIEWER_KEY}`;
    expect(loadOpsApiConfig({ OPS_API_KEYS: keys, OPS_API_MAX_QUEUES: '20000', OPS_API_MAX_BODY_BYTES: '1048576' }).limits).toMatchObject({
      maxQueues: 20_000,
      maxBodyBytes: 1_048_576,
    });
    expect(problemsOf({ OPS_API_KEYS: keys, OPS_API_MAX_RULES: '0', OPS_API_MAX_CONDITION_LENGTH: '5000', OPS_API_MAX_ESCALATION_STEPS: 'many' })).toEqual([
      expect.stringMatching(/^OPS_API_MAX_RULES must be an integer between 1 and/),
      expect.stringMatching(/^OPS_API_MAX_ESCALATION_STEPS must be an integer/),
      expect.stringMatching(/^OPS_API_MAX_CONDITION_LENGTH must be an integer between 16 and 4000/),
    ]);
  });

  it('limits failed authentications per client by default, and reads which proxies to trust', () => {
    const keys = `ana:viewer:${VIEWER_KEY}`;
    expect(loadOpsApiConfig({ OPS_API_KEYS: keys }).auth).toMatchObject({
      failedAttempts: { limit: 10, windowMs: 60_000, blockMs: 300_000 },
      trustedProxies: [],
    });
    expect(loadOpsApiConfig({ OPS_API_KEYS: keys, OPS_API_TRUSTED_PROXIES: 'loopback, 10.0.0.0/8, fd00::/8, 192.168.1.7' }).auth.trustedProxies).toEqual([
      'loopback',
      '10.0.0.0/8',
      'fd00::/8',
      '192.168.1.7',
    ]);
    expect(problemsOf({ OPS_API_KEYS: keys, OPS_API_TRUSTED_PROXIES: 'loopback,10.0.0.0/33,proxy.local', OPS_API_AUTH_FAILURE_LIMIT: '0' })).toEqual([
      expect.stringMatching(/^OPS_API_AUTH_FAILURE_LIMIT must be an integer between 1 and/),
      'OPS_API_TRUSTED_PROXIES must be addresses, CIDR ranges or loopback, linklocal, uniquelocal, comma-separated; not "10.0.0.0/33", "proxy.local"',
    ]);
  });

  it('refuses to start without any key', () => {
    expect(problemsOf({})).toEqual([expect.stringMatching(/^OPS_API_KEYS must list at least one/)]);
  });

  it('names every bad entry by position without repeating what was written', () => {
    const secretInWrongPlace = 'S3cr3tS3cr3tS3cr3t';
    const problems = problemsOf({
      OPS_API_KEYS: [
        `${secretInWrongPlace}`,
        `ana:superuser:${VIEWER_KEY}`,
        'luis:editor:short',
        `ana:viewer:${VIEWER_KEY}x`,
        `maria:admin:${VIEWER_KEY}x`,
      ].join(','),
      DRY_RUN_MAX_REPLAY_HOURS: '1000',
    });
    expect(problems).toEqual([
      'OPS_API_KEYS entry 1 must be name:role:key',
      'OPS_API_KEYS entry 2 ("ana"): the role must be one of viewer, editor, admin',
      'OPS_API_KEYS entry 3 ("luis"): the key must be at least 16 characters',
      expect.stringMatching(/^OPS_API_KEYS entry 5 \("maria"\): the key is already used by entry \d/),
      expect.stringMatching(/^DRY_RUN_MAX_REPLAY_HOURS /),
    ]);
    expect(problems.join('\n')).not.toContain(secretInWrongPlace);
    expect(problems.join('\n')).not.toContain(VIEWER_KEY);
  });

  it('refuses the same name twice', () => {
    expect(problemsOf({ OPS_API_KEYS: `ana:viewer:${VIEWER_KEY},ana:admin:${ADMIN_KEY}` })).toEqual([
      'OPS_API_KEYS entry 2 ("ana"): the name is already used by entry 1',
    ]);
  });
});

describe('ops API keys file', () => {
  const EDITOR_KEY = 'editor-key-0123456789';
  const keysFile = (text: string) => {
    const path = join(mkdtempSync(join(tmpdir(), 'ops-keys-')), 'keys');
    writeFileSync(path, text);
    return path;
  };

  it('reads one entry per line beside OPS_API_KEYS, skipping blank lines and comments, and may stand alone', () => {
    const path = keysFile(`# rotated monthly\nluis:editor:${EDITOR_KEY}\n\n  ci:admin:${ADMIN_KEY}  \n`);
    const config = loadOpsApiConfig({ OPS_API_KEYS: `ana:viewer:${VIEWER_KEY}`, OPS_API_KEYS_FILE: path });
    expect(config.auth.apiKeys).toEqual([{ name: 'ana', role: 'viewer', key: VIEWER_KEY }]);
    expect(config.auth.keysFile).toEqual({
      path,
      pollMs: 2_000,
      keys: [
        { name: 'luis', role: 'editor', key: EDITOR_KEY },
        { name: 'ci', role: 'admin', key: ADMIN_KEY },
      ],
    });
    expect(loadOpsApiConfig({ OPS_API_KEYS_FILE: path }).auth.apiKeys).toEqual([]);
  });

  it('fails the boot naming the key, the file and the line, never the secret', () => {
    const path = keysFile(`luis:editor:${EDITOR_KEY}\n# comment\nmaria:root:${ADMIN_KEY}\nana:admin:${ADMIN_KEY}-2\n`);
    expect(problemsOf({ OPS_API_KEYS: `ana:viewer:${VIEWER_KEY}`, OPS_API_KEYS_FILE: path })).toEqual([
      `OPS_API_KEYS_FILE (${path}) line 3 ("maria"): the role must be one of viewer, editor, admin`,
      `OPS_API_KEYS_FILE (${path}) line 4 ("ana"): the name is already used in OPS_API_KEYS`,
    ]);
    expect(problemsOf({ OPS_API_KEYS_FILE: join(tmpdir(), 'no-such-dir', 'keys') })).toEqual([
      expect.stringMatching(/^OPS_API_KEYS_FILE \(.*\) cannot be read: ENOENT$/),
    ]);
    expect(problemsOf({ OPS_API_KEYS_FILE: keysFile('# nobody yet\n') })).toEqual([
      expect.stringMatching(/lists no name:role:key entry, and OPS_API_KEYS lists none either/),
    ]);
  });

  it('refuses a key already configured in OPS_API_KEYS, and keeps secrets out of every problem', () => {
    const pastedAlone = 'S3cr3tS3cr3tS3cr3t';
    const problems = parseOpsApiKeysFile(`luis:editor:${VIEWER_KEY}\n${pastedAlone}`, [{ name: 'ana', role: 'viewer', key: VIEWER_KEY }]);
    expect(problems).toEqual({ problems: ['line 1 ("luis"): the key is already used in OPS_API_KEYS', 'line 2 must be name:role:key'] });
    expect(JSON.stringify(problems)).not.toContain(VIEWER_KEY);
    expect(JSON.stringify(problems)).not.toContain(pastedAlone);
  });
});
