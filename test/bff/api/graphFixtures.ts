// Graph-shaped fixtures for nock: message lists with @odata.nextLink, error bodies, WWW-Authenticate challenges.

export const GRAPH_ORIGIN = 'https://graph.microsoft.com';
export const GRAPH_PATH = '/v1.0';

export function graphMessage(i: number) {
  return {
    '@odata.etag': `W/"CQAAABYAAAB${i}"`,
    id: `AAMkAGI2TG93AAA=${i}`,
    subject: `Subject ${i}`,
    from: { emailAddress: { name: `Sender ${i}`, address: `sender${i}@contoso.example` } },
    receivedDateTime: `2026-11-${String(20 - (i % 19)).padStart(2, '0')}T10:00:00Z`,
    bodyPreview: `Preview ${i}`,
    isRead: i % 2 === 0,
  };
}

export function graphMessageList(options: { count: number; first?: number; nextSkip?: number | null; top?: number }) {
  const first = options.first ?? 0;
  const top = options.top ?? options.count;
  const body: Record<string, unknown> = {
    '@odata.context':
      "https://graph.microsoft.com/v1.0/$metadata#users('aaaaaaaa-1111-4111-8111-111111111111')/messages(id,subject,from,receivedDateTime,bodyPreview,isRead)",
    value: Array.from({ length: options.count }, (_, k) => graphMessage(first + k)),
  };
  if (options.nextSkip !== undefined && options.nextSkip !== null) {
    body['@odata.nextLink'] =
      `https://graph.microsoft.com/v1.0/me/messages?%24top=${top}&%24skip=${options.nextSkip}&%24select=id%2csubject%2cfrom%2creceivedDateTime%2cbodyPreview%2cisRead&%24orderby=receivedDateTime+desc`;
  }
  return body;
}

export function graphError(code: string, message: string) {
  return {
    error: {
      code,
      message,
      innerError: {
        date: '2026-11-21T00:00:00',
        'request-id': '3f2c6a3e-0000-4000-8000-000000000000',
        'client-request-id': '3f2c6a3e-0000-4000-8000-000000000000',
      },
    },
  };
}

/** The claims request a CAE-capable resource sends (`{"access_token":{"nbf":{"essential":true,"value":"…"}}}`). */
export const CAE_CLAIMS = '{"access_token":{"nbf":{"essential":true,"value":"1790000000"}}}';

export function claimsChallengeHeader(claims = CAE_CLAIMS): string {
  return `Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000", error="insufficient_claims", claims="${Buffer.from(claims).toString('base64')}"`;
}

export const EXPIRED_TOKEN_HEADER =
  'Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"';
