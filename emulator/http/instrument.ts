// Wraps a service handler with request logging and (when test hooks are on) injected faults.
import type { EmulatorContext } from '../context';
import type { ActiveFault, FaultEndpoint } from '../faults';
import type { RequestLogEntry } from '../requestLog';
import type { EmuRequest, EmuResponse, Handler } from './types';

export interface InstrumentOptions {
  service: RequestLogEntry['service'];
  /** Which fault endpoint a request belongs to (undefined: never faulted). */
  endpointOf: (req: EmuRequest) => FaultEndpoint | undefined;
  /** Turns a fault into this service's error response shape. */
  faultResponse: (fault: ActiveFault, req: EmuRequest) => EmuResponse | Promise<EmuResponse>;
}

export function instrument(ctx: EmulatorContext, options: InstrumentOptions, handler: Handler): Handler {
  return async (req) => {
    if (req.url.pathname.startsWith('/_emulator/')) return handler(req);
    const entry = ctx.requestLog.record(options.service, req, ctx.clock.now());
    const endpoint = options.endpointOf(req);
    const fault = ctx.testHooks && endpoint ? ctx.faults.take(endpoint, req.url.pathname) : undefined;
    let res: EmuResponse;
    if (fault && fault.status === undefined && fault.body === undefined && fault.error === undefined) {
      // A delay-only fault slows the real answer down.
      res = { ...(await handler(req)), delayMs: fault.delayMs };
    } else if (fault) {
      const base = await options.faultResponse(fault, req);
      res = { ...base, headers: { ...base.headers, ...fault.headers }, delayMs: fault.delayMs };
    } else {
      res = await handler(req);
    }
    entry.status = res.status;
    if (fault) entry.faultId = fault.id;
    ctx.log(`${options.service} ${req.method} ${req.url.pathname} -> ${res.status}${fault ? ' (injected fault)' : ''}`);
    ctx.stateChanged();
    return res;
  };
}

/** The fault's own body: objects as JSON, strings verbatim. */
export function rawFaultBody(fault: ActiveFault): Pick<EmuResponse, 'body' | 'headers'> | undefined {
  if (fault.body === undefined) return undefined;
  if (typeof fault.body === 'string')
    return { body: fault.body, headers: { 'content-type': 'text/plain; charset=utf-8' } };
  return { body: JSON.stringify(fault.body), headers: { 'content-type': 'application/json; charset=utf-8' } };
}
