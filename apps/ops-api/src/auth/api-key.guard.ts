import { createHash } from 'node:crypto';
import { CanActivate, ExecutionContext, ForbiddenException, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { OpsApiServiceConfig, OpsRole } from '@conmutador/config';
import { OPS_API_CONFIG } from '../ops-api.tokens';
import { OpsPrincipal, roleAllows } from './ops-principal';

export const REQUIRED_ROLE = Symbol('REQUIRED_ROLE');

/** What the guard reads and leaves on the (Express) request; no Express types are installed. */
export interface AuthenticatedRequest {
  headers: { authorization?: string };
  principal: OpsPrincipal;
}

function digest(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/**
 * `Authorization: Bearer <key>` against OPS_API_KEYS: no key or an unknown one is 401, a key whose
 * role is below the endpoint's is 403. Keys are looked up by their SHA-256, so the time a lookup
 * takes says nothing useful about any configured key.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  private readonly principalsByDigest: ReadonlyMap<string, OpsPrincipal>;

  constructor(
    @Inject(OPS_API_CONFIG) config: OpsApiServiceConfig,
    private readonly reflector: Reflector,
  ) {
    this.principalsByDigest = new Map(config.auth.apiKeys.map(({ name, role, key }) => [digest(key), { name, role }]));
  }

  canActivate(context: ExecutionContext): boolean {
    const http = context.switchToHttp();
    const request = http.getRequest<AuthenticatedRequest>();
    const presented = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '')?.[1];
    const principal = presented === undefined ? undefined : this.principalsByDigest.get(digest(presented));
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
