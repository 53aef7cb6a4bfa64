// Files the e2e tests leave under .artifacts/e2e/ (screenshots and logs per test, JSON measurements).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ARTIFACTS_DIR } from './prerequisites';

export function slug(s: string): string {
  return s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80);
}

export function writeJsonArtifact(name: string, value: unknown): string {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const file = join(ARTIFACTS_DIR, name);
  writeFileSync(file, JSON.stringify(value, null, 2) + '\n');
  return file;
}
