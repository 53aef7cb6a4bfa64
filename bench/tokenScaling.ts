// Row 2: silent token acquisition vs. users in the store — ours (memory, Redis) and the shared-cache baseline, each in
// its own child process, with the emulator's token-endpoint count checked before/after (cache hits only: no requests).
import type { RunningEmulator } from '../emulator/index';
import { runChild } from './children';
import type { ScalingResult } from './tokenScalingWorker';

export interface TokenScalingResult {
  runs: ScalingResult[];
  tokenRequestsDuring: number;
}

export async function runTokenScaling(options: {
  emulator: RunningEmulator;
  blobFile: string;
  sizes: number[];
  env: { memory: Record<string, string>; redis: Record<string, string> };
  progress: (line: string) => void;
}): Promise<TokenScalingResult> {
  const tokenRequests = () =>
    options.emulator.admin.requests({ service: 'entra', pathIncludes: '/oauth2/v2.0/token' }).length;
  options.emulator.admin.clearRequests();
  const before = tokenRequests();
  const runs: ScalingResult[] = [];
  for (const mode of ['memory', 'redis', 'shared'] as const) {
    options.progress(
      `silent token, ${mode === 'shared' ? 'shared-cache baseline' : `ours (${mode})`}: ${options.sizes.join(' / ')} users…`,
    );
    const env = mode === 'redis' ? options.env.redis : options.env.memory;
    runs.push(
      await runChild<ScalingResult>('./tokenScalingWorker.ts', [mode, options.blobFile, options.sizes.join(',')], {
        env,
        execArgv: ['--max-old-space-size=8192', '--expose-gc'],
      }),
    );
  }
  return { runs, tokenRequestsDuring: tokenRequests() - before };
}
