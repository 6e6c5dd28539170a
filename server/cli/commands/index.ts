import type { Command } from 'commander';
import { registerValidate } from './validate';
import { registerDemo } from './demo';

/** One line per subcommand file. */
export function registerCommands(program: Command): void {
  registerValidate(program);
  registerDemo(program);
}
