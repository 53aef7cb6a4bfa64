// Which identity provider the app talks to, decided from the raw environment (shared by loadConfig and the scripts).

export type AuthMode = 'emulator' | 'entra';

/** AUTH_MODE when set; otherwise `entra` as soon as ENTRA_CLIENT_ID is configured, else the local emulator. */
export function authModeOf(env: Record<string, string | undefined>): AuthMode | 'invalid' {
  const mode = env.AUTH_MODE?.trim();
  if (mode) return mode === 'emulator' || mode === 'entra' ? mode : 'invalid';
  return env.ENTRA_CLIENT_ID?.trim() ? 'entra' : 'emulator';
}
