import type { Command } from 'commander';
import { ConfigError, loadConfig } from '../../config';
import { databasePath } from '../../services';
import { openDatabase } from '../../store/db';
import { TokensRepo } from '../../store/tokens-repo';
import { ROLES, type Role } from '../../../shared/http/schemas';
import { writeErr, writeOut } from '../output';

function withTokens<T>(configFile: string | undefined, dataDir: string | undefined, fn: (repo: TokensRepo) => T): T | undefined {
  let config;
  try {
    config = loadConfig({ ...(configFile ? { file: configFile } : {}), overrides: dataDir ? { dataDir } : {} });
  } catch (e) {
    if (e instanceof ConfigError) {
      writeErr(`presswork token: ${e.message}`);
      process.exitCode = 2;
      return undefined;
    }
    throw e;
  }
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
    .option('--data-dir <dir>', 'data folder (default ./.presswork)')
    .option('--json', 'print {id, role, token} as JSON')
    .action((opts: { role: string; name: string; config?: string; dataDir?: string; json?: boolean }) => {
      if (!(ROLES as readonly string[]).includes(opts.role)) {
        writeErr(`presswork token create: --role must be one of ${ROLES.join(', ')}, not "${opts.role}"`);
        process.exitCode = 2;
        return;
      }
      const created = withTokens(opts.config, opts.dataDir, (repo) => repo.create(opts.role as Role, opts.name));
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
    .option('--data-dir <dir>', 'data folder')
    .action((opts: { config?: string; dataDir?: string }) => {
      const rows = withTokens(opts.config, opts.dataDir, (repo) => repo.list());
      for (const t of rows ?? [])
        writeOut(`${t.id}  ${t.role.padEnd(9)}  ${t.name}  created ${t.createdAt}${t.revoked ? '  REVOKED' : ''}`);
    });
  token
    .command('revoke')
    .description('revoke a token by id')
    .argument('<id>', 'token id (tok_…)')
    .option('-c, --config <file>', 'configuration file (JSON)')
    .option('--data-dir <dir>', 'data folder')
    .action((id: string, opts: { config?: string; dataDir?: string }) => {
      const ok = withTokens(opts.config, opts.dataDir, (repo) => repo.revoke(id));
      if (ok === undefined) return;
      if (!ok) {
        writeErr(`presswork token revoke: no active token ${id}`);
        process.exitCode = 2;
      } else writeOut(`revoked ${id}`);
    });
}
