// What the e2e suite needs before it can run: Chromium, the built SPA, free ports; and where things live.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureSpaBuilt } from '../../../scripts/lib/ensureSpaBuilt';

export { freePort } from '../../../scripts/lib/freePort';

export const ROOT_DIR = fileURLToPath(new URL('../../..', import.meta.url));
export const ARTIFACTS_DIR = join(ROOT_DIR, '.artifacts', 'e2e');
export const CHROMIUM_PATH = '/usr/bin/chromium';

/** Why the e2e suite cannot run here, or null. In CI a missing Chromium is a failure, never a skip. */
export function chromiumMissingReason(): string | null {
  if (existsSync(CHROMIUM_PATH)) return null;
  const reason = `${CHROMIUM_PATH} not found (install Debian's "chromium" package; .ci/run does it)`;
  if (process.env.CI) throw new Error(`e2e: ${reason}. CI must run the browser tests.`);
  return reason;
}

/** Builds dist/client once when it is missing or older than any client source (same rule as `npm start`). */
export function ensureClientBuilt(): void {
  ensureSpaBuilt({
    rootDir: ROOT_DIR,
    onBuild: (reason) =>
      console.log(
        `      e2e: ${reason === 'stale' ? 'the SPA sources changed, rebuilding' : 'building the SPA'} (npm run build:client)…`,
      ),
  });
}
