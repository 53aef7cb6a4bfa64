// The Entra token endpoint under nock, for one grant type, a body predicate, or any request, remembering the form body it
// was sent.
import nock from 'nock';
import { INSTANCE, TOKEN_PATH } from './entraFixtures';

export type GrantType = 'authorization_code' | 'refresh_token';

export interface TokenEndpoint {
  /** Add `.reply()` (and `.times()`, `.delay()`); the returned scope's `done()` asserts it was called. */
  interceptor: nock.Interceptor;
  /** The last token request it matched (empty until then). */
  lastRequest(): Record<string, string>;
}

/** Which token requests it answers: one grant type, or those whose form body passes the predicate. */
export type TokenRequestMatch = GrantType | ((body: Record<string, string>) => boolean);

export function tokenEndpoint(match?: TokenRequestMatch): TokenEndpoint {
  let last: Record<string, string> = {};
  const matches =
    typeof match === 'function' ? match : (body: Record<string, string>) => !match || body.grant_type === match;
  const interceptor = nock(INSTANCE)
    .post(TOKEN_PATH, (body: Record<string, string>) => {
      if (!matches(body)) return false;
      last = body;
      return true;
    })
    .query(true);
  return { interceptor, lastRequest: () => last };
}
