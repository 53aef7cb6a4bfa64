// The session user, or 401 login_required.
import type { Context } from 'koa';
import { LoginRequiredError } from '../http/errors';
import { getUser, type SessionUser } from '../session/sessionAccess';

export function requireUser(ctx: Context): SessionUser {
  const user = getUser(ctx);
  if (!user) throw new LoginRequiredError();
  return user;
}
