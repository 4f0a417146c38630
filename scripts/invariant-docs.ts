// Prints docs/invariants.md from the invariant registry: npx tsx scripts/invariant-docs.ts > docs/invariants.md
import { INVARIANTS } from '../src/chaos/invariants/index.js';
import { renderInvariantDocs } from '../src/chaos/invariants/invariant-docs.js';

process.stdout.write(renderInvariantDocs(Object.values(INVARIANTS)));
