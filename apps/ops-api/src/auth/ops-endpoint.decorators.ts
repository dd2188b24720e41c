import { applyDecorators, createParamDecorator, ExecutionContext, SetMetadata, UseGuards } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBearerAuth, ApiForbiddenResponse, ApiOperation, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { OpsRole } from '@conmutador/config';
import { ApiKeyGuard, AuthenticatedRequest, REQUIRED_ROLE } from './api-key.guard';

/** On every ops controller: nothing behind it answers without a valid key. */
export function RequiresApiKey(): ClassDecorator {
  return applyDecorators(
    UseGuards(ApiKeyGuard),
    ApiBearerAuth(),
    ApiUnauthorizedResponse({ description: 'No `Authorization: Bearer <key>` header, or an unknown key' }),
    ApiBadRequestResponse({ description: 'A malformed parameter or body; the message names the field' }),
  );
}

/** One endpoint: the least role it needs, and what it does (both shown in the OpenAPI document). */
export function OpsOperation(role: OpsRole, summary: string, description?: string): MethodDecorator {
  const decorators = [
    SetMetadata(REQUIRED_ROLE, role),
    ApiOperation({ summary, description: [role === 'admin' ? 'Role: admin.' : `Role: ${role} or above.`, description].filter(Boolean).join(' ') }),
  ];
  if (role !== 'viewer') decorators.push(ApiForbiddenResponse({ description: `The key's role is below ${role}` }));
  return applyDecorators(...decorators);
}

/** The name of the calling key, recorded as the actor of a change. */
export const Actor = createParamDecorator((_: unknown, context: ExecutionContext): string => {
  return context.switchToHttp().getRequest<AuthenticatedRequest>().principal.name;
});
