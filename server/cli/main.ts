import { Command, CommanderError } from 'commander';
import { registerCommands } from './commands/index';

/**
 * The `presswork` command line. Exit codes: 0 success, 1 failure while working, 2 bad input
 * (invalid template or data, wrong arguments). Each subcommand lives in its own file under commands/, listed in
 * commands/index.ts and loaded only when it runs.
 */
export async function main(argv: readonly string[]): Promise<number> {
  const program = new Command('presswork')
    .description('Presswork: personalised print and email from one template.')
    .version('0.1.0')
    // Program options only before the subcommand, so that `approve … --version 2` is the subcommand's option.
    .enablePositionalOptions()
    .showHelpAfterError('(run "presswork --help" for usage)')
    .exitOverride();
  await registerCommands(program, argv.slice(2));
  try {
    await program.parseAsync([...argv]);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    process.stderr.write(`presswork: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
}
