// The shape of one benchmark run (printed as a table, written as JSON under bench/results/).
import type { BundleSizes } from './bundleSize';
import type { E2eMetrics } from './e2eMetrics';
import type { FirstLoadResult } from './firstLoad';
import type { HeapResult } from './heapWorker';
import type { LoadSummary } from './loadWorker';
import type { RedisBytes } from './memory';
import type { ProductionStartup } from './productionStartup';
import type { SignInCost } from './signInCost';
import type { TokenScalingResult } from './tokenScaling';

export interface Goals {
  bootstrapRatioGoal: number;
  bootstrapRatioFailBelow: number;
  tokenScalingGoal: number;
  tokenScalingFailAbove: number;
}

export const GOALS: Goals = {
  bootstrapRatioGoal: 0.8,
  bootstrapRatioFailBelow: 0.5,
  tokenScalingGoal: 1.2,
  tokenScalingFailAbove: 2.0,
};

export interface BenchResults {
  startedAt: string;
  durationSeconds: number;
  machine: { cpus: number; cpuModel: string; memoryGiB: number; node: string; platform: string };
  settings: {
    connections: number;
    bootstrapSeconds: number;
    apiSeconds: number;
    warmupSeconds: number;
    users: number[];
    signIns: number;
  };
  bootstrap: {
    oursMemory: LoadSummary;
    oursRedis: LoadSummary;
    bare: LoadSummary;
    ratioMemory: number;
    ratioRedis: number;
    oursCluster?: LoadSummary;
    ratioCluster?: number;
  };
  tokenScaling: TokenScalingResult & { p99Ratio: Record<string, number> };
  api: { me: LoadSummary; mail: LoadSummary };
  memory: { redis: RedisBytes; heap: HeapResult; cluster?: RedisBytes };
  signIn: { scripted: SignInCost; browser: E2eMetrics | null };
  bundle: BundleSizes;
  production: ProductionStartup;
  /** Null when Chromium is not installed. */
  firstLoad: FirstLoadResult | null;
  goals: Goals;
  failures: string[];
}
