// The committed schema.graphql is the public contract: it must match the running schema.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';

import { printParleySchema } from '../src/graphql/schema.js';

describe('schema.graphql', () => {
  it('matches the schema the server runs (regenerate with `pnpm print-schema`)', async () => {
    const committed = await readFile(new URL('../../../schema.graphql', import.meta.url), 'utf8');
    assert.equal(committed, printParleySchema());
  });
});
