// Fault injection: "the next N responses of endpoint X" are replaced (or delayed) before the real handler runs.
import { randomUUID } from 'node:crypto';

export type FaultEndpoint = 'metadata' | 'authorize' | 'token' | 'logout' | 'graph' | 'keyvault' | 'msi';
export const FAULT_ENDPOINTS: readonly FaultEndpoint[] = [
  'metadata',
  'authorize',
  'token',
  'logout',
  'graph',
  'keyvault',
  'msi',
];

export interface FaultSpec {
  endpoint: FaultEndpoint;
  /** Only requests whose path ends with this (e.g. "/me/messages"); any path when omitted. */
  path?: string;
  /** How many matching responses to replace; default 1. */
  times?: number;
  /** HTTP status; default 500 (or 400 when `error` is given). With only `delayMs`, the real response is delayed. */
  status?: number;
  /** Raw body; an object is sent as JSON, a string as is (non-JSON bodies test parsers). */
  body?: unknown;
  headers?: Record<string, string>;
  delayMs?: number;
  /** Entra-shaped error instead of `body` (token/metadata: JSON; authorize: redirect to the client). */
  error?: string;
  errorCode?: number;
  errorDescription?: string;
  suberror?: string;
  /** Leave out the CORS headers (browser MSAL then sees a network error). Default: CORS kept on Entra/Graph. */
  omitCors?: boolean;
}

export interface ActiveFault extends FaultSpec {
  id: string;
  remaining: number;
}

export interface Faults {
  add(spec: FaultSpec): ActiveFault;
  /** Consumes and returns the first fault matching this request, if any. */
  take(endpoint: FaultEndpoint, path: string): ActiveFault | undefined;
  list(): ActiveFault[];
  clear(): void;
}

export function createFaults(): Faults {
  let active: ActiveFault[] = [];
  return {
    add(spec) {
      if (!FAULT_ENDPOINTS.includes(spec.endpoint)) {
        throw new TypeError(
          `unknown fault endpoint "${String(spec.endpoint)}"; use one of ${FAULT_ENDPOINTS.join(', ')}`,
        );
      }
      const times = spec.times ?? 1;
      if (!Number.isInteger(times) || times < 1) throw new TypeError('fault "times" must be a positive integer');
      const fault: ActiveFault = { ...spec, id: randomUUID(), remaining: times };
      active.push(fault);
      return fault;
    },
    take(endpoint, path) {
      const fault = active.find(
        (f) => f.endpoint === endpoint && (!f.path || path === f.path || path.endsWith(f.path)),
      );
      if (!fault) return undefined;
      fault.remaining -= 1;
      if (fault.remaining <= 0) active = active.filter((f) => f !== fault);
      return { ...fault };
    },
    list: () => active.map((f) => ({ ...f })),
    clear() {
      active = [];
    },
  };
}
