// The JSON Schema editors use for emulator config files, generated from the zod schema (the single source).
import { z } from 'zod';
import { emulatorConfigSchema } from './schema';

/** Path of the checked-in schema, relative to the project root (a test keeps it in sync). */
export const CONFIG_SCHEMA_FILE = 'emulator/config.schema.json';

export function buildConfigJsonSchema(): Record<string, unknown> {
  // `input`: what a person writes (fields with defaults are optional). Cross-references are checked at load only.
  const schema = z.toJSONSchema(emulatorConfigSchema, { io: 'input', target: 'draft-2020-12' }) as Record<
    string,
    unknown
  >;
  return { ...schema, title: 'Entra emulator configuration' };
}

/** The file's text: stable formatting so the sync test compares strings. */
export function renderConfigJsonSchema(): string {
  return `${JSON.stringify(buildConfigJsonSchema(), null, 2)}\n`;
}
