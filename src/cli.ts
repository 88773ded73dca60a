#!/usr/bin/env node
// Entry point of the cri-conformance command.
import { main } from './cli/run.js';

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(
      `cri-conformance: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    );
    process.exit(4);
  },
);
