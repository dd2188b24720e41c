import { CanActivate, ExecutionContext, ForbiddenException, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { OpsRole } from '@conmutador/config';
import { ApiKeyRing } from './api-key-ring';
import { FailedAuthenticationThrottle } from './failed-authentication-throttle';
import { OpsPrincipal, roleAllows } from './ops-principal';

export const REQUIRED_ROLE = Symbol('REQUIRED_ROLE');

/** What the guard reads and leaves on the (Express) request; no Express types are installed. */
export interface AuthenticatedRequest {
  headers: { authorization?: string };
  ip?: string;
  principal: OpsPrincipal;
}

/**
 * `Authorization: Bearer <key>` against OPS_API_KEYS and OPS_API_KEYS_FILE: no key or an unknown
 * one is 401, a key whose role is below the endpoint's is 403. Keys are compared in constant time
 * (see principalOf). A client with too many 401s in a row gets 429 for a while (see
 * FailedAuthenticationThrottle).
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly keys: ApiKeyRing,
    private readonly throttle: FailedAuthenticationThrottle,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const http = context.switchToHttp();
    const request = http.getRequest<AuthenticatedRequest>();
    const client = this.throttle.clientOf(request);
    this.throttle.assertNotBlocked(client);
    const presented = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '')?.[1];
    const principal = presented === undefined ? undefined : this.keys.principalOf(presented);
    if (!principal) {
      await this.throttle.recordFailure(client);
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
