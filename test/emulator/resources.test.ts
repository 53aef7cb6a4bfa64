// Graph, Key Vault and managed identity: token checks, shapes, paging, sendMail outbox, RBAC.
import { expect } from 'chai';
import type { RunningEmulator } from '../../emulator/index';
import { UNAUTHORIZED_MI_CLIENT_ID } from '../../emulator/index';
import { startTestEmulator, userTokens } from './helpers';

describe('emulator resources (Graph, Key Vault, managed identity)', () => {
  let emu: RunningEmulator;
  let adeleToken: string;
  before(async () => {
    emu = await startTestEmulator();
    adeleToken = String((await userTokens(emu, 'adele.vance@contoso.example')).access_token);
  });
  after(async () => emu?.close());

  const graph = (path: string, token: string | undefined, init: RequestInit = {}) =>
    fetch(`${emu.urls.graph}${path}`, {
      ...init,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...init.headers },
    });
  const miToken = async (resource: string, clientId?: string) => {
    const q = new URLSearchParams({
      'api-version': '2019-08-01',
      resource,
      ...(clientId ? { client_id: clientId } : {}),
    });
    const res = await fetch(`${emu.urls.identityEndpoint}?${q}`, {
      headers: { 'X-IDENTITY-HEADER': emu.identityHeader },
    });
    return (await res.json()) as {
      access_token: string;
      expires_on: string;
      resource: string;
      token_type: string;
      client_id: string;
    };
  };
  const secret = (path: string, token?: string, apiVersion = '7.4') =>
    fetch(`${emu.urls.keyVault}${path}?api-version=${apiVersion}`, {
      headers: token ? { authorization: `Bearer ${token}` } : {},
    });

  describe('Graph', () => {
    it('serves /me with the delegated token, and honours $select', async () => {
      const me = (await (await graph('/me', adeleToken)).json()) as Record<string, unknown>;
      expect(me).to.include({
        displayName: 'Adele Vance',
        userPrincipalName: 'adele.vance@contoso.example',
        id: '1a5e0c3b-7d24-4f6e-9b81-3c5d7e9f1a01',
      });
      const narrow = (await (await graph('/me?$select=displayName', adeleToken)).json()) as Record<string, unknown>;
      expect(Object.keys(narrow).sort()).to.deep.equal(['@odata.context', 'displayName', 'id']);
    });

    it('answers 401 InvalidAuthenticationToken without a token, with a wrong audience and once expired', async () => {
      const none = await graph('/me', undefined);
      expect(none.status).to.equal(401);
      const body = (await none.json()) as {
        error: { code: string; message: string; innerError: Record<string, string> };
      };
      expect(body.error).to.include({ code: 'InvalidAuthenticationToken', message: 'Access token is empty.' });
      expect(body.error.innerError).to.include.keys('date', 'request-id', 'client-request-id');
      expect(none.headers.get('access-control-allow-origin')).to.equal('*');

      const vaultToken = (await miToken('https://vault.azure.net')).access_token;
      const wrongAud = await graph('/me', vaultToken);
      expect(wrongAud.status).to.equal(401);
      expect(((await wrongAud.json()) as { error: { message: string } }).error.message).to.match(/Invalid audience/);

      emu.admin.advance(2 * 3600_000);
      try {
        const expired = await graph('/me', adeleToken);
        expect(expired.status).to.equal(401);
        expect(((await expired.json()) as { error: { message: string } }).error.message).to.match(/token is expired/);
      } finally {
        emu.admin.advance(-2 * 3600_000);
      }
    });

    it('answers 403 when the token lacks the permission', async () => {
      const userOnly = String((await userTokens(emu, 'alex.wilber@contoso.example', 'openid User.Read')).access_token);
      const res = await graph('/me/messages', userOnly);
      expect(res.status).to.equal(403);
      expect(((await res.json()) as { error: { code: string } }).error.code).to.equal('ErrorAccessDenied');
      const send = await graph('/me/sendMail', adeleToken, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
      expect(send.status, 'Mail.Send is not consented by default').to.equal(403);
    });

    it('pages messages with $top/$skip and an @odata.nextLink that points back at the emulator', async () => {
      type Page = { value: Array<Record<string, unknown>>; '@odata.nextLink'?: string };
      const first = (await (await graph('/me/messages?$top=10&$select=subject,from', adeleToken)).json()) as Page;
      expect(first.value).to.have.length(10);
      expect(Object.keys(first.value[0]!).sort()).to.deep.equal(['@odata.etag', 'from', 'id', 'subject']);
      const seen = [...first.value];
      let next = first['@odata.nextLink'];
      while (next) {
        expect(next.startsWith(emu.urls.graph)).to.equal(true);
        const page = (await (await fetch(next, { headers: { authorization: `Bearer ${adeleToken}` } })).json()) as Page;
        seen.push(...page.value);
        next = page['@odata.nextLink'];
      }
      expect(seen).to.have.length(25);
      expect(new Set(seen.map((m) => m.id)).size).to.equal(25);
    });

    it('lists contacts and serves a photo only for users who have one', async () => {
      const contacts = (await (await graph('/me/contacts', adeleToken)).json()) as {
        value: Array<{ emailAddresses: unknown[] }>;
      };
      expect(contacts.value.length).to.be.within(3, 5);
      const photo = await graph('/me/photo/$value', adeleToken);
      expect(photo.status).to.equal(200);
      expect(photo.headers.get('content-type')).to.equal('image/png');
      const bobby = String((await userTokens(emu, 'bobby@contoso.example', 'openid User.Read')).access_token);
      const none = await graph('/me/photo/$value', bobby);
      expect(none.status).to.equal(404);
      expect(((await none.json()) as { error: { code: string } }).error.code).to.equal('ImageNotFound');
    });

    it('stores sendMail in the outbox (202) after consent to Mail.Send, and validates recipients', async () => {
      emu.admin.grantConsent('adele', emu.clientId, ['Mail.Send']);
      const token = String((await userTokens(emu, 'adele.vance@contoso.example', 'openid Mail.Send')).access_token);
      const send = (body: unknown) =>
        graph('/me/sendMail', token, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
      const message = {
        subject: 'Hi',
        body: { contentType: 'Text', content: 'Hello' },
        toRecipients: [{ emailAddress: { address: 'alex.wilber@contoso.example' } }],
      };
      const ok = await send({ message, saveToSentItems: false });
      expect(ok.status).to.equal(202);
      expect(await ok.text()).to.equal('');
      const bad = await send({
        message: { ...message, toRecipients: [{ emailAddress: { address: 'not-an-address' } }] },
      });
      expect(bad.status).to.equal(400);
      expect(((await bad.json()) as { error: { code: string } }).error.code).to.equal('ErrorInvalidRecipients');
      expect((await send({ nope: true })).status).to.equal(400);
      const outbox = emu.admin.outbox();
      expect(outbox).to.have.length(1);
      expect(outbox[0]).to.deep.include({ from: 'adele.vance@contoso.example', saveToSentItems: false });
      expect(outbox[0]!.message.subject).to.equal('Hi');
      emu.admin.revokeConsent('adele', emu.clientId, ['Mail.Send']);
    });

    it('answers CORS preflights that ask for Authorization', async () => {
      const res = await fetch(`${emu.urls.graph}/me`, {
        method: 'OPTIONS',
        headers: {
          origin: 'http://localhost:3000',
          'access-control-request-method': 'GET',
          'access-control-request-headers': 'authorization',
        },
      });
      expect(res.status).to.equal(204);
      expect(res.headers.get('access-control-allow-headers')).to.equal('authorization');
    });
  });

  describe('managed identity', () => {
    it('issues a token for the resource with the App Service response shape', async () => {
      const body = await miToken('https://vault.azure.net');
      expect(body).to.include({ resource: 'https://vault.azure.net', token_type: 'Bearer' });
      expect(Number(body.expires_on)).to.be.greaterThan(Date.now() / 1000);
    });

    it('answers 401 without the X-IDENTITY-HEADER and 400 without a resource', async () => {
      const missing = await fetch(
        `${emu.urls.identityEndpoint}?api-version=2019-08-01&resource=https://vault.azure.net`,
      );
      expect(missing.status).to.equal(401);
      expect(await missing.json()).to.include({ statusCode: 401 });
      const noResource = await fetch(`${emu.urls.identityEndpoint}?api-version=2019-08-01`, {
        headers: { 'X-IDENTITY-HEADER': emu.identityHeader },
      });
      expect(noResource.status).to.equal(400);
    });
  });

  describe('Key Vault', () => {
    it('challenges a request without a token with the emulator authority and vault resource', async () => {
      const res = await secret('/secrets/demo-secret');
      expect(res.status).to.equal(401);
      expect(res.headers.get('www-authenticate')).to.equal(
        `Bearer authorization="${emu.urls.authority}", resource="https://vault.azure.net"`,
      );
      expect(((await res.json()) as { error: { code: string } }).error.code).to.equal('Unauthorized');
    });

    it('answers 401 for a Graph-audience token', async () => {
      const res = await secret('/secrets/demo-secret', adeleToken);
      expect(res.status).to.equal(401);
      expect(((await res.json()) as { error: { message: string } }).error.message).to.match(/AKV10022/);
    });

    it('returns the secret to the system-assigned identity', async () => {
      const res = await secret('/secrets/demo-secret', (await miToken('https://vault.azure.net')).access_token);
      expect(res.status).to.equal(200);
      const body = (await res.json()) as {
        value: string;
        id: string;
        attributes: Record<string, unknown>;
        tags: unknown;
      };
      expect(body.value).to.equal('hello-from-key-vault');
      expect(body.id).to.match(new RegExp(`^${emu.urls.keyVault}/secrets/demo-secret/[0-9a-f]{32}$`));
      expect(body.attributes).to.include({ enabled: true, recoveryLevel: 'Recoverable+Purgeable' });
      expect(body.attributes).to.include.keys('created', 'updated');
    });

    it('answers 403 ForbiddenByRbac to an identity without a role, 404 for an unknown secret, 400 for a bad api-version', async () => {
      const denied = await secret(
        '/secrets/demo-secret',
        (await miToken('https://vault.azure.net', UNAUTHORIZED_MI_CLIENT_ID)).access_token,
      );
      expect(denied.status).to.equal(403);
      expect(((await denied.json()) as { error: { innererror: { code: string } } }).error.innererror.code).to.equal(
        'ForbiddenByRbac',
      );
      const token = (await miToken('https://vault.azure.net')).access_token;
      const missing = await secret('/secrets/nope', token);
      expect(missing.status).to.equal(404);
      expect(((await missing.json()) as { error: { code: string } }).error.code).to.equal('SecretNotFound');
      expect((await secret('/secrets/demo-secret', token, 'bogus')).status).to.equal(400);
    });
  });
});
