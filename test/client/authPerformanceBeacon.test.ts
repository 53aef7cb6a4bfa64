// The SPA's auth-timing beacon forwards only operation, duration, outcome and an error code, batched.
import { expect } from 'chai';
import fc from 'fast-check';
import { startAuthPerformanceBeacon, toTelemetryEvent } from '../../client/features/auth/authPerformanceBeacon';
import { AUTH_TELEMETRY_OPERATIONS } from '../../shared-types/authTelemetry';

type Callback = Parameters<Parameters<typeof startAuthPerformanceBeacon>[0]['addPerformanceCallback']>[0];

describe('auth performance beacon', () => {
  it('keeps only the allow-listed fields of any msal-browser event, whatever else it carries', () => {
    fc.assert(
      fc.property(
        fc.record({
          name: fc.oneof(fc.constantFrom(...AUTH_TELEMETRY_OPERATIONS), fc.string()),
          durationMs: fc.oneof(fc.double(), fc.constant(undefined)),
          success: fc.oneof(fc.boolean(), fc.constant(null)),
          errorCode: fc.oneof(fc.string(), fc.constantFrom('interaction_required', 'no_tokens_found')),
          accountId: fc.string(),
          correlationId: fc.uuid(),
          scopes: fc.string(),
        }),
        (e) => {
          const out = toTelemetryEvent(e);
          if (!out) return;
          expect(
            Object.keys(out).every((k) => ['operation', 'durationMs', 'success', 'errorCode'].includes(k)),
          ).to.equal(true);
          expect(AUTH_TELEMETRY_OPERATIONS).to.include(out.operation);
          expect(out.durationMs).to.be.within(0, 600_000);
          if (out.errorCode !== undefined) {
            expect(out.success).to.equal(false);
            expect(out.errorCode).to.match(/^[a-z0-9_]{1,64}$/);
          }
        },
      ),
    );
  });

  it('sends one beacon per burst of events, at most one per 5 s, and never on its own (no timers)', () => {
    let callback: Callback | undefined;
    const sent: string[] = [];
    const deferred: (() => void)[] = [];
    let clock = 1_000;
    const flush = startAuthPerformanceBeacon(
      { addPerformanceCallback: (cb) => ((callback = cb), 'id') },
      { send: (b) => sent.push(b), now: () => clock, defer: (fn) => deferred.push(fn) },
    );
    const event = (name: string, success = true) => ({
      name,
      durationMs: 12.6,
      success,
      correlationId: 'c',
      eventId: 'e',
      startTimeMs: 0,
      status: 2,
      authority: 'a',
      libraryName: 'l',
      libraryVersion: 'v',
      clientId: 'x',
    });
    callback!([event('acquireTokenByCode'), event('getAllAccounts')] as never);
    callback!([event('acquireTokenSilent', false)] as never);
    expect(deferred, 'one send scheduled for the burst').to.have.length(1);
    deferred.shift()!();
    expect(sent.map((b) => JSON.parse(b))).to.deep.equal([
      {
        events: [
          { operation: 'acquireTokenByCode', durationMs: 13, success: true },
          { operation: 'acquireTokenSilent', durationMs: 13, success: false },
        ],
      },
    ]);
    clock += 1_000;
    callback!([event('acquireTokenSilent')] as never);
    expect(deferred, 'within 5 s of the last beacon: queued, nothing scheduled').to.have.length(0);
    clock += 10 * 60_000;
    expect(sent, 'idle: nothing is sent by time passing').to.have.length(1);
    flush(); // pagehide
    expect(sent).to.have.length(2);
    expect(JSON.parse(sent[1]!)).to.deep.equal({
      events: [{ operation: 'acquireTokenSilent', durationMs: 13, success: true }],
    });
  });
});
