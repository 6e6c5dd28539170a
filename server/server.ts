import { createServer } from 'node:net';
import { LogController, type FastifyInstance } from 'fastify';
import { loadConfig, type Config, type LoadConfigOptions } from './config';
import { createServices, type Services } from './services';
import { buildApp } from './http/app';
import type { Transport } from './delivery/transport';
import { createLogger } from './log';

export interface RunningServer {
  app: FastifyInstance;
  services: Services;
  url: string;
  close(): Promise<void>;
}

/** A free loopback port, so that the public URL (signed links) is known before the server starts. */
async function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, host, () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

/** Build and start: configuration → store → workers → delivery → HTTP. `listen` is separate from `buildApp`. */
export async function startServer(
  configOrOptions: Config | LoadConfigOptions = {},
  extra: { transport?: Transport; logger?: boolean } = {},
): Promise<RunningServer> {
  let config = 'sources' in configOrOptions ? configOrOptions : loadConfig(configOrOptions);
  if (config.port === 0) {
    const port = await freePort(config.host);
    const explicitUrl = !config.publicUrl.endsWith(':0');
    config = { ...config, port, publicUrl: explicitUrl ? config.publicUrl : config.publicUrl.replace(/:0$/, `:${port}`) };
  }
  const log = createLogger(extra.logger === false ? 'silent' : config.logLevel);
  const services = createServices(config, log, extra.transport);
  const app = buildApp(services, {
    loggerInstance: log,
    logController: new LogController({ disableRequestLogging: config.logLevel !== 'debug' && config.logLevel !== 'trace' }),
  });
  services.runner.start();
  await app.listen({ host: config.host, port: config.port });
  let closing: Promise<void> | undefined;
  return {
    app,
    services,
    url: `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${config.port}`,
    close() {
      closing ??= (async () => {
        await app.close();
        await services.close();
      })();
      return closing;
    },
  };
}
