// The SPA follows the BFF session: checks (throttled, never sliding unless asked), ending the session in every tab,
// the cross-tab channel and the idle timers.
import { expect } from 'chai';
import nock from 'nock';
import type { SessionResponse } from '../../shared-types/api';
import { secretApi } from '../../client/features/secret/secretApi';
import { profileApi } from '../../client/features/profile/profileApi';
import { checkSession } from '../../client/features/session/checkSession';
import {
  createSessionChannel,
  type SessionChannel,
  type SessionMessage,
  type ChannelHost,
} from '../../client/features/session/sessionChannel';
import { watchSession, type WatchHost } from '../../client/features/session/watchSession';
import { signOut } from '../../client/features/auth/signOut';
import { FakeMsal, makeAccount, makeResult } from './helpers/fakeMsal';
import { API_BASE_URL, buildTestStore, GRAPH_BASE_URL, HOME_ACCOUNT_ID, testBootstrap } from './helpers/testStore';

const BFF = new URL(API_BASE_URL).origin;
const ACTIVE: SessionResponse = {
  signedIn: true,
  accountId: HOME_ACCOUNT_ID,
  idleExpiresInSeconds: 3000,
  absoluteExpiresInSeconds: 40_000,
  signOutUrl: '/auth/signout?token=t',
};
const ENDED: SessionResponse = {
  signedIn: false,
  accountId: null,
  idleExpiresInSeconds: null,
  absoluteExpiresInSeconds: null,
  signOutUrl: null,
};

/** A channel that records what this tab posts and lets a test deliver what "another tab" posts. */
function recordingChannel() {
  const posted: SessionMessage[] = [];
  const listeners = new Set<(m: SessionMessage) => void>();
  const channel: SessionChannel = {
    post: (m) => void posted.push(m),
    subscribe: (l) => (listeners.add(l), () => void listeners.delete(l)),
    close: () => undefined,
  };
  return { channel, posted, deliver: (m: SessionMessage) => listeners.forEach((l) => l(m)) };
}

function signedInStore(options: { clock?: { t: number } } = {}) {
  const clock = options.clock ?? { t: 1_000 };
  const msal = new FakeMsal({
    accounts: [makeAccount(HOME_ACCOUNT_ID)],
    onSilent: async (r) => makeResult(r.account!, r.scopes, 'tok'),
  });
  const rec = recordingChannel();
  const harness = buildTestStore({ msal, clock: () => clock.t, sessionChannel: rec.channel });
  return { ...harness, clock, ...rec };
}

describe('session: checks', () => {
  it('the page load counts as a check: no request within the check interval, one after it; concurrent triggers share one', async () => {
    const { store, clock } = signedInStore();
    expect(await store.dispatch(checkSession()).unwrap()).to.equal('active'); // nock would fail on any request
    clock.t += 30_000;
    const api = nock(BFF).get('/api/session').matchHeader('x-csrf', '1').once().reply(200, ACTIVE);
    const outcomes = await Promise.all([1, 2, 3].map(() => store.dispatch(checkSession()).unwrap()));
    expect(outcomes).to.deep.equal(['active', 'active', 'active']);
    api.done();
    expect(store.getState().session.idleExpiresAt).to.equal(clock.t + 3_000_000);
  });

  it('a plain check never asks the BFF to extend the session; slide only when asked', async () => {
    const { store, clock } = signedInStore();
    clock.t += 60_000;
    const plain = nock(BFF)
      .get('/api/session')
      .query((q) => Object.keys(q).length === 0)
      .reply(200, ACTIVE);
    await store.dispatch(checkSession({ force: true }));
    plain.done();
    clock.t += 60_000;
    const slide = nock(BFF).get('/api/session').query({ slide: 'true' }).reply(200, ACTIVE);
    await store.dispatch(checkSession({ slide: true }));
    slide.done();
  });

  for (const [name, reply] of [
    ['signed out', ENDED],
    ['another account', { ...ACTIVE, accountId: 'someone-else.tenant' }],
  ] as const) {
    it(`a session found ${name} ends this tab: MSAL cache, Graph/BFF caches and the draft cleared, other tabs told`, async () => {
      const { store, clock, msal, posted, storage } = signedInStore();
      storage.setItem('hybrid-spa:mail-draft', JSON.stringify({ to: 'x@y.z', subject: 's', body: 'b' }));
      const graph = nock(GRAPH_BASE_URL)
        .get('/me')
        .reply(200, { id: '1', displayName: 'Adele', userPrincipalName: 'a@x', mail: null });
      await store.dispatch(profileApi.endpoints.me.initiate());
      graph.done();
      expect(Object.keys(store.getState().graphApi.queries)).to.have.length(1);

      clock.t += 31_000;
      nock(BFF).get('/api/session').reply(200, reply);
      expect(await store.dispatch(checkSession()).unwrap()).to.equal('ended');
      const state = store.getState();
      expect(state.auth).to.include({ status: 'signed_out', serverAccount: null, account: null, sessionExpired: true });
      expect(state.session.status).to.equal('ended');
      expect(state.graphApi.queries).to.deep.equal({});
      expect(state.bffApi.queries).to.deep.equal({});
      expect(msal.methods).to.include('clearCache');
      expect(msal.accounts).to.deep.equal([]);
      expect(storage.getItem('hybrid-spa:mail-draft')).to.equal(null);
      expect(posted).to.deep.include({ type: 'ended', reason: 'ended' });
      // Nothing more is asked once ended, and Graph is not called with the old token.
      expect(await store.dispatch(checkSession({ force: true })).unwrap()).to.equal('ended');
      const me = await store.dispatch(profileApi.endpoints.me.initiate());
      expect(me.error).to.include({ code: 'session_ended' });
    });
  }

  it('a network failure or a 5xx is not a reason to sign out', async () => {
    const { store, clock } = signedInStore();
    clock.t += 31_000;
    nock(BFF).get('/api/session').replyWithError('ECONNRESET');
    expect(await store.dispatch(checkSession()).unwrap()).to.equal('unknown');
    clock.t += 31_000;
    nock(BFF).get('/api/session').reply(503, { error: 'store_unavailable' });
    expect(await store.dispatch(checkSession()).unwrap()).to.equal('unknown');
    expect(store.getState().auth.status).to.not.equal('signed_out');
  });

  it('a Graph call after the check interval confirms the session first (sliding it) and is not sent if it ended', async () => {
    const { store, clock, msal } = signedInStore();
    clock.t += 31_000;
    const check = nock(BFF).get('/api/session').query({ slide: 'true' }).reply(200, ENDED);
    await store.dispatch(profileApi.endpoints.me.initiate());
    check.done();
    // No token was asked for, so no Graph request could be made (nock has none either).
    expect(msal.callsTo('acquireTokenSilent')).to.deep.equal([]);
    expect(store.getState().session.status).to.equal('ended');
  });

  it('a 401 from the BFF ends the session in this tab and tells the others', async () => {
    const { store, msal, posted } = signedInStore();
    nock(BFF).get('/api/secret').reply(401, { error: 'login_required', message: 'Sign in again.' });
    const result = await store.dispatch(secretApi.endpoints.secret.initiate());
    expect(result.error).to.include({ status: 401 });
    await new Promise((r) => setTimeout(r, 10));
    expect(msal.methods).to.include('clearCache');
    expect(posted).to.deep.include({ type: 'ended', reason: 'ended' });
  });

  it('sign-out tells the other tabs before navigating and drops the draft', async () => {
    const { store, posted, storage, navigations } = signedInStore();
    storage.setItem('hybrid-spa:mail-draft', '{"to":"x@y.z","subject":"s","body":"b"}');
    await store.dispatch(signOut());
    expect(posted).to.deep.equal([{ type: 'ended', reason: 'signed_out' }]);
    expect(storage.getItem('hybrid-spa:mail-draft')).to.equal(null);
    expect(navigations).to.deep.equal(['/auth/signout?t=abc']);
  });

  it('news from another tab: "ended" ends this one without echoing; "state" updates the expiry and counts as a check', async () => {
    const { store, clock, posted, deliver, channel } = signedInStore();
    const stop = watchSession(store, fakeHost().host, { channel, bootstrap: testBootstrap(), now: () => clock.t });
    clock.t += 40_000;
    deliver({ type: 'state', idleExpiresInSeconds: 10, absoluteExpiresInSeconds: 100 });
    expect(store.getState().session).to.include({ lastCheckedAt: clock.t, idleExpiresAt: clock.t + 10_000 });
    expect(await store.dispatch(checkSession()).unwrap()).to.equal('active'); // no request: nock would fail
    deliver({ type: 'ended', reason: 'signed_out' });
    await new Promise((r) => setTimeout(r, 0));
    expect(store.getState().session).to.include({ status: 'ended', endReason: 'signed_out' });
    expect(
      posted.filter((m) => m.type === 'ended'),
      'echoed to the other tabs',
    ).to.deep.equal([]);
    stop();
  });
});

/** Timers and events under the test's control. */
function fakeHost() {
  let nextId = 1;
  const timers = new Map<number, { at: number; run: () => void }>();
  const intervals = new Map<number, () => void>();
  const listeners: Array<() => void> = [];
  const doc = {
    visibilityState: 'visible' as DocumentVisibilityState,
    addEventListener: (_t: string, l: () => void) => listeners.push(l),
    removeEventListener: () => undefined,
  };
  const host = {
    document: doc as unknown as WatchHost['document'],
    addEventListener: (_t: 'focus', l: () => void) => listeners.push(l),
    removeEventListener: () => undefined,
    setTimeout: (run: () => void, ms: number) => (timers.set(nextId, { at: ms, run }), nextId++),
    clearTimeout: (id: number) => void timers.delete(id),
    setInterval: (run: () => void) => (intervals.set(nextId, run), nextId++),
    clearInterval: (id: number) => void intervals.delete(id),
  } satisfies WatchHost;
  return {
    host,
    doc,
    timers,
    intervals,
    /** Runs the timer due first. */
    runNextTimer() {
      const [id, timer] = [...timers.entries()].sort((a, b) => a[1].at - b[1].at)[0]!;
      timers.delete(id);
      timer.run();
      return timer.at;
    },
    fireVisibility: () => listeners.forEach((l) => l()),
  };
}

describe('session: watcher', () => {
  const bootstrap = testBootstrap({
    session: {
      checkIntervalSeconds: 30,
      pollIntervalSeconds: 60,
      idleNoticeSeconds: 120,
      idleExpiresInSeconds: 600,
      absoluteExpiresInSeconds: 40_000,
    },
  });

  function watched() {
    const clock = { t: 1_000 };
    const msal = new FakeMsal({ accounts: [makeAccount(HOME_ACCOUNT_ID)] });
    const rec = recordingChannel();
    const harness = buildTestStore({ msal, bootstrap, clock: () => clock.t, sessionChannel: rec.channel });
    const fake = fakeHost();
    const stop = watchSession(harness.store, fake.host, {
      channel: rec.channel,
      bootstrap,
      now: () => clock.t,
      random: () => 0,
    });
    return { ...harness, ...rec, clock, fake, stop };
  }

  /** Advances the clock to the timer due first, with the BFF's answer ready, runs it and lets the check settle. */
  async function runTimer(
    w: ReturnType<typeof watched>,
    reply: SessionResponse,
    expectDelay: number,
    query?: Record<string, string>,
  ) {
    const next = Math.min(...[...w.fake.timers.values()].map((t) => t.at));
    expect(next, 'delay of the next timer').to.equal(expectDelay);
    w.clock.t += next;
    const scope = nock(BFF)
      .get('/api/session')
      .query(query ?? ((q) => Object.keys(q).length === 0))
      .reply(200, reply);
    w.fake.runNextTimer();
    for (let i = 0; i < 200 && !scope.isDone(); i++) await new Promise((r) => setTimeout(r, 10));
    await new Promise((r) => setTimeout(r, 20)); // the check's own follow-up (notice, end of session)
    scope.done();
  }

  it('confirms with the BFF before showing the idle notice; "Stay" (slide) hides it; ignoring it ends the session', async () => {
    const w = watched();
    const { store, clock, stop, posted } = w;
    await runTimer(w, { ...ACTIVE, idleExpiresInSeconds: 120 }, 480_000);
    expect(store.getState().session.idleNotice).to.equal(true);

    clock.t += 30_000;
    nock(BFF)
      .get('/api/session')
      .query({ slide: 'true' })
      .reply(200, { ...ACTIVE, idleExpiresInSeconds: 600 });
    await store.dispatch(checkSession({ slide: true, force: true }));
    expect(store.getState().session.idleNotice).to.equal(false);
    expect(posted.at(-1)).to.deep.equal({ type: 'state', idleExpiresInSeconds: 600, absoluteExpiresInSeconds: 40_000 });

    // Ignored this time: the notice, then the expiry check finds the session gone.
    await runTimer(w, { ...ACTIVE, idleExpiresInSeconds: 120 }, 480_000);
    expect(store.getState().session.idleNotice).to.equal(true);
    await runTimer(w, ENDED, 120_000 + 1_000);
    expect(store.getState().session).to.include({ status: 'ended', endReason: 'idle_timeout' });
    expect(store.getState().auth.status).to.equal('signed_out');
    expect(w.fake.timers.size, 'timers left after the end').to.equal(0);
    stop();
  });

  it('the notice is not shown when another request renewed the session meanwhile (rescheduled instead)', async () => {
    const w = watched();
    await runTimer(w, { ...ACTIVE, idleExpiresInSeconds: 590 }, 480_000);
    expect(w.store.getState().session.idleNotice).to.equal(false);
    expect(Math.min(...[...w.fake.timers.values()].map((t) => t.at))).to.equal(470_000);
    w.stop();
  });

  it('a hidden tab does not poll; becoming visible checks (throttled by the interval)', async () => {
    const { clock, fake, stop } = watched();
    expect(fake.intervals.size).to.equal(1);
    fake.doc.visibilityState = 'hidden';
    [...fake.intervals.values()][0]!(); // poll tick while hidden: nothing (nock would fail on a request)
    fake.doc.visibilityState = 'visible';
    fake.fireVisibility(); // within the interval of the page load: nothing
    clock.t += 31_000;
    const check = nock(BFF).get('/api/session').reply(200, ACTIVE);
    fake.fireVisibility();
    await new Promise((r) => setTimeout(r, 20));
    check.done();
    stop();
  });
});

describe('session: cross-tab channel', () => {
  it('BroadcastChannel delivers validated messages to the other tab, not to itself', async () => {
    const a = createSessionChannel({
      BroadcastChannel,
      addEventListener: () => undefined,
      removeEventListener: () => undefined,
    });
    const b = createSessionChannel({
      BroadcastChannel,
      addEventListener: () => undefined,
      removeEventListener: () => undefined,
    });
    const gotA: SessionMessage[] = [];
    const gotB: SessionMessage[] = [];
    a.subscribe((m) => gotA.push(m));
    b.subscribe((m) => gotB.push(m));
    a.post({ type: 'ended', reason: 'signed_out' });
    await new Promise((r) => setTimeout(r, 50));
    expect(gotB).to.deep.equal([{ type: 'ended', reason: 'signed_out' }]);
    expect(gotA).to.deep.equal([]);
    a.close();
    b.close();
  });

  it('without BroadcastChannel, a storage event carries the message and the key is removed at once', () => {
    const storage = new Map<string, string>();
    const listeners: Array<(e: StorageEvent) => void> = [];
    const writes: string[] = [];
    const host: ChannelHost = {
      localStorage: {
        setItem: (k, v) => {
          writes.push(v);
          storage.set(k, v);
          // Another tab's window gets the storage event for this write.
          for (const l of listeners) l({ key: k, newValue: v } as StorageEvent);
        },
        removeItem: (k) => void storage.delete(k),
      },
      addEventListener: (_t, l) => listeners.push(l),
      removeEventListener: () => undefined,
    };
    const channel = createSessionChannel(host);
    const got: SessionMessage[] = [];
    channel.subscribe((m) => got.push(m));
    channel.post({ type: 'ended', reason: 'idle_timeout' });
    channel.post({ type: 'ended', reason: 'idle_timeout' });
    expect(got).to.deep.equal([
      { type: 'ended', reason: 'idle_timeout' },
      { type: 'ended', reason: 'idle_timeout' },
    ]);
    expect(new Set(writes).size, 'each write differs, so each fires an event').to.equal(2);
    expect(storage.size, 'nothing left in localStorage').to.equal(0);
    for (const l of listeners)
      l({ key: 'hybrid-spa:session', newValue: '{"type":"ended","reason":"<script>"}' } as StorageEvent);
    for (const l of listeners) l({ key: 'other', newValue: '{"type":"ended","reason":"ended"}' } as StorageEvent);
    expect(got).to.have.length(2);
  });
});
