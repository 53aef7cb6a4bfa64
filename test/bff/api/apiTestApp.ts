// buildTestApp's twin for API tests that swap a service (the managed-identity provider) or capture the log output.
import { Writable } from 'node:stream';
import request from 'supertest';
import type { Config } from '../../../config/types';
import { createApp } from '../../../bff/app';
import { compileIndexTemplate } from '../../../bff/bootstrap/indexTemplate';
import type { ManagedIdentityTokenProvider } from '../../../bff/downstream/managedIdentity';
import { createLogger } from '../../../bff/http/logger';
import { createServices, type Services } from '../../../bff/services';
import { createMemoryStores } from '../../../bff/store/memoryStores';
import { INDEX_HTML, testConfig } from '../../helpers/testApp';

export interface ApiTestApp {
  services: Services;
  agent: () => ReturnType<typeof request.agent>;
  /** Every log line written so far (level debug), for "never logged" assertions. */
  logText: () => string;
}

export function buildApiTestApp(
  options: { config?: Readonly<Config>; managedIdentity?: (services: Services) => ManagedIdentityTokenProvider } = {},
): ApiTestApp {
  const config = options.config ?? testConfig();
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
  const base = createServices({ config, log: createLogger('debug', sink), stores: createMemoryStores(config) });
  const services: Services = options.managedIdentity ? { ...base, managedIdentity: options.managedIdentity(base) } : base;
  const template = compileIndexTemplate(INDEX_HTML);
  const server = createApp(services, { indexTemplate: { get: async () => template } }).callback();
  return { services, agent: () => request.agent(server), logText: () => lines.join('') };
}
