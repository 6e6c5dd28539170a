#!/usr/bin/env node
// The `presswork` command. Sources are TypeScript, loaded through tsx so that the CLI, the server
// and the tests run the very same files with no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../server/cli/main.ts');
process.exitCode = await main(process.argv);
