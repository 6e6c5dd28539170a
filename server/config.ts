import { readFileSync, existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { availableParallelism } from 'node:os';
import { z } from 'zod';
import { fallbackDataDir, type DataDirOrigin } from './data-dir';

/**
 * Server configuration: embedded defaults, then a JSON file, then environment variables (each layer
 * overrides the one before). Everything is validated at start; a bad value stops the server with one
 * line per problem naming where the value came from and what is expected.
 */

const Positive = z.number().positive();
const RateSchema = z.number().min(0, { error: 'must be 0 (no limit) or a number of messages per second' });

export const ConfigSchema = z.strictObject({
  host: z.string().min(1).default('127.0.0.1'),
  port: z.number().int().min(0).max(65535).default(8787),
  /**
   * Folder holding the SQLite database, stored assets, PDFs and the development outbox. Unset: the nearest
   * `.presswork` folder in or above the current folder, else the per-user default (server/data-dir.ts).
   */
  dataDir: z.string().min(1).optional(),
  /** Base URL that recipients reach (tracking, unsubscribe, images). Defaults to http://host:port. */
  publicUrl: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL like https://mail.example.com' }).optional(),
  /** Secret for signing tracking and unsubscribe URLs; generated and kept in the data folder when absent. */
  secret: z.string().min(32, { error: 'must be at least 32 characters' }).optional(),
  smtp: z
    .strictObject({
      host: z.string().min(1),
      port: z.number().int().min(1).max(65535).default(587),
      secure: z.boolean().default(false),
      user: z.string().optional(),
      pass: z.string().optional(),
      maxConnections: z.number().int().min(1).max(100).default(5),
      /** Reject relays with invalid TLS certificates (turn off only for a local test relay). */
      rejectUnauthorized: z.boolean().default(true),
    })
    .optional(),
  dkim: z
    .strictObject({
      domainName: z.string().min(3),
      keySelector: z.string().min(1),
      /** PEM private key, inline or read from privateKeyFile. */
      privateKey: z.string().optional(),
      privateKeyFile: z.string().optional(),
    })
    .refine((d) => d.privateKey !== undefined || d.privateKeyFile !== undefined, { error: 'needs privateKey or privateKeyFile' })
    .optional(),
  limits: z
    .strictObject({
      /** Messages per second over all domains; 0 = no limit. */
      globalPerSecond: RateSchema.default(0),
      /** Messages per second to one recipient domain; 0 = no limit. */
      perDomainPerSecond: RateSchema.default(0),
      /** Per-domain overrides, e.g. {"gmail.com": 20}. */
      domains: z.record(z.string(), RateSchema).default({}),
      /** Largest upload (package, dataset, job body) in megabytes. */
      maxUploadMb: Positive.max(2048).default(50),
      /** Attempts before a deferred (4xx) message is given up. */
      maxAttempts: z.number().int().min(1).max(100).default(8),
      /** First retry delay after a 4xx, in milliseconds; doubles per attempt. */
      retryBaseMs: z.number().int().min(1).default(30_000),
      /** Longest retry delay, in milliseconds. */
      retryMaxMs: z
        .number()
        .int()
        .min(1)
        .default(30 * 60_000),
    })
    .default({
      globalPerSecond: 0,
      perDomainPerSecond: 0,
      domains: {},
      maxUploadMb: 50,
      maxAttempts: 8,
      retryBaseMs: 30_000,
      retryMaxMs: 30 * 60_000,
    }),
  /** Composition worker threads; default: cores − 1 (at least 1). */
  workers: z.number().int().min(1).max(64).optional(),
  /** Jobs need an approved template version. */
  requireApproval: z.boolean().default(false),
  /** Address for List-Unsubscribe mailto: (optional; the https one-click URL is always present). */
  unsubscribeMailto: z.email().optional(),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});
export type ConfigInput = z.input<typeof ConfigSchema>;

export interface Config extends Omit<z.infer<typeof ConfigSchema>, 'publicUrl' | 'workers' | 'dkim' | 'dataDir'> {
  /** Absolute path of the store. */
  dataDir: string;
  /** Which step of the data-folder order chose dataDir, and in words (printed by every command that opens the store). */
  dataDirOrigin: DataDirOrigin;
  dataDirReason: string;
  publicUrl: string;
  workers: number;
  dkim?: { domainName: string; keySelector: string; privateKey: string };
  /** True when no SMTP relay is configured: mail goes to the development outbox on disk. */
  outbox: boolean;
  /** Where the configuration came from, for the start banner. */
  sources: string[];
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Environment variables and the config key each sets. */
export const ENV_KEYS: Readonly<Record<string, { path: string[]; type: 'string' | 'int' | 'number' | 'bool' }>> = {
  PRESSWORK_HOST: { path: ['host'], type: 'string' },
  PRESSWORK_PORT: { path: ['port'], type: 'int' },
  PRESSWORK_DATA_DIR: { path: ['dataDir'], type: 'string' },
  PRESSWORK_PUBLIC_URL: { path: ['publicUrl'], type: 'string' },
  PRESSWORK_SECRET: { path: ['secret'], type: 'string' },
  PRESSWORK_SMTP_HOST: { path: ['smtp', 'host'], type: 'string' },
  PRESSWORK_SMTP_PORT: { path: ['smtp', 'port'], type: 'int' },
  PRESSWORK_SMTP_SECURE: { path: ['smtp', 'secure'], type: 'bool' },
  PRESSWORK_SMTP_USER: { path: ['smtp', 'user'], type: 'string' },
  PRESSWORK_SMTP_PASS: { path: ['smtp', 'pass'], type: 'string' },
  PRESSWORK_SMTP_MAX_CONNECTIONS: { path: ['smtp', 'maxConnections'], type: 'int' },
  PRESSWORK_SMTP_REJECT_UNAUTHORIZED: { path: ['smtp', 'rejectUnauthorized'], type: 'bool' },
  PRESSWORK_DKIM_DOMAIN: { path: ['dkim', 'domainName'], type: 'string' },
  PRESSWORK_DKIM_SELECTOR: { path: ['dkim', 'keySelector'], type: 'string' },
  PRESSWORK_DKIM_KEY_FILE: { path: ['dkim', 'privateKeyFile'], type: 'string' },
  PRESSWORK_RATE_GLOBAL: { path: ['limits', 'globalPerSecond'], type: 'number' },
  PRESSWORK_RATE_PER_DOMAIN: { path: ['limits', 'perDomainPerSecond'], type: 'number' },
  PRESSWORK_MAX_UPLOAD_MB: { path: ['limits', 'maxUploadMb'], type: 'number' },
  PRESSWORK_MAX_ATTEMPTS: { path: ['limits', 'maxAttempts'], type: 'int' },
  PRESSWORK_RETRY_BASE_MS: { path: ['limits', 'retryBaseMs'], type: 'int' },
  PRESSWORK_WORKERS: { path: ['workers'], type: 'int' },
  PRESSWORK_REQUIRE_APPROVAL: { path: ['requireApproval'], type: 'bool' },
  PRESSWORK_LOG_LEVEL: { path: ['logLevel'], type: 'string' },
};

const DEFAULT_FILE = 'presswork.config.json';

function setPath(target: Record<string, unknown>, path: string[], value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    if (typeof next !== 'object' || next === null) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[path[path.length - 1]!] = value;
}

export interface LoadConfigOptions {
  /** Explicit config file (--config); otherwise PRESSWORK_CONFIG, otherwise ./presswork.config.json if present. */
  file?: string;
  env?: Readonly<Record<string, string | undefined>>;
  /** Values that win over everything (command-line flags, tests). */
  overrides?: ConfigInput;
  cwd?: string;
}

function mergeDeep(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...a };
  for (const [k, v] of Object.entries(b)) {
    if (v === undefined) continue;
    const prev = out[k];
    out[k] =
      typeof v === 'object' && v !== null && !Array.isArray(v) && typeof prev === 'object' && prev !== null && !Array.isArray(prev)
        ? mergeDeep(prev as Record<string, unknown>, v as Record<string, unknown>)
        : v;
  }
  return out;
}

export function loadConfig(opts: LoadConfigOptions = {}): Config {
  const env = opts.env ?? process.env;
  const cwd = opts.cwd ?? process.cwd();
  const problems: string[] = [];
  const sources: string[] = ['defaults'];
  let raw: Record<string, unknown> = {};

  const file = opts.file ?? (env.PRESSWORK_CONFIG || undefined) ?? (existsSync(resolve(cwd, DEFAULT_FILE)) ? DEFAULT_FILE : undefined);
  if (file !== undefined) {
    const path = resolve(cwd, file);
    try {
      const parsed: unknown = JSON.parse(readFileSync(path, 'utf8'));
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
        problems.push(`${path}: must hold a JSON object of settings`);
      else raw = parsed as Record<string, unknown>;
      sources.push(path);
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      problems.push(
        err.code === 'ENOENT' ? `${path}: config file not found` : `${path}: not valid JSON (${err.message}); fix the file or remove it`,
      );
    }
  }

  const fromEnv: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(ENV_KEYS)) {
    const text = env[name];
    if (text === undefined || text === '') continue;
    let value: unknown = text;
    if (spec.type === 'int' || spec.type === 'number') {
      value = Number(text);
      if (!Number.isFinite(value) || (spec.type === 'int' && !Number.isInteger(value))) {
        problems.push(`${name}="${text}": must be ${spec.type === 'int' ? 'a whole number' : 'a number'}`);
        continue;
      }
    } else if (spec.type === 'bool') {
      if (!/^(true|false|1|0|yes|no)$/i.test(text)) {
        problems.push(`${name}="${text}": must be true or false`);
        continue;
      }
      value = /^(true|1|yes)$/i.test(text);
    }
    setPath(fromEnv, spec.path, value);
  }
  if (Object.keys(fromEnv).length) sources.push('environment');
  // A relay URL is the common way to give SMTP settings in one variable.
  if (env.PRESSWORK_SMTP_URL) {
    try {
      const u = new URL(env.PRESSWORK_SMTP_URL);
      if (u.protocol !== 'smtp:' && u.protocol !== 'smtps:') throw new Error('scheme');
      setPath(fromEnv, ['smtp', 'host'], u.hostname);
      if (u.port) setPath(fromEnv, ['smtp', 'port'], Number(u.port));
      else setPath(fromEnv, ['smtp', 'port'], u.protocol === 'smtps:' ? 465 : 587);
      setPath(fromEnv, ['smtp', 'secure'], u.protocol === 'smtps:');
      if (u.username) setPath(fromEnv, ['smtp', 'user'], decodeURIComponent(u.username));
      if (u.password) setPath(fromEnv, ['smtp', 'pass'], decodeURIComponent(u.password));
    } catch {
      problems.push('PRESSWORK_SMTP_URL: must look like smtp://user:password@relay.example.com:587 (or smtps:// for TLS on 465)');
    }
  }

  const merged = mergeDeep(mergeDeep(raw, fromEnv), (opts.overrides ?? {}) as Record<string, unknown>);
  const parsed = ConfigSchema.safeParse(merged);
  if (!parsed.success)
    for (const issue of parsed.error.issues) {
      const key = issue.path.join('.') || '(root)';
      const envName = Object.entries(ENV_KEYS).find(([, s]) => s.path.join('.') === key)?.[0];
      problems.push(`${key}${envName ? ` (file key or ${envName})` : ''}: ${issue.message}`);
    }
  if (problems.length || !parsed.success) throw new ConfigError(problems);
  const c = parsed.data;

  let dkim: Config['dkim'];
  if (c.dkim) {
    let privateKey = c.dkim.privateKey;
    if (privateKey === undefined && c.dkim.privateKeyFile) {
      try {
        privateKey = readFileSync(resolve(cwd, c.dkim.privateKeyFile), 'utf8');
      } catch {
        throw new ConfigError([`dkim.privateKeyFile: cannot read ${resolve(cwd, c.dkim.privateKeyFile)}`]);
      }
    }
    if (!privateKey || !/-----BEGIN (RSA )?PRIVATE KEY-----/.test(privateKey))
      throw new ConfigError(['dkim: the private key must be a PEM block (-----BEGIN PRIVATE KEY-----)']);
    dkim = { domainName: c.dkim.domainName, keySelector: c.dkim.keySelector, privateKey };
  }
  let dataDir: { dir: string; origin: DataDirOrigin; reason: string };
  if (c.dataDir !== undefined) {
    const origin: DataDirOrigin =
      opts.overrides?.dataDir !== undefined
        ? 'flag'
        : (fromEnv as { dataDir?: string }).dataDir !== undefined
          ? 'environment'
          : 'config-file';
    const reason = origin === 'flag' ? '--data-dir' : origin === 'environment' ? 'PRESSWORK_DATA_DIR' : `dataDir in ${sources[1]}`;
    dataDir = { dir: resolve(cwd, c.dataDir), origin, reason };
  } else dataDir = fallbackDataDir(cwd, env);
  const publicHost = c.host === '0.0.0.0' || c.host === '::' ? '127.0.0.1' : c.host;
  return {
    ...c,
    dataDir: dataDir.dir,
    dataDirOrigin: dataDir.origin,
    dataDirReason: dataDir.reason,
    publicUrl: (c.publicUrl ?? `http://${publicHost}:${c.port}`).replace(/\/+$/, ''),
    workers: c.workers ?? Math.max(1, Math.min(4, availableParallelism() - 1)),
    dkim,
    outbox: c.smtp === undefined,
    sources,
  };
}
