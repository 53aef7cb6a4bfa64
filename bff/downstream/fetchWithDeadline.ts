// fetch with a hard deadline on every call (connect, headers and body), so no outbound request can hang a user request.

export class DeadlineExceededError extends Error {
  override readonly name = 'DeadlineExceededError';
  constructor(
    readonly url: string,
    readonly timeoutMs: number,
  ) {
    super(`No response from ${new URL(url).host} within ${timeoutMs} ms`);
  }
}

export class NetworkFailureError extends Error {
  override readonly name = 'NetworkFailureError';
  constructor(
    readonly url: string,
    cause: unknown,
  ) {
    super(`Could not reach ${new URL(url).host}: ${(cause as Error)?.message ?? 'network error'}`, { cause });
  }
}

export interface DeadlineResponse {
  status: number;
  headers: Headers;
  /** The body, fully read inside the deadline. */
  text: string;
}

export type FetchWithDeadline = (url: string, init: RequestInit & { timeoutMs?: number }) => Promise<DeadlineResponse>;

export function createFetchWithDeadline(
  defaultTimeoutMs: number,
  fetchImpl: typeof fetch = (...a) => fetch(...a),
): FetchWithDeadline {
  return async function fetchWithDeadline(url, init) {
    const timeoutMs = init.timeoutMs ?? defaultTimeoutMs;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    try {
      const res = await fetchImpl(url, { ...init, signal: controller.signal, redirect: 'manual' });
      const text = await res.text();
      return { status: res.status, headers: res.headers, text };
    } catch (err) {
      if (controller.signal.aborted) throw new DeadlineExceededError(url, timeoutMs);
      throw new NetworkFailureError(url, err);
    } finally {
      clearTimeout(timer);
    }
  };
}
