// One outbound call to a downstream API (Graph, Key Vault) with a deadline, throttling/Retry-After handling and typed
// failures; callers get the response for 2xx/4xx and interpret it. Never logs bodies, tokens or query strings.
import { parseRetryAfter } from '../../shared-types/retryAfter';
import { UpstreamError } from '../http/errors';
import type { Logger } from '../http/logger';
import {
  DeadlineExceededError,
  NetworkFailureError,
  type DeadlineResponse,
  type FetchWithDeadline,
} from './fetchWithDeadline';

/** The longest Retry-After a GET waits for before its single automatic retry. */
export const MAX_RETRY_WAIT_SECONDS = 2;
/** Retry-After we suggest when a downstream failed without saying when to come back. */
const DEFAULT_RETRY_AFTER_SECONDS = 5;

export interface DownstreamDeps {
  fetchWithDeadline: FetchWithDeadline;
  log: Logger;
  /** Waits between a throttled GET and its retry (tests may shorten it). */
  sleep?: (ms: number) => Promise<void>;
}

export interface DownstreamRequest {
  /** Human name for messages and logs, e.g. "Microsoft Graph". */
  service: string;
  method: 'GET' | 'POST';
  url: string;
  /** Bearer access token; only ever placed in the Authorization header. */
  token: string;
  /** JSON request body. */
  json?: unknown;
  headers?: Record<string, string>;
}

export type DownstreamResponse = DeadlineResponse;

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Sends the request. Returns the response for 1xx–4xx (the caller interprets it); throws UpstreamError for
 * timeouts (504 upstream_timeout), network failures (503 upstream_unavailable), throttling (429/503 with Retry-After,
 * after at most one retry for GETs whose wait is ≤ MAX_RETRY_WAIT_SECONDS) and other 5xx (502 upstream_error).
 * POSTs are never retried: a send may already have happened.
 */
export async function callDownstream(deps: DownstreamDeps, req: DownstreamRequest): Promise<DownstreamResponse> {
  const sleep = deps.sleep ?? defaultSleep;
  const target = describeTarget(req);
  for (let attempt = 0; ; attempt++) {
    const started = Date.now();
    const res = await send(deps, req, target);
    deps.log.debug({ ...target, status: res.status, ms: Date.now() - started, attempt }, 'downstream call');
    if (res.status !== 429 && res.status !== 503) {
      if (res.status === 504) {
        throw new UpstreamError(504, 'upstream_timeout', `${req.service} did not answer in time. Try again.`);
      }
      if (res.status >= 500) {
        throw new UpstreamError(
          502,
          'upstream_error',
          `${req.service} failed (HTTP ${res.status}). Try again in a moment.`,
          {
            retryAfterSeconds: DEFAULT_RETRY_AFTER_SECONDS,
          },
        );
      }
      return res;
    }
    const retryAfter = parseRetryAfter(res.headers.get('retry-after'));
    if (req.method === 'GET' && attempt === 0 && retryAfter !== null && retryAfter <= MAX_RETRY_WAIT_SECONDS) {
      deps.log.info({ ...target, status: res.status, retryAfter }, 'downstream throttled; retrying once');
      await sleep(retryAfter * 1000);
      continue;
    }
    deps.log.warn({ ...target, status: res.status, retryAfter }, 'downstream throttled');
    throw throttledError(req.service, res.status as 429 | 503, retryAfter);
  }
}

async function send(
  deps: DownstreamDeps,
  req: DownstreamRequest,
  target: Record<string, string>,
): Promise<DownstreamResponse> {
  const headers: Record<string, string> = {
    Accept: 'application/json',
    ...req.headers,
    Authorization: `Bearer ${req.token}`,
  };
  if (req.json !== undefined) headers['Content-Type'] = 'application/json';
  try {
    return await deps.fetchWithDeadline(req.url, {
      method: req.method,
      headers,
      ...(req.json !== undefined ? { body: JSON.stringify(req.json) } : {}),
    });
  } catch (err) {
    if (err instanceof DeadlineExceededError) {
      deps.log.warn({ ...target, timeoutMs: err.timeoutMs }, 'downstream timeout');
      throw new UpstreamError(504, 'upstream_timeout', `${req.service} did not answer in time. Try again.`, {
        cause: err,
      });
    }
    if (err instanceof NetworkFailureError) {
      deps.log.warn({ ...target, err: err.message }, 'downstream unreachable');
      throw new UpstreamError(
        503,
        'upstream_unavailable',
        `${req.service} cannot be reached right now. Try again in a moment.`,
        {
          cause: err,
          retryAfterSeconds: DEFAULT_RETRY_AFTER_SECONDS,
        },
      );
    }
    throw err;
  }
}

function throttledError(service: string, status: 429 | 503, retryAfter: number | null): UpstreamError {
  const seconds = retryAfter ?? DEFAULT_RETRY_AFTER_SECONDS;
  return status === 429
    ? new UpstreamError(429, 'downstream_throttled', `${service} is limiting requests. Try again in ${seconds} s.`, {
        retryAfterSeconds: seconds,
      })
    : new UpstreamError(
        503,
        'upstream_unavailable',
        `${service} is temporarily unavailable. Try again in ${seconds} s.`,
        { retryAfterSeconds: seconds },
      );
}

/** JSON body of a response, or 502 upstream_bad_response when it is not JSON. */
export function parseJsonBody(service: string, res: DownstreamResponse): unknown {
  try {
    return JSON.parse(res.text) as unknown;
  } catch (err) {
    throw new UpstreamError(502, 'upstream_bad_response', `${service} sent a response we could not read. Try again.`, {
      cause: err,
    });
  }
}

/** Host and path only: query strings may carry user input and are left out of logs. */
function describeTarget(req: DownstreamRequest): Record<string, string> {
  const u = new URL(req.url);
  return { service: req.service, method: req.method, host: u.host, path: u.pathname };
}
