export { authRoutes } from './auth.routes.ts';
export { ensureAdministrator, createUser, createApiKey, login, loadPrincipal, LOGIN_POLICY, type NewUserInput } from './auth.service.ts';
export { hasPermission, requirePermission, isInScope, requireInScope, auditActorOf, systemPrincipal, type Principal } from './principal.ts';
export { inScope, placeInScope, placeWithin } from './scope.ts';
export { PERMISSIONS, BUILTIN_ROLES, type Permission } from './permissions.ts';
export { hashPassword, verifyPassword, generatePassword } from './passwords.ts';
export { registerResident, resolveLoginName, findResidentPhone, RESIDENT_ROLE, RESIDENT_SCOPE } from './resident-accounts.ts';
