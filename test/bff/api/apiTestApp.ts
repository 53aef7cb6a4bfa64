// buildTestApp for API tests that swap a service (the managed-identity provider) and read the log output.
import type request from 'supertest';
import type { Config } from '../../../config/types';
import type { ManagedIdentityTokenProvider } from '../../../bff/downstream/managedIdentity';
import type { Services } from '../../../bff/services';
import { captureLogs } from '../../helpers/captureLogs';
import { buildTestApp } from '../../helpers/testApp';

export interface ApiTestApp {
  services: Services;
  agent: () => ReturnType<typeof request.agent>;
  /** Every log line written so far (level debug), for "never logged" assertions. */
  logText: () => string;
}

export function buildApiTestApp(
  options: { config?: Readonly<Config>; managedIdentity?: (services: Services) => ManagedIdentityTokenProvider } = {},
): ApiTestApp {
  const logs = captureLogs('debug');
  const makeProvider = options.managedIdentity;
  const { services, agent } = buildTestApp({
    ...(options.config ? { config: options.config } : {}),
    log: logs.log,
    ...(makeProvider ? { adjustServices: (base: Services) => ({ ...base, managedIdentity: makeProvider(base) }) } : {}),
  });
  return { services, agent, logText: logs.text };
}
