// Points msal-node's App Service managed-identity source (it reads IDENTITY_ENDPOINT / IDENTITY_HEADER itself and keeps
// the chosen source for the process) at a test endpoint, and puts everything back afterwards.
import { resetManagedIdentityProcessState } from '../../bff/downstream/managedIdentity';

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
