#!/usr/bin/env node
// The `presswork` command. Sources are TypeScript with no build step: the CLI runs from a compiled cache that is
// rebuilt whenever a source changes, or through tsx (see compiled-cli.mjs), so the CLI, the server and the tests
// run the very same files.
import { loadCli } from './compiled-cli.mjs';

const { main } = await loadCli();
process.exitCode = await main(process.argv);
