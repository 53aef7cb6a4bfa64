// --state-dir keeps what every state-changing admin call did: generated from ADMIN_CALLS, so a new call that changes
// state fails here until it has a scenario (and, through it, is shown to survive a restart).
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { decodeJwt } from 'jose';
import { ADMIN_CALLS } from '../../emulator/admin';
import type { EmulatorAdmin, RunningEmulator } from '../../emulator/index';
import { STATE_FILE } from '../../emulator/state/persist';
import {
  Browser,
  WEB_REDIRECT,
  authorize,
  clientCredentialsWithCertificate,
  postToken,
  startTestEmulator,
  userTokens,
} from './helpers';

/** What a scenario may keep between arrange, act and observe (a browser with its session, tokens). */
interface Held {
  browser: Browser;
  refreshToken?: string;
}

interface Scenario {
  /** Puts the emulator into a state the call can change (optional). */
  arrange?(emu: RunningEmulator, held: Held): Promise<void>;
  /** Makes the call under test. */
  act(emu: RunningEmulator): Promise<unknown>;
  /** What the call changed, as the protocol or the admin API shows it; must differ before and after `act`. */
  observe(emu: RunningEmulator, held: Held): Promise<unknown>;
}

const ADELE = 'adele.vance@contoso.example';

const authUrl = (emu: RunningEmulator, params: Record<string, string>) =>
  `${emu.urls.authority}/oauth2/v2.0/authorize?${new URLSearchParams({ client_id: emu.clientId, redirect_uri: WEB_REDIRECT, response_type: 'code', scope: 'openid offline_access User.Read', ...params })}`;

/** The answer to a refresh with the held refresh token: 'ok' or the AADSTS code. */
async function refreshOutcome(emu: RunningEmulator, held: Held): Promise<unknown> {
  const res = await postToken(emu, {
    client_id: emu.clientId,
    client_secret: emu.clientSecret,
    grant_type: 'refresh_token',
    refresh_token: held.refreshToken!,
    scope: 'openid offline_access User.Read',
  });
  return res.status === 200 ? 'ok' : res.body.error_codes;
}

const holdAdeleTokens = async (emu: RunningEmulator, held: Held) => {
  held.refreshToken = String((await userTokens(emu, ADELE)).refresh_token);
};

/** Whether adele signing in for `scope` is asked for consent. */
async function asksConsent(emu: RunningEmulator, scope: string): Promise<boolean> {
  const out = await authorize(new Browser(), authUrl(emu, { scope: `openid ${scope}` }), ADELE);
  return out.page?.includes('id="consentForm"') ?? false;
}

const rolesOf = async (emu: RunningEmulator, user: string) =>
  decodeJwt(String((await userTokens(emu, user, 'openid profile')).id_token)).roles ?? [];

/**
 * The Key Vault's current version of the certificate as the managed identity reads it (secret path, certificate), and
 * whether the app accepts a client assertion signed with that version's key.
 */
async function currentCertificate(emu: RunningEmulator, name: string): Promise<unknown> {
  const mi = await fetch(
    `${emu.urls.identityEndpoint}?${new URLSearchParams({ 'api-version': '2019-08-01', resource: 'https://vault.azure.net' })}`,
    { headers: { 'X-IDENTITY-HEADER': emu.identityHeader } },
  );
  const token = ((await mi.json()) as { access_token: string }).access_token;
  const get = async (path: string) =>
    (await (
      await fetch(`${emu.urls.keyVault}${path}?api-version=7.5`, { headers: { authorization: `Bearer ${token}` } })
    ).json()) as Record<string, string>;
  const cert = await get(`/certificates/${name}`);
  const secret = await get(new URL(cert.sid!).pathname);
  const certificatePem = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(secret.value!)![0];
  const keyPem = /-----BEGIN PRIVATE KEY-----[\s\S]+?-----END PRIVATE KEY-----/.exec(secret.value!)![0];
  const assertion = await clientCredentialsWithCertificate(emu, emu.clientId, certificatePem, keyPem);
  return [new URL(cert.sid!).pathname, cert.cer, assertion.status];
}

async function sendMailAsAdele(emu: RunningEmulator): Promise<void> {
  emu.admin.grantConsent('adele', emu.clientId, ['Mail.Send']);
  const tokens = await userTokens(emu, ADELE, 'openid Mail.Send');
  const res = await fetch(`${emu.urls.graph}/me/sendMail`, {
    method: 'POST',
    headers: { authorization: `Bearer ${String(tokens.access_token)}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      message: { subject: 'kept?', toRecipients: [{ emailAddress: { address: 'alex.wilber@contoso.example' } }] },
    }),
  });
  expect(res.status).to.equal(202);
}

const clockMinutes = (emu: RunningEmulator) => Math.round((emu.admin.now() - Date.now()) / 60_000);

const SCENARIOS: { [K in keyof EmulatorAdmin]?: Scenario } = {
  revokeRefreshTokens: {
    arrange: (emu, held) => holdAdeleTokens(emu, held),
    act: async (emu) => emu.admin.revokeRefreshTokens('adele'),
    observe: refreshOutcome,
  },
  endSessions: {
    arrange: async (emu, held) => {
      await authorize(held.browser, authUrl(emu, {}), ADELE);
    },
    act: async (emu) => emu.admin.endSessions('adele'),
    observe: async (emu, held) => {
      const out = await authorize(held.browser, authUrl(emu, { prompt: 'none' }));
      return out.params?.has('code') ? 'signed in' : out.params?.get('error');
    },
  },
  clearOutbox: {
    arrange: (emu) => sendMailAsAdele(emu),
    act: async (emu) => emu.admin.clearOutbox(),
    observe: async (emu) => emu.admin.outbox().map((m) => m.message.subject),
  },
  advance: {
    act: async (emu) => emu.admin.advance(3 * 3_600_000),
    observe: async (emu) => clockMinutes(emu),
  },
  grantConsent: {
    act: async (emu) => emu.admin.grantConsent('adele', emu.clientId, ['Mail.Send']),
    observe: (emu) => asksConsent(emu, 'Mail.Send'),
  },
  revokeConsent: {
    act: async (emu) => emu.admin.revokeConsent('adele', emu.clientId, ['Mail.Read']),
    observe: (emu) => asksConsent(emu, 'Mail.Read'),
  },
  reset: {
    arrange: async (emu) => {
      emu.admin.grantConsent('adele', emu.clientId, ['Mail.Send']);
      emu.admin.advance(3_600_000);
    },
    act: async (emu) => emu.admin.reset(),
    observe: async (emu) => [await asksConsent(emu, 'Mail.Send'), clockMinutes(emu)],
  },
  setFrontChannelLogoutUrl: {
    act: async (emu) => emu.admin.setFrontChannelLogoutUrl(emu.clientId, 'http://localhost:59999/frontchannel'),
    // What /logout loads in its iframes.
    observe: async (emu) => emu.seed.apps[0]!.frontChannelLogoutUrl,
  },
  revokeSessions: {
    arrange: (emu, held) => holdAdeleTokens(emu, held),
    act: async (emu) => emu.admin.revokeSessions('adele'),
    observe: refreshOutcome,
  },
  disableUser: {
    arrange: (emu, held) => holdAdeleTokens(emu, held),
    act: async (emu) => emu.admin.disableUser('adele'),
    observe: refreshOutcome,
  },
  enableUser: {
    arrange: async (emu, held) => {
      await holdAdeleTokens(emu, held);
      emu.admin.disableUser('adele');
    },
    act: async (emu) => emu.admin.enableUser('adele'),
    observe: refreshOutcome,
  },
  assignAppRole: {
    act: async (emu) => emu.admin.assignAppRole('gina', 'Secrets.Read'),
    observe: (emu) => rolesOf(emu, 'gina@fabrikam.example'),
  },
  removeAppRole: {
    act: async (emu) => emu.admin.removeAppRole('adele', 'Secrets.Read'),
    observe: (emu) => rolesOf(emu, ADELE),
  },
  rotateCertificate: {
    act: (emu) => emu.admin.rotateCertificate('bff-client-cert'),
    observe: (emu) => currentCertificate(emu, 'bff-client-cert'),
  },
};

const stateCalls = Object.entries(ADMIN_CALLS)
  .filter(([, kind]) => kind === 'state')
  .map(([name]) => name as keyof EmulatorAdmin);

describe('emulator --state-dir keeps what every state-changing admin call did', () => {
  let emu: RunningEmulator | undefined;
  afterEach(async () => emu?.close());

  it('classifies every admin call, and has a restart scenario for exactly the state-changing ones', async () => {
    emu = await startTestEmulator();
    expect(Object.keys(emu.admin).sort()).to.deep.equal(Object.keys(ADMIN_CALLS).sort());
    expect(Object.keys(SCENARIOS).sort()).to.deep.equal([...stateCalls].sort());
  });

  for (const name of stateCalls) {
    it(`${name}: the change is saved at once and survives a restart`, async () => {
      const scenario = SCENARIOS[name];
      expect(scenario, `a restart scenario for the state-changing admin call ${name}`).to.not.equal(undefined);
      const dir = mkdtempSync(join(tmpdir(), 'emu-state-'));
      const file = join(dir, STATE_FILE);
      const held: Held = { browser: new Browser() };
      emu = await startTestEmulator({ persistDir: dir });
      await scenario!.arrange?.(emu, held);
      const before = await scenario!.observe(emu, held);
      // Let the saves the arrangement's requests asked for land first (they are debounced by 25 ms).
      await new Promise((r) => setTimeout(r, 100));
      const savedBefore = readOrEmpty(file);
      await scenario!.act(emu);
      // Saved without waiting for close (a crash keeps it): the call itself asks for a save.
      await waitForSave(file, savedBefore);
      const after = await scenario!.observe(emu, held);
      expect(after, `${name} changes what the scenario observes`).to.not.deep.equal(before);
      await emu.close();
      emu = await startTestEmulator({ persistDir: dir });
      expect(await scenario!.observe(emu, held), `${name} after a restart`).to.deep.equal(after);
    });
  }
});

function readOrEmpty(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

/** Waits until the state file differs from `previous` ('' when there was none). */
async function waitForSave(file: string, previous: string): Promise<void> {
  const deadline = Date.now() + 2_000;
  while (readOrEmpty(file) === previous) {
    if (Date.now() > deadline) throw new Error('the call did not save the state file');
    await new Promise((r) => setTimeout(r, 10));
  }
}
