// Wraps the one outbound HTTP helper every client shares (MSAL's network client, Graph, Key Vault, managed identity):
// a CLIENT span and a count/duration per call, labelled by target. No URL query, body or header is recorded.
import { context, propagation, SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { DeadlineExceededError, type FetchWithDeadline } from '../downstream/fetchWithDeadline';
import { errorType, inSpan, type Observability } from './observability';

export type DownstreamTarget = 'entra' | 'graph' | 'key_vault' | 'managed_identity' | 'other';

export interface DownstreamOrigins {
  entra: string;
  graph: string;
  keyVault: string | null;
}

/** Which service a URL belongs to (by origin; managed identity by its well-known endpoints). */
export function classifyTarget(url: URL, origins: DownstreamOrigins): DownstreamTarget {
  if (url.origin === origins.entra) return 'entra';
  if (url.origin === origins.graph) return 'graph';
  if (origins.keyVault && url.origin === origins.keyVault) return 'key_vault';
  if (url.hostname === '169.254.169.254' || /\/msi\/token|\/metadata\/identity\//.test(url.pathname))
    return 'managed_identity';
  return 'other';
}

/** A path safe to record: segments that look like ids, e-mail addresses or opaque values become {id}. */
export function pathTemplate(pathname: string): string {
  return pathname
    .split('/')
    .map((s) => (s.length > 40 || /[@%]/.test(s) || /^[0-9a-f-]{16,}$/i.test(s) || /\d{4,}/.test(s) ? '{id}' : s))
    .join('/');
}

/** The OAuth grant type of a token request (form body), for span attributes; never the rest of the body. */
function grantType(body: unknown): string | null {
  if (typeof body !== 'string' || !body.includes('grant_type=')) return null;
  const g = new URLSearchParams(body).get('grant_type');
  return g && /^[a-z_:.-]{1,80}$/i.test(g) ? g : null;
}

export function instrumentDownstream(
  fetchWithDeadline: FetchWithDeadline,
  obs: Observability,
  origins: DownstreamOrigins,
): FetchWithDeadline {
  const { tracer, metrics } = obs;
  if (!tracer && !metrics) return fetchWithDeadline;
  return async function instrumentedFetch(url, init) {
    const u = new URL(url);
    const target = classifyTarget(u, origins);
    const method = init.method ?? 'GET';
    const started = performance.now();
    const grant = target === 'entra' ? grantType(init.body) : null;
    let status = 'error';
    try {
      return await inSpan(
        tracer,
        `${method} ${target}`,
        {
          'http.request.method': method,
          'server.address': u.hostname,
          'url.path': pathTemplate(u.pathname),
          'hsb.downstream.target': target,
          ...(grant ? { 'oauth.grant_type': grant } : {}),
        },
        async (span) => {
          let sent = init;
          if (span) {
            const headers: Record<string, string> = {};
            new Headers(init.headers).forEach((v, k) => (headers[k] = v));
            propagation.inject(context.active(), headers);
            sent = { ...init, headers };
          }
          const res = await fetchWithDeadline(url, sent);
          status = String(res.status);
          span?.setAttribute('http.response.status_code', res.status);
          if (res.status >= 500) span?.setStatus({ code: SpanStatusCode.ERROR });
          return res;
        },
        SpanKind.CLIENT,
      );
    } catch (err) {
      status =
        err instanceof DeadlineExceededError
          ? 'timeout'
          : errorType(err) === 'NetworkFailureError'
            ? 'network_error'
            : 'error';
      throw err;
    } finally {
      metrics?.downstreamRequests.inc({ target, status });
      metrics?.downstreamDuration.observe({ target }, (performance.now() - started) / 1000);
    }
  };
}
