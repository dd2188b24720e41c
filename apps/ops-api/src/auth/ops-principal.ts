import { OPS_ROLES, OpsRole } from '@conmutador/config';

/** Who is calling: the name of their key (recorded as the actor of changes) and its role. */
export interface OpsPrincipal {
  name: string;
  role: OpsRole;
}

export function roleAllows(granted: OpsRole, required: OpsRole): boolean {
  return OPS_ROLES.indexOf(granted) >= OPS_ROLES.indexOf(required);
}
