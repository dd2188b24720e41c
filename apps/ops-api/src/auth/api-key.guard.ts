import { CanActivate, ExecutionContext, ForbiddenException, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { OpsApiServiceConfig, OpsRole } from '@conmutador/config';
import { OPS_API_CONFIG } from '../ops-api.tokens';
import { KeyDigest, keyDigests, principalOf } from './api-key-digests';
import { OpsPrincipal, roleAllows } from './ops-principal';

export const REQUIRED_ROLE = Symbol('REQUIRED_ROLE');

/** What the guard reads and leaves on the (Express) request; no Express types are installed. */
export interface AuthenticatedRequest {
  headers: { authorization?: string };
  principal: OpsPrincipal;
}

/**
 * `Authorization: Bearer <key>` against OPS_API_KEYS: no key or an unknown one is 401, a key whose
 * role is below the endpoint's is 403. Keys are compared in constant time (see principalOf).
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  private readonly digests: readonly KeyDigest[];

  constructor(
    @Inject(OPS_API_CONFIG) config: OpsApiServiceConfig,
    private readonly reflector: Reflector,
  ) {
    this.digests = keyDigests(config.auth.apiKeys);
  }

  canActivate(context: ExecutionContext): boolean {
    const http = context.switchToHttp();
    const request = http.getRequest<AuthenticatedRequest>();
    const presented = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '')?.[1];
    const principal = presented === undefined ? undefined : principalOf(this.digests, presented);
    if (!principal) {
      http.getResponse<{ setHeader(name: string, value: string): void }>().setHeader('WWW-Authenticate', 'Bearer realm="conmutador-ops"');
      throw new UnauthorizedException(presented === undefined ? 'send Authorization: Bearer <key>' : 'unknown API key');
    }
    const required = this.reflector.getAllAndOverride<OpsRole | undefined>(REQUIRED_ROLE, [context.getHandler(), context.getClass()]) ?? 'viewer';
    if (!roleAllows(principal.role, required)) {
      throw new ForbiddenException(`this needs the ${required} role; the key "${principal.name}" has the ${principal.role} role`);
    }
    request.principal = principal;
    return true;
  }
}
