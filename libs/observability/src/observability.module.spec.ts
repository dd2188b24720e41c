import { Controller, Get, INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { storage } from 'nestjs-pino/storage';
import { ObservabilityModule } from './observability.module';

/** Answers whether the request it serves runs inside nestjs-pino's per-request context. */
@Controller('probe')
class RequestContextProbe {
  @Get()
  probe(): { inRequestContext: boolean } {
    return { inRequestContext: storage.getStore() !== undefined };
  }
}

async function serve(requestContext: boolean): Promise<{ app: INestApplication; url: string }> {
  const moduleRef = await Test.createTestingModule({
    imports: [ObservabilityModule.forService({ service: 'observability-spec', logLevel: 'silent', requestContext })],
    controllers: [RequestContextProbe],
  }).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  await app.listen(0, '127.0.0.1');
  return { app, url: await app.getUrl() };
}

describe('ObservabilityModule', () => {
  it.each([
    { requestContext: true, expected: true },
    { requestContext: false, expected: false },
  ])('enters a per-request logger context only when asked to (requestContext: $requestContext)', async ({ requestContext, expected }) => {
    const { app, url } = await serve(requestContext);
    try {
      const response = await fetch(`${url}/probe`);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ inRequestContext: expected });
    } finally {
      await app.close();
    }
  });

  it('answers the health probes without a request context too', async () => {
    const { app, url } = await serve(false);
    try {
      const live = await fetch(`${url}/health/live`);
      expect(live.status).toBe(200);
      expect(await live.json()).toEqual({ status: 'ok' });
    } finally {
      await app.close();
    }
  });
});
