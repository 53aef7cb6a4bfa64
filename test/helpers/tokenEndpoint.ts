// The Entra token endpoint under nock, for one grant type (or any), remembering the form body it was sent.
import nock from 'nock';
import { INSTANCE, TOKEN_PATH } from './entraFixtures';

export type GrantType = 'authorization_code' | 'refresh_token';

export interface TokenEndpoint {
  /** Add `.reply()` (and `.times()`, `.delay()`); the returned scope's `done()` asserts it was called. */
  interceptor: nock.Interceptor;
  /** The last token request it matched (empty until then). */
  lastRequest(): Record<string, string>;
}

export function tokenEndpoint(grantType?: GrantType): TokenEndpoint {
  let last: Record<string, string> = {};
  const interceptor = nock(INSTANCE)
    .post(TOKEN_PATH, (body: Record<string, string>) => {
      if (grantType && body.grant_type !== grantType) return false;
      last = body;
      return true;
    })
    .query(true);
  return { interceptor, lastRequest: () => last };
}
