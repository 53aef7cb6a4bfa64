// Decides whether a command may trust the local emulator's CA: only in emulator mode, never in production.
import { authModeOf } from '../config/authMode';

export type CaDecision = { trust: true } | { trust: false; reason: string };

/**
 * The emulator CA's private key sits in .emulator/ on disk: whoever reads it can impersonate Entra, Graph and Key
 * Vault to any process trusting that CA. So only the emulator mode trusts it, and never with NODE_ENV=production.
 */
export function emulatorCaDecision(env: Record<string, string | undefined>): CaDecision {
  if (env.NODE_ENV?.trim() === 'production') return { trust: false, reason: 'NODE_ENV=production' };
  const mode = authModeOf(env);
  if (mode === 'emulator') return { trust: true };
  if (mode === 'entra')
    return {
      trust: false,
      reason: env.AUTH_MODE?.trim() ? 'AUTH_MODE=entra' : 'ENTRA_CLIENT_ID is set (AUTH_MODE=entra)',
    };
  return { trust: false, reason: `AUTH_MODE=${String(env.AUTH_MODE).trim()} is not "emulator"` };
}
