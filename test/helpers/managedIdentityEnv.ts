// Points msal-node's App Service managed-identity source (it reads IDENTITY_ENDPOINT / IDENTITY_HEADER itself and keeps
// the chosen source for the process) at a test endpoint, and puts everything back afterwards.
import { ManagedIdentityApplication } from '@azure/msal-node';

const NAMES = ['IDENTITY_ENDPOINT', 'IDENTITY_HEADER'] as const;

/** Sets the managed-identity environment; the returned function restores the previous values and msal-node's state. */
export function setManagedIdentityEnv(endpoint: string, header: string): () => void {
  const saved = NAMES.map((name) => [name, process.env[name]] as const);
  process.env.IDENTITY_ENDPOINT = endpoint;
  process.env.IDENTITY_HEADER = header;
  resetManagedIdentityProcessState();
  return () => {
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    resetManagedIdentityProcessState();
  };
}

/**
 * Forgets msal-node's process-wide managed-identity state (chosen source with its endpoint and network client, and the
 * token cache), so a test can point IDENTITY_ENDPOINT somewhere else. It reaches into msal-node statics: tests only.
 */
export function resetManagedIdentityProcessState(): void {
  const probe = new ManagedIdentityApplication() as unknown as {
    managedIdentityClient: { constructor: Record<string, unknown> };
  };
  const clientClass = probe.managedIdentityClient.constructor;
  delete clientClass.identitySource;
  delete clientClass.sourceName;
  delete (ManagedIdentityApplication as unknown as Record<string, unknown>).nodeStorage;
}
