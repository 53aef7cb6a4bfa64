// The end-to-end browser figures the last `npm run test:e2e` wrote (scenario 1), or null when it has not run.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface E2eMetrics {
  authorityNavigations?: number;
  authorizeNavigations?: number;
  tokenRequests?: number;
  callbackToProfileMs?: number;
  callbackToLandingRequestMs?: number;
  landingRequestToProfileMs?: number;
  measuredAt?: string;
}

export function readE2eMetrics(rootDir: string): E2eMetrics | null {
  try {
    return JSON.parse(readFileSync(join(rootDir, '.artifacts/e2e/metrics.json'), 'utf8')) as E2eMetrics;
  } catch {
    return null;
  }
}
