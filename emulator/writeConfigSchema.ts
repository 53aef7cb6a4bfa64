// Entry (`npm run emulator:schema`): regenerates emulator/config.schema.json from the zod schema.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CONFIG_SCHEMA_FILE, renderConfigJsonSchema } from './config/jsonSchema';

const target = fileURLToPath(new URL(`../${CONFIG_SCHEMA_FILE}`, import.meta.url));
writeFileSync(target, renderConfigJsonSchema());
console.log(`wrote ${CONFIG_SCHEMA_FILE}`);
