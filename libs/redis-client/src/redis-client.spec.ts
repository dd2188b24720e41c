import Redis, { Cluster } from 'ioredis';
import { loadRouterConfig } from '@conmutador/config';
import { createRedisClient } from './redis-client';

// No server in unit tests: the constructors are recorded, not run.
jest.mock('ioredis', () => {
  const Redis = jest.fn();
  const Cluster = jest.fn();
  return { __esModule: true, default: Redis, Redis, Cluster };
});

const RedisMock = Redis as unknown as jest.Mock;
const ClusterMock = Cluster as unknown as jest.Mock;

describe('the Redis client', () => {
  beforeEach(() => {
    RedisMock.mockClear();
    ClusterMock.mockClear();
  });

  it('is one connection to REDIS_URL when no cluster is configured', () => {
    const { redis } = loadRouterConfig({ REDIS_URL: 'redis://redis:6380/2' });
    const client = createRedisClient(redis, 'conmutador-router', { maxRetriesPerRequest: 2 });
    expect(client).toBeInstanceOf(RedisMock);
    expect(RedisMock).toHaveBeenCalledWith('redis://redis:6380/2', { connectionName: 'conmutador-router', maxRetriesPerRequest: 2 });
    expect(ClusterMock).not.toHaveBeenCalled();
  });

  it('is a Cluster client of the REDIS_CLUSTER_NODES, reading from primaries, when they are configured', () => {
    const { redis } = loadRouterConfig({ REDIS_CLUSTER_NODES: 'redis-node-1:6379,redis-node-2:7000' });
    const client = createRedisClient(redis, 'conmutador-ops-api', { maxRetriesPerRequest: 3 });
    expect(client).toBeInstanceOf(ClusterMock);
    expect(ClusterMock).toHaveBeenCalledWith(
      [
        { host: 'redis-node-1', port: 6379 },
        { host: 'redis-node-2', port: 7000 },
      ],
      { redisOptions: { connectionName: 'conmutador-ops-api', maxRetriesPerRequest: 3 }, scaleReads: 'master', enableReadyCheck: true },
    );
    expect(RedisMock).not.toHaveBeenCalled();
  });
});
