// Root hooks for the e2e run: one emulator + BFF + Chromium for all scenarios, a clean emulator and artifacts per test.
import { rmSync } from 'node:fs';
import {
  ARTIFACTS_DIR,
  chromiumMissingReason,
  SessionTracker,
  startStack,
  type BrowserSession,
  type SessionOptions,
  type Stack,
} from './harness';

let running: Stack | null = null;
const tracker = new SessionTracker();

/** The shared stack (started by the root `beforeAll`). */
export function stack(): Stack {
  if (!running) throw new Error('the e2e stack is not running');
  return running;
}

/** A fresh browser context for the current test; its artifacts are saved and it is closed after the test. */
export function openSession(name: string, options?: SessionOptions): Promise<BrowserSession> {
  return tracker.open(stack(), name, options);
}

/** Like openSession, for another front door to the same emulator and browser (e.g. the dev server). */
export function openSessionOn(on: Stack, name: string, options?: SessionOptions): Promise<BrowserSession> {
  return tracker.open(on, name, options);
}

export const mochaHooks = {
  async beforeAll(this: Mocha.Context): Promise<void> {
    this.timeout(180_000);
    const missing = chromiumMissingReason();
    if (missing) {
      console.log(`      e2e skipped: ${missing}`);
      this.skip();
    }
    rmSync(ARTIFACTS_DIR, { recursive: true, force: true });
    running = await startStack();
  },
  beforeEach(): void {
    // Every scenario starts from the seeded emulator: no sessions, tokens, outbox, faults or clock shift.
    running?.emulator.admin.reset();
  },
  async afterEach(this: Mocha.Context): Promise<void> {
    await tracker.finishTest(this.currentTest);
  },
  async afterAll(): Promise<void> {
    await running?.close();
    running = null;
  },
};
