import type { Command } from 'commander';
import { startServer } from '../../server';
import { writeErr, writeOut } from '../output';
import { DATA_DIR_HELP, loadStoreConfig, sameStoreHint } from '../store';

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description(
      'start the Presswork server (API, job queue, delivery, tracking); settings from presswork.config.json and PRESSWORK_* variables',
    )
    .option('-c, --config <file>', 'configuration file (JSON)')
    .option('-p, --port <port>', 'port to listen on (default 8787)')
    .option('--host <host>', 'address to listen on (default 127.0.0.1)')
    .option('--data-dir <dir>', DATA_DIR_HELP)
    .action(async (opts: { config?: string; port?: string; host?: string; dataDir?: string }) => {
      const port = opts.port === undefined ? undefined : Number(opts.port);
      if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) {
        writeErr(`presswork serve: --port must be a whole number 0–65535, not "${opts.port}"`);
        process.exitCode = 2;
        return;
      }
      const config = loadStoreConfig('serve', opts, {
        overrides: { ...(port !== undefined ? { port } : {}), ...(opts.host ? { host: opts.host } : {}) },
      });
      if (!config) return;
      const server = await startServer(config);
      const c = server.services.config;
      const hasTokens = server.services.tokens.list().some((t) => !t.revoked);
      writeOut(
        [
          `Presswork server listening on ${server.url}`,
          `  data folder: ${c.dataDir} (${c.dataDirReason})`,
          `               ${sameStoreHint(c)}`,
          `  public URL:  ${c.publicUrl}`,
          c.outbox
            ? `  mail:        development outbox (${server.services.outboxDir}); browse ${server.url}/outbox`
            : `  mail:        SMTP relay ${c.smtp!.host}:${c.smtp!.port} (${c.smtp!.maxConnections} connections)`,
          `  DKIM:        ${c.dkim ? `${c.dkim.keySelector}._domainkey.${c.dkim.domainName}` : 'off'}`,
          `  API:         ${server.url}/api/v1/openapi.json`,
          ...(hasTokens ? [] : ['  no API tokens yet: create one with `presswork token create --role operator`']),
        ].join('\n'),
      );
      await new Promise<void>((resolve) => {
        const stop = (signal: string) => {
          writeOut(`presswork serve: ${signal} received, finishing messages in flight…`);
          void server.close().then(resolve);
        };
        process.once('SIGINT', () => stop('SIGINT'));
        process.once('SIGTERM', () => stop('SIGTERM'));
      });
    });
}
