import { INestApplication } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';

/**
 * Bodies up to this size: a dry run may carry thousands of interactions (about 200 bytes each),
 * well past Express's 100 kB default.
 */
const MAX_JSON_BODY = '5mb';

/** Body size, and the self-description: machine-readable at /openapi.json, browsable at /docs. */
export function configureOpsApi(app: INestApplication): void {
  (app as NestExpressApplication).useBodyParser('json', { limit: MAX_JSON_BODY });
  const description = new DocumentBuilder()
    .setTitle('Conmutador ops API')
    .setDescription(
      'Routing rulesets (versioned, validated, dry-run against real traffic, published atomically) and a live view of ' +
        'the skill queues. Every /v1 endpoint takes `Authorization: Bearer <key>`; roles: viewer < editor < admin.',
    )
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'A key from OPS_API_KEYS' })
    .build();
  const document = SwaggerModule.createDocument(app, description);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'openapi.json', yamlDocumentUrl: 'openapi.yaml' });
}
