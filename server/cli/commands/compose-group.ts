import type { Command } from 'commander';

/** The `compose` command group shared by `compose print` and `compose email`: the existing one, or a new one. */
export function composeCommand(program: Command): Command {
  return (
    program.commands.find((c) => c.name() === 'compose') ??
    program.command('compose').description('compose personalised output from a template and data')
  );
}
