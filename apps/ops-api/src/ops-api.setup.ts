import { HttpStatus, INestApplication } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import helmet from 'helmet';
import { OPS_API_LIMIT_KEYS, OpsApiServiceConfig } from '@conmutador/config';

/** What the error handler below reads and writes; no Express types are installed. */
interface BodyParserError {
  type?: string;
  length?: number;
}
interface JsonResponse {
  status(code: number): { json(body: unknown): void };
}

/**
 * Security headers, body size, and the self-description: machine-readable at /openapi.json,
 * browsable at /docs.
 *
 * helmet's defaults (CSP, HSTS, nosniff, frame and referrer policies, no X-Powered-By) come
 * first, so every answer carries them, refusals included. Its CSP would also tell browsers to
 * upgrade every request to HTTPS, which leaves Swagger UI blank where the API is served over
 * plain HTTP (locally, or behind a proxy that terminates TLS): that one directive is left out.
 *
 * A body over OPS_API_MAX_BODY_BYTES is refused (413) before it is parsed; the answer is JSON
 * naming the setting, like every other refusal, rather than Express's HTML page.
 */
export function configureOpsApi(app: INestApplication, config: OpsApiServiceConfig): void {
  const express = app as NestExpressApplication;
  // Who the client is, for the throttle of failed authentications: X-Forwarded-For only from these.
  if (config.auth.trustedProxies.length > 0) express.set('trust proxy', config.auth.trustedProxies);
  express.use(helmet({ contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } } }));
  express.useBodyParser('json', { limit: config.limits.maxBodyBytes });
  express.use((error: BodyParserError, _request: unknown, response: JsonResponse, next: (error: unknown) => void) => {
    if (error?.type !== 'entity.too.large') return next(error);
    response.status(HttpStatus.PAYLOAD_TOO_LARGE).json({
      statusCode: HttpStatus.PAYLOAD_TOO_LARGE,
      error: 'Payload Too Large',
      message: `the body has ${error.length ?? 'more than'} bytes; the bound ${OPS_API_LIMIT_KEYS.maxBodyBytes} is ${config.limits.maxBodyBytes}`,
    });
  });
  const description = new DocumentBuilder()
    .setTitle('Conmutador ops API')
    .setDescription(
      'Routing rulesets (versioned, validated, dry-run against real traffic, published atomically) and a live view of ' +
        'the skill queues. Every /v1 endpoint takes `Authorization: Bearer <key>`; roles: viewer < editor < admin.',
    )
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'A key from OPS_API_KEYS or OPS_API_KEYS_FILE' })
    .build();
  const document = SwaggerModule.createDocument(app, description);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'openapi.json', yamlDocumentUrl: 'openapi.yaml' });
}
