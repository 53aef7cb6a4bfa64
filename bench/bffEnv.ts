// The environment a benchmark BFF runs with: emulator mode on the emulator's ports, quiet logs, sign-in rate limits
// raised for scripted sign-ins, memory or Redis store under the run's own key prefix.
import type { EmulatorPorts } from '../emulator/index';

export interface BffEnvOptions {
  port: number;
  emulatorPorts: EmulatorPorts;
  sessionKey: string;
  store: 'memory' | 'redis';
  redisUrl: string;
  redisKeyPrefix: string;
}

export function bffEnv(o: BffEnvOptions): Record<string, string> {
  return {
    AUTH_MODE: 'emulator',
    NODE_ENV: 'development',
    HOST: '127.0.0.1',
    PORT: String(o.port),
    PUBLIC_URL: `http://localhost:${o.port}`,
    CLIENT_DIST_DIR: 'dist/client',
    SESSION_KEYS: o.sessionKey,
    LOG_LEVEL: 'silent',
    RATE_LIMIT_SIGNIN_PER_MINUTE: '100000',
    RATE_LIMIT_SPA_CODE_PER_USER_PER_MINUTE: '100000',
    RATE_LIMIT_CALLBACK_PER_MINUTE: '100000',
    EMULATOR_ENTRA_PORT: String(o.emulatorPorts.entra),
    EMULATOR_GRAPH_PORT: String(o.emulatorPorts.graph),
    EMULATOR_KEYVAULT_PORT: String(o.emulatorPorts.keyVault),
    EMULATOR_MI_PORT: String(o.emulatorPorts.managedIdentity),
    STORE: o.store,
    ...(o.store === 'redis' ? { REDIS_URL: o.redisUrl, REDIS_KEY_PREFIX: o.redisKeyPrefix } : {}),
  };
}
