// Microsoft Graph's error shape and headers: {error:{code,message,innerError:{date,request-id,client-request-id}}}.
import { randomUUID } from 'node:crypto';
import { withCors } from '../http/cors';
import { header, json, type EmuRequest, type EmuResponse } from '../http/types';

/** request-id / client-request-id headers Graph sends on every response. */
export function graphIds(req: EmuRequest): { requestId: string; clientRequestId: string } {
  const requestId = randomUUID();
  return { requestId, clientRequestId: header(req, 'client-request-id') ?? requestId };
}

export function graphJson(
  req: EmuRequest,
  status: number,
  body: unknown,
  extra: Record<string, string> = {},
): EmuResponse {
  const { requestId, clientRequestId } = graphIds(req);
  return withCors(
    json(status, body, {
      'content-type':
        'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8',
      'request-id': requestId,
      'client-request-id': clientRequestId,
      'cache-control': 'no-cache',
      ...extra,
    }),
  );
}

export function graphError(
  req: EmuRequest,
  now: number,
  status: number,
  code: string,
  message: string,
  extra: Record<string, string> = {},
): EmuResponse {
  const { requestId, clientRequestId } = graphIds(req);
  const body = {
    error: {
      code,
      message,
      innerError: {
        date: new Date(now).toISOString().replace(/\.\d+Z$/, ''),
        'request-id': requestId,
        'client-request-id': clientRequestId,
      },
    },
  };
  return withCors(
    json(status, body, {
      'content-type': 'application/json',
      'request-id': requestId,
      'client-request-id': clientRequestId,
      ...extra,
    }),
  );
}
