// Wraps the MSAL client factory: each client's acquireTokenByCode / acquireTokenSilent gets a span (the token POST, if
// any, is its child) and counts as a server token acquisition by source: cache, refresh, or identity_provider (a code
// redeemed at the callback). Scopes are recorded as a count only; tokens, codes and accounts never.
import type { AuthenticationResult, ConfidentialClientApplication } from '@azure/msal-node';
import type { MsalClientFactory } from '../auth/msalClientFactory';
import { boundedLabel, errorType, inSpan, type Observability } from './observability';

type Source = 'cache' | 'refresh' | 'identity_provider';

export function instrumentMsalFactory(factory: MsalClientFactory, obs: Observability): MsalClientFactory {
  const { tracer, metrics } = obs;
  if (!tracer && !metrics) return factory;
  const outcomeLabel = boundedLabel(40);

  async function measure<R extends AuthenticationResult | null>(
    flow: 'by_code' | 'silent',
    scopes: number,
    call: () => Promise<R>,
  ): Promise<R> {
    let source: Source = flow === 'by_code' ? 'identity_provider' : 'cache';
    try {
      const result = await inSpan(
        tracer,
        `msal.${flow === 'by_code' ? 'acquireTokenByCode' : 'acquireTokenSilent'}`,
        { 'msal.scope_count': scopes },
        async (span) => {
          const r = await call();
          if (flow === 'silent' && r && !r.fromCache) source = 'refresh';
          span?.setAttributes({ 'msal.token_source': source, 'msal.from_cache': Boolean(r?.fromCache) });
          return r;
        },
      );
      metrics?.serverTokens.inc({ source, flow, outcome: 'success' });
      return result;
    } catch (err) {
      // MSAL fails a silent call only after the cache could not serve it (a refresh was tried, or there was none to try).
      metrics?.serverTokens.inc({
        source: flow === 'silent' ? 'refresh' : source,
        flow,
        outcome: outcomeLabel(errorType(err)),
      });
      throw err;
    }
  }

  return {
    async create(partitionKey) {
      const cca: ConfidentialClientApplication = await factory.create(partitionKey);
      const byCode = cca.acquireTokenByCode.bind(cca);
      const silent = cca.acquireTokenSilent.bind(cca);
      cca.acquireTokenByCode = (request, ...rest) =>
        measure('by_code', request.scopes?.length ?? 0, () => byCode(request, ...rest));
      cca.acquireTokenSilent = (request) => measure('silent', request.scopes?.length ?? 0, () => silent(request));
      return cca;
    },
  };
}
