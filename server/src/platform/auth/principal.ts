import { AppError } from '../errors.ts';
import type { AuditActor } from '../audit/index.ts';
import type { Permission } from './permissions.ts';

/** The authenticated account behind a request: who, with which permissions, over which region. */
export interface Principal {
  userId: number;
  username: string;
  displayName: string;
  roleCodes: string[];
  permissions: ReadonlySet<string>;
  /** ltree path of the place subtree this account may see; empty for the whole installation. */
  scopePath: string;
  organisationId: number | null;
  /** How the request authenticated. */
  via: 'session' | 'api_key' | 'system';
  ip: string | null;
}

/** True when the principal holds `permission` (directly or through `*`). */
export function hasPermission(principal: Principal, permission: Permission): boolean {
  return principal.permissions.has('*') || principal.permissions.has(permission);
}

/** Throws FORBIDDEN unless the principal holds `permission`. */
export function requirePermission(principal: Principal, permission: Permission): void {
  if (!hasPermission(principal, permission)) {
    throw new AppError('FORBIDDEN', `missing permission ${permission}`, { permission });
  }
}

/** True when the ltree `path` lies inside the principal's scope subtree. */
export function isInScope(principal: Pick<Principal, 'scopePath'>, path: string): boolean {
  if (principal.scopePath === '') return true;
  return path === principal.scopePath || path.startsWith(`${principal.scopePath}.`);
}

/** Throws OUT_OF_SCOPE when `path` lies outside the principal's region. */
export function requireInScope(principal: Pick<Principal, 'scopePath'>, path: string): void {
  if (!isInScope(principal, path)) throw new AppError('OUT_OF_SCOPE', 'record is outside your region');
}

/** The audit subject for a principal. */
export function auditActorOf(principal: Principal): AuditActor {
  return { userId: principal.via === 'system' ? null : principal.userId, name: principal.username, ip: principal.ip };
}

/** A principal for CLI commands and jobs: all permissions over the given scope. */
export function systemPrincipal(name = 'system', scopePath = ''): Principal {
  return {
    userId: 0,
    username: name,
    displayName: name,
    roleCodes: ['administrator'],
    permissions: new Set(['*']),
    scopePath,
    organisationId: null,
    via: 'system',
    ip: null,
  };
}
