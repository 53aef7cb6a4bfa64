// Per-test bookkeeping for mocha: the sessions a test opened get their artifacts saved and are closed.
import { BrowserSession, type SessionOptions } from './browserSession';
import type { Stack } from './stack';

/** Sessions opened by the running test; `finishTest` saves their artifacts and closes them. */
export class SessionTracker {
  private sessions: BrowserSession[] = [];

  async open(stack: Stack, name: string, options?: SessionOptions): Promise<BrowserSession> {
    const session = await BrowserSession.open(stack, name, options);
    this.sessions.push(session);
    return session;
  }

  async finishTest(test: Mocha.Test | undefined): Promise<void> {
    const sessions = this.sessions;
    this.sessions = [];
    const failed = test?.state === 'failed';
    const title = test?.fullTitle() ?? 'unknown';
    for (const s of sessions) {
      try {
        const paths = await s.saveArtifacts(title, failed);
        if (failed) for (const p of paths) console.log(`      artifact: ${p}`);
      } finally {
        await s.close();
      }
    }
  }
}
