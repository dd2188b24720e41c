import { ReadinessRegistry } from './readiness';

describe('ReadinessRegistry', () => {
  it('is ready when every check passes, whatever the details say', async () => {
    const registry = new ReadinessRegistry();
    let state = 'training';
    registry.register('redis', () => true);
    registry.describe('dryRun', () => state);
    expect(await registry.evaluate()).toEqual({ ready: true, checks: { redis: true }, details: { dryRun: 'training' } });
    state = 'failed';
    expect(await registry.evaluate()).toEqual({ ready: true, checks: { redis: true }, details: { dryRun: 'failed' } });
  });

  it('is not ready when a check fails or throws, or when nothing is checked at all', async () => {
    const registry = new ReadinessRegistry();
    registry.describe('dryRun', () => 'ready');
    expect((await registry.evaluate()).ready).toBe(false);
    registry.register('redis', () => true);
    registry.register('kafka', () => {
      throw new Error('no broker');
    });
    expect(await registry.evaluate()).toMatchObject({ ready: false, checks: { redis: true, kafka: false } });
  });
});
