// Single-use login transactions (state → nonce, PKCE verifier, return path), bound to the browser that started them.
import { createHash, randomBytes } from 'node:crypto';
import type { Context } from 'koa';
import { LoginTransactionError } from '../http/errors';
import { safeEqual } from '../http/safeEqual';
import type { OneTimeStore } from '../store/oneTimeStore';

export type LoginTransactionKind = 'signin' | 'consent' | 'spa_code';

export interface LoginTransaction {
  kind: LoginTransactionKind;
  nonce: string;
  codeVerifier: string;
  returnTo: string;
  /** sha256 of the browser-binding cookie value. */
  bindingHash: string;
  createdAt: number;
  scopes: string[];
  /** For consent and spa-code round trips: the session user the result must belong to. */
  homeAccountId: string | null;
  /** The round trip answers a claims challenge (CAE / Conditional Access); absent otherwise. */
  claimsChallenge?: boolean;
}

export interface StartedTransaction {
  state: string;
  nonce: string;
  codeChallenge: string;
}

export const LOGIN_TRANSACTION_TTL_MS = 10 * 60_000;

const random = (bytes = 32) => randomBytes(bytes).toString('base64url');
const sha256 = (s: string) => createHash('sha256').update(s).digest('base64url');

export interface LoginTransactions {
  begin(
    ctx: Context,
    init: Pick<LoginTransaction, 'kind' | 'returnTo' | 'scopes' | 'homeAccountId' | 'claimsChallenge'>,
  ): Promise<StartedTransaction>;
  /** Consumes the transaction for `state` (even when a check then fails, so it can never be replayed) and checks it. */
  complete(ctx: Context, state: unknown): Promise<LoginTransaction>;
}

export function createLoginTransactions(options: {
  store: OneTimeStore<LoginTransaction>;
  cookieName: string;
  secureCookies: boolean;
  ttlMs?: number;
  now?: () => number;
}): LoginTransactions {
  const ttlMs = options.ttlMs ?? LOGIN_TRANSACTION_TTL_MS;
  const now = options.now ?? Date.now;
  const cookieOptions = {
    httpOnly: true,
    signed: true,
    // Lax: the callback is a top-level GET from the identity provider (response_mode=query), on which Lax cookies are sent.
    sameSite: 'lax' as const,
    secure: options.secureCookies,
    path: '/',
    overwrite: true,
  };

  return {
    async begin(ctx, init) {
      // One binding per browser, reused across tabs, so parallel sign-ins in two tabs both complete.
      const existing = ctx.cookies.get(options.cookieName, { signed: true });
      const binding = existing && /^[\w-]{43}$/.test(existing) ? existing : random();
      ctx.cookies.set(options.cookieName, binding, { ...cookieOptions, maxAge: ttlMs });
      const state = random();
      const nonce = random();
      const codeVerifier = random(48);
      await options.store.put(
        state,
        { ...init, nonce, codeVerifier, bindingHash: sha256(binding), createdAt: now() },
        ttlMs,
      );
      return { state, nonce, codeChallenge: createHash('sha256').update(codeVerifier).digest('base64url') };
    },

    async complete(ctx, state) {
      if (typeof state !== 'string' || !/^[\w-]{20,128}$/.test(state)) {
        throw new LoginTransactionError('The sign-in response is missing its state. Start the sign-in again.');
      }
      const tx = await options.store.take(state);
      if (!tx) {
        throw new LoginTransactionError('This sign-in link has expired or was already used. Start the sign-in again.');
      }
      const binding = ctx.cookies.get(options.cookieName, { signed: true });
      if (!binding) {
        throw new LoginTransactionError(
          'This browser did not start this sign-in (its sign-in cookie is missing). Start the sign-in again.',
        );
      }
      if (!safeEqual(sha256(binding), tx.bindingHash)) {
        throw new LoginTransactionError('This sign-in was started in a different browser. Start the sign-in again.');
      }
      if (now() - tx.createdAt > ttlMs) {
        throw new LoginTransactionError('This sign-in took too long and has expired. Start the sign-in again.');
      }
      return tx;
    },
  };
}
