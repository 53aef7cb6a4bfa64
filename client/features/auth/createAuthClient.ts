// Creates and initializes msal-browser's PublicClientApplication from the bootstrap's settings (in the lazily loaded
// app chunk: msal-browser is the largest library, and the shell paints before it arrives).
import { BrowserPerformanceClient, PublicClientApplication, type Configuration } from '@azure/msal-browser';
import type { BootstrapPayload } from '../../../shared-types/bootstrap';

export async function createAuthClient(settings: BootstrapPayload['msal']): Promise<PublicClientApplication> {
  const auth: Configuration['auth'] = {
    clientId: settings.clientId,
    authority: settings.authority,
    knownAuthorities: settings.knownAuthorities,
    redirectUri: settings.redirectUri,
    postLogoutRedirectUri: settings.postLogoutRedirectUri,
    ...(settings.authorityMetadata && { authorityMetadata: settings.authorityMetadata }),
    ...(settings.cloudDiscoveryMetadata && { cloudDiscoveryMetadata: settings.cloudDiscoveryMetadata }),
    // CAE: the Graph base query answers claims challenges, so Entra may issue long-lived, revocable tokens.
    clientCapabilities: ['cp1'],
  };
  const msal = new PublicClientApplication({
    auth,
    // Without a performance client msal-browser measures nothing; with it, its timings go to the BFF's metrics.
    telemetry: { client: new BrowserPerformanceClient({ auth }) },
    // Per tab, cleared with the tab: a new tab gets its tokens through the fresh-code route instead.
    cache: { cacheLocation: 'sessionStorage' },
  });
  await msal.initialize();
  return msal;
}
