import { stat } from 'node:fs/promises';
import { Inject, Injectable, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { OpsApiKey, OpsApiServiceConfig, readOpsApiKeysFile } from '@conmutador/config';
import { OPS_API_CONFIG } from '../ops-api.tokens';
import { KeyDigest, keyDigests, principalOf } from './api-key-digests';
import { OpsPrincipal } from './ops-principal';

function sameKeys(a: readonly KeyDigest[], b: readonly KeyDigest[]): boolean {
  const describe = (digests: readonly KeyDigest[]) =>
    digests
      .map(({ digest, principal }) => `${principal.name}:${principal.role}:${digest.toString('hex')}`)
      .sort()
      .join();
  return describe(a) === describe(b);
}

/**
 * The keys the API accepts: OPS_API_KEYS, fixed, and OPS_API_KEYS_FILE, re-read when it changes,
 * so a key can be added or withdrawn without a restart.
 *
 * The file is watched by polling its stat (inode, size, times) every OPS_API_KEYS_FILE_POLL_MS:
 * one cheap call that also sees what fs.watch misses, a file replaced by rename or a Kubernetes
 * secret swapped behind its symlink. A file that cannot be used (malformed, unreadable, gone) is
 * logged as an error and changes nothing: the last good keys stay, rather than locking everyone
 * out or letting a half-written file decide.
 */
@Injectable()
export class ApiKeyRing implements OnModuleInit, OnApplicationShutdown {
  private digests: readonly KeyDigest[];
  private timer?: NodeJS.Timeout;
  private lastSeenFile?: string;
  private checking = false;

  constructor(
    @Inject(OPS_API_CONFIG) private readonly config: OpsApiServiceConfig,
    @InjectPinoLogger(ApiKeyRing.name) private readonly logger: PinoLogger,
  ) {
    this.digests = this.digestsWith(config.auth.keysFile?.keys ?? []);
  }

  principalOf(presented: string): OpsPrincipal | undefined {
    return principalOf(this.digests, presented);
  }

  onModuleInit(): void {
    const keysFile = this.config.auth.keysFile;
    if (!keysFile) return;
    // The first check reads the file again: a change made since the configuration read it is not missed.
    this.timer = setInterval(() => void this.checkFile(keysFile.path), keysFile.pollMs);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  private async checkFile(path: string): Promise<void> {
    if (this.checking) return;
    this.checking = true;
    try {
      const seen = await stat(path).then(
        (file) => `${file.ino}:${file.size}:${file.mtimeMs}:${file.ctimeMs}`,
        (error: NodeJS.ErrnoException) => `unreadable:${error.code ?? error.message}`,
      );
      if (seen === this.lastSeenFile) return;
      this.lastSeenFile = seen;
      this.reload(path);
    } finally {
      this.checking = false;
    }
  }

  private reload(path: string): void {
    const read = readOpsApiKeysFile(path, this.config.auth.apiKeys);
    if ('problems' in read) {
      this.logger.error(
        { problems: read.problems.map((problem) => `OPS_API_KEYS_FILE ${problem}`) },
        'OPS_API_KEYS_FILE cannot be used; keeping the keys read before',
      );
      return;
    }
    const digests = this.digestsWith(read.value);
    if (sameKeys(digests, this.digests)) return;
    this.digests = digests;
    this.logger.info({ keys: read.value.map(({ name, role }) => `${name}:${role}`) }, 'API keys reloaded from OPS_API_KEYS_FILE');
  }

  private digestsWith(fileKeys: readonly OpsApiKey[]): KeyDigest[] {
    return keyDigests([...this.config.auth.apiKeys, ...fileKeys]);
  }
}
