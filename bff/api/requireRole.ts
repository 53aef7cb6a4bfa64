// Route guard: the session user must hold an app role (from the ID token's `roles` claim), else 403 `forbidden`.
import type { Middleware } from 'koa';
import { ForbiddenError } from '../http/errors';
import { requireUser } from './requireUser';

/**
 * A middleware for routes that need `role` (undefined: any signed-in user). Compared case-insensitively, as
 * ASP.NET's IsInRole does for Entra role claims. Runs before the handler, so a refused request never reaches Graph or
 * Key Vault.
 */
export function requireRole(role: string | undefined): Middleware {
  return async (ctx, next) => {
    const user = requireUser(ctx);
    if (role !== undefined && !hasRole(user.roles ?? [], role)) {
      throw new ForbiddenError('forbidden', `Your account lacks the ${role} role. Ask an administrator to assign it.`, {
        details: { role },
      });
    }
    await next();
  };
}

export function hasRole(roles: readonly string[], role: string): boolean {
  const wanted = role.toLowerCase();
  return roles.some((r) => r.toLowerCase() === wanted);
}
