import type { Command } from 'commander';
import { formatChecks, runDoctor } from '../doctor';
import { writeOut } from '../output';
import { DATA_DIR_HELP, loadStoreConfig } from '../store';

export function registerDoctor(program: Command): void {
  program
    .command('doctor')
    .description('check what Presswork needs on this machine and print the command that fixes anything missing')
    .option('-c, --config <file>', 'configuration file (JSON)')
    .option('--data-dir <dir>', DATA_DIR_HELP)
    .option('--server <url>', 'server to check (default: $PRESSWORK_SERVER or http://127.0.0.1:8787)')
    .option('--json', 'print the checks as JSON')
    .addHelpText(
      'after',
      '\nExit codes:\n  0  everything essential is in place (warnings may remain: missing tools for checks, no server running)\n  1  something essential is missing: Node.js too old, the data folder not writable or its disk nearly full,\n     or the configured SMTP relay unreachable or refusing the login\n  2  bad configuration or arguments',
    )
    .action(async (opts: { config?: string; dataDir?: string; server?: string; json?: boolean }) => {
      const config = loadStoreConfig('doctor', opts);
      if (!config) return;
      const checks = await runDoctor(config, opts.server ? { server: opts.server } : {});
      writeOut(opts.json ? JSON.stringify({ checks }, null, 2) : formatChecks(checks));
      process.exitCode = checks.some((c) => c.essential && c.status === 'missing') ? 1 : 0;
    });
}
