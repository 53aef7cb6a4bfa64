// For entry files only (bff/main.ts, scripts/start.ts): a configuration problem is the operator's to fix, so its list
// is printed without a stack and the process exits 78 (EX_CONFIG); any other error propagates.
import { ConfigError } from './loadConfig';

export const EX_CONFIG = 78;

export function loadConfigOrExit<T>(load: () => T): T {
  try {
    return load();
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    console.error(err.message);
    process.exit(EX_CONFIG);
  }
}
