// Reads a dotenv-style file into a plain record (no process.env mutation); a missing file is an empty record.
import { existsSync, readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';

export function readEnvFile(path: string): Record<string, string> {
  if (!existsSync(path)) return {};
  return parseEnv(readFileSync(path, 'utf8')) as Record<string, string>;
}

/** The environment the app runs with: `.env` values, overridden by the real environment. */
export function resolveEnv(
  processEnv: Record<string, string | undefined>,
  envFilePath: string,
): Record<string, string | undefined> {
  return { ...readEnvFile(envFilePath), ...processEnv };
}
