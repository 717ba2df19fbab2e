// Writes the running schema to schema.graphql at the repository root.
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

import { printParleySchema } from '../src/graphql/schema.js';

const target = fileURLToPath(new URL('../../../schema.graphql', import.meta.url));
await writeFile(target, printParleySchema());
process.stdout.write(`wrote ${target}\n`);
