import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { FastifyBaseLogger } from 'fastify';
import type { Config } from './config';
import { openDatabase, type Db } from './store/db';
import { TokensRepo } from './store/tokens-repo';
import { AssetsRepo } from './store/assets-repo';
import { TemplatesRepo } from './store/templates-repo';
import { DatasetsRepo } from './store/datasets-repo';
import { JobsRepo } from './store/jobs-repo';
import { DeliveriesRepo } from './store/deliveries-repo';
import { SuppressionsRepo } from './store/suppressions-repo';
import { WorkerPool } from './jobs/pool';
import { JobRunner } from './jobs/runner';
import { DeliveryEngine } from './delivery/engine';
import { socialIcons } from './email/icons';
import { outboxTransport, smtpTransport, type Transport } from './delivery/transport';

/** Everything the HTTP layer and the CLI work with, built from one configuration. */
export interface Services {
  config: Config;
  db: Db;
  secret: string;
  outboxDir: string;
  tokens: TokensRepo;
  assets: AssetsRepo;
  templates: TemplatesRepo;
  datasets: DatasetsRepo;
  jobs: JobsRepo;
  deliveries: DeliveriesRepo;
  suppressions: SuppressionsRepo;
  pool: WorkerPool;
  transport: Transport;
  engine: DeliveryEngine;
  runner: JobRunner;
  close(): Promise<void>;
}

export const databasePath = (config: Pick<Config, 'dataDir'>): string => join(config.dataDir, 'presswork.db');

/** The signing secret: configured, or generated once and kept in the data folder (mode 600). */
function loadSecret(config: Config): string {
  if (config.secret) return config.secret;
  const file = join(config.dataDir, 'secret.key');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
  return secret;
}

const today = () => new Date().toISOString().slice(0, 10);

export function createServices(config: Config, log: FastifyBaseLogger, transportOverride?: Transport): Services {
  mkdirSync(config.dataDir, { recursive: true });
  const db = openDatabase(databasePath(config));
  const secret = loadSecret(config);
  const outboxDir = join(config.dataDir, 'outbox');
  const tokens = new TokensRepo(db);
  const assets = new AssetsRepo(db, join(config.dataDir, 'assets'));
  // Presswork's own social icons, linked from sent mail under the public URL like any stored asset.
  for (const icon of socialIcons()) assets.put(icon.bytes, 'image/png', icon.sha256);
  const templates = new TemplatesRepo(db);
  const datasets = new DatasetsRepo(db);
  const jobs = new JobsRepo(db);
  const deliveries = new DeliveriesRepo(db);
  const suppressions = new SuppressionsRepo(db);
  const transport = transportOverride ?? (config.smtp ? smtpTransport(config.smtp) : outboxTransport(outboxDir));
  const pool = new WorkerPool(config.workers, {
    secret,
    publicUrl: config.publicUrl,
    ...(config.dkim ? { dkim: config.dkim } : {}),
    ...(config.unsubscribeMailto ? { unsubscribeMailto: config.unsubscribeMailto } : {}),
  });
  // The runner and the engine refer to each other: the engine reports drained jobs to the runner.
  const engine = new DeliveryEngine({
    deliveries,
    suppressions,
    templates,
    jobs,
    pool,
    transport,
    limits: config.limits,
    retry: config.limits,
    log,
    today,
    onJobDrained: (jobId) => runner.finishIfDone(jobId),
  });
  const runner = new JobRunner({
    jobs,
    deliveries,
    datasets,
    templates,
    engine,
    pool,
    log,
    assetsDir: join(config.dataDir, 'assets'),
    jobsDir: join(config.dataDir, 'jobs'),
    today,
  });
  return {
    config,
    db,
    secret,
    outboxDir,
    tokens,
    assets,
    templates,
    datasets,
    jobs,
    deliveries,
    suppressions,
    pool,
    transport,
    engine,
    runner,
    async close() {
      runner.stop();
      await engine.stop();
      await transport.close();
      await pool.close();
      db.close();
    },
  };
}

export { today };
