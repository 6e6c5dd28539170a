import type { Command } from 'commander';
import { registerValidate } from './validate';
import { registerDemo } from './demo';
import { registerComposePrint } from './compose-print';
import { registerColor } from './color';
import { registerServe } from './serve';
import { registerToken } from './token';
import { registerComposeEmail, registerPreviewEmail } from './compose-email';
import { registerPreflight } from './preflight';
import { registerPackage } from './package';
import { registerApprovals } from './approvals';
import { registerDoctor } from './doctor';

/** One line per subcommand file. */
export function registerCommands(program: Command): void {
  registerValidate(program);
  registerDemo(program);
  registerComposePrint(program);
  registerColor(program);
  registerServe(program);
  registerToken(program);
  registerComposeEmail(program);
  registerPreviewEmail(program);
  registerPreflight(program);
  registerPackage(program);
  registerApprovals(program);
  registerDoctor(program);
}
