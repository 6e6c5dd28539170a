import type { Command } from 'commander';
import { databasePath } from '../../services';
import { openDatabase } from '../../store/db';
import { TokensRepo } from '../../store/tokens-repo';
import { ROLES, type Role } from '../../../shared/http/schemas';
import { writeErr, writeOut } from '../output';
import { announceStore, DATA_DIR_HELP, type StoreOptions } from '../store';

function withTokens<T>(command: string, opts: StoreOptions, fn: (repo: TokensRepo) => T): T | undefined {
  const config = announceStore(`token ${command}`, opts);
  if (!config) return undefined;
  const db = openDatabase(databasePath(config));
  try {
    return fn(new TokensRepo(db));
  } finally {
    db.close();
  }
}

export function registerToken(program: Command): void {
  const token = program.command('token').description('manage API tokens (stored hashed in the server database)');
  token
    .command('create')
    .description(`create a token and print it once; roles: ${ROLES.join(', ')}`)
    .requiredOption('-r, --role <role>', `one of ${ROLES.join(', ')}`)
    .option('-n, --name <name>', 'who or what uses the token', 'cli')
    .option('-c, --config <file>', 'configuration file (JSON)')
    .option('--data-dir <dir>', DATA_DIR_HELP)
    .option('--json', 'print {id, role, token} as JSON')
    .action((opts: { role: string; name: string; config?: string; dataDir?: string; json?: boolean }) => {
      if (!(ROLES as readonly string[]).includes(opts.role)) {
        writeErr(`presswork token create: --role must be one of ${ROLES.join(', ')}, not "${opts.role}"`);
        process.exitCode = 2;
        return;
      }
      const created = withTokens('create', opts, (repo) => repo.create(opts.role as Role, opts.name));
      if (!created) return;
      if (opts.json) writeOut(JSON.stringify({ id: created.id, role: opts.role, token: created.token }));
      else
        writeOut(
          `${created.token}\n(token ${created.id}, role ${opts.role}; shown once — keep it secret; use it as "Authorization: Bearer <token>")`,
        );
    });
  token
    .command('list')
    .description('list tokens (never their secrets)')
    .option('-c, --config <file>', 'configuration file (JSON)')
    .option('--data-dir <dir>', DATA_DIR_HELP)
    .action((opts: { config?: string; dataDir?: string }) => {
      const rows = withTokens('list', opts, (repo) => repo.list());
      for (const t of rows ?? [])
        writeOut(`${t.id}  ${t.role.padEnd(9)}  ${t.name}  created ${t.createdAt}${t.revoked ? '  REVOKED' : ''}`);
    });
  token
    .command('revoke')
    .description('revoke a token by id')
    .argument('<id>', 'token id (tok_…)')
    .option('-c, --config <file>', 'configuration file (JSON)')
    .option('--data-dir <dir>', DATA_DIR_HELP)
    .action((id: string, opts: { config?: string; dataDir?: string }) => {
      const ok = withTokens('revoke', opts, (repo) => repo.revoke(id));
      if (ok === undefined) return;
      if (!ok) {
        writeErr(`presswork token revoke: no active token ${id}`);
        process.exitCode = 2;
      } else writeOut(`revoked ${id}`);
    });
}
