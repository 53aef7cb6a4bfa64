// Row 5: the scripted hybrid sign-in (no browser) from /auth/signin to the bootstrap page with the spa code, repeated
// with a fresh browser each time (so the emulator shows its sign-in page every time).
import { signIn, type SignInResult } from './browser';
import { median, percentile } from './stats';

export interface SignInCost {
  runs: number;
  medianMs: number;
  p90Ms: number;
  requests: number;
}

export async function measureSignIn(
  bffUrl: string,
  user: string,
  runs: number,
): Promise<{ cost: SignInCost; last: SignInResult }> {
  const results: SignInResult[] = [];
  for (let i = 0; i < runs; i++) results.push(await signIn(bffUrl, user));
  const requests = new Set(results.map((r) => r.requests));
  if (requests.size !== 1) throw new Error(`sign-ins took different numbers of requests: ${[...requests].join(', ')}`);
  const ms = results.map((r) => r.ms);
  return {
    cost: { runs, medianMs: median(ms), p90Ms: percentile(ms, 90), requests: results[0]!.requests },
    last: results.at(-1)!,
  };
}
