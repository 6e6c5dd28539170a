import { mkdirSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import type { Config } from '../config';

/** Hands a finished message to the next hop: an SMTP relay (pooled) or the development outbox on disk. */
export interface Transport {
  readonly kind: 'smtp' | 'outbox';
  /** Messages handed off concurrently (one per pooled connection). */
  readonly maxInFlight: number;
  send(envelope: { from: string; to: string }, raw: Uint8Array, name: string): Promise<{ response: string }>;
  close(): Promise<void>;
}

/** A refused hand-off. `temporary` (4xx, connection trouble): retry later; otherwise (5xx) a bounce. */
export class SendError extends Error {
  constructor(
    message: string,
    readonly temporary: boolean,
    readonly code: number | undefined,
  ) {
    super(message);
    this.name = 'SendError';
  }
}

export function classifySmtpError(e: unknown): SendError {
  const err = e as { responseCode?: number; response?: string; message?: string; code?: string };
  const code = typeof err.responseCode === 'number' ? err.responseCode : undefined;
  const text = (err.response ?? err.message ?? String(e)).replace(/\s+/g, ' ').slice(0, 500);
  if (code !== undefined && code >= 500) return new SendError(text, false, code);
  return new SendError(code ? text : `${err.code ?? 'ERROR'}: ${text}`, true, code);
}

export function smtpTransport(smtp: NonNullable<Config['smtp']>): Transport {
  const mailer = nodemailer.createTransport({
    pool: true,
    host: smtp.host,
    port: smtp.port,
    secure: smtp.secure,
    maxConnections: smtp.maxConnections,
    maxMessages: Infinity,
    ...(smtp.user ? { auth: { user: smtp.user, pass: smtp.pass ?? '' } } : {}),
    tls: { rejectUnauthorized: smtp.rejectUnauthorized },
    connectionTimeout: 15_000,
    greetingTimeout: 15_000,
    socketTimeout: 60_000,
  });
  return {
    kind: 'smtp',
    maxInFlight: smtp.maxConnections,
    async send(envelope, raw) {
      try {
        const info = await mailer.sendMail({
          envelope: { from: envelope.from, to: [envelope.to] },
          raw: Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength),
        });
        return { response: String(info.response ?? '250 OK') };
      } catch (e) {
        throw classifySmtpError(e);
      }
    },
    async close() {
      mailer.close();
    },
  };
}

/** Development outbox: every message is written to <dataDir>/outbox/<name>.eml instead of being sent. */
export function outboxTransport(dir: string): Transport {
  mkdirSync(dir, { recursive: true });
  return {
    kind: 'outbox',
    maxInFlight: 8,
    async send(_envelope, raw, name) {
      const file = `${name}.eml`;
      await writeFile(join(dir, file), raw);
      return { response: `250 written to outbox/${file}` };
    },
    async close() {},
  };
}
