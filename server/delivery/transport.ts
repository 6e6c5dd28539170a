import { mkdirSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import SMTPConnection from 'nodemailer/lib/smtp-connection';
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

/**
 * SMTP hand-off over a fixed set of connections (nodemailer's `SMTPConnection`: its protocol, PIPELINING,
 * STARTTLS and AUTH), one message at a time per connection. Delivery already holds finished RFC 5322 bytes,
 * so nodemailer's `sendMail` pipeline (compiling a MIME tree around the raw message, plugins, a stream per
 * message, requeues behind our back) would be pure cost; and owning the connections makes the in-doubt bound
 * exact: a connection carries at most one message handed off and not yet acknowledged.
 *
 * The engine never has more messages out than there are connections; `send` still queues beyond that, so a
 * caller that does cannot overload a connection.
 */
export function smtpTransport(smtp: NonNullable<Config['smtp']>, idleTimeoutMs = 30_000): Transport {
  interface Slot {
    conn: SMTPConnection | undefined;
    connecting: Promise<SMTPConnection> | undefined;
    busy: boolean;
    idle: NodeJS.Timeout | undefined;
  }
  const slots: Slot[] = Array.from({ length: smtp.maxConnections }, () => ({
    conn: undefined,
    connecting: undefined,
    busy: false,
    idle: undefined,
  }));
  const waiting: ((slot: Slot) => void)[] = [];
  let closed = false;
  const auth = smtp.user ? { user: smtp.user, credentials: { user: smtp.user, pass: smtp.pass ?? '' } } : undefined;

  const drop = (slot: Slot, conn: SMTPConnection, quit = false): void => {
    if (slot.conn === conn) slot.conn = undefined;
    if (quit) conn.quit();
    else conn.close();
  };

  const connect = (slot: Slot): Promise<SMTPConnection> => {
    if (slot.conn) return Promise.resolve(slot.conn);
    slot.connecting ??= new Promise<SMTPConnection>((resolve, reject) => {
      const conn = new SMTPConnection({
        host: smtp.host,
        port: smtp.port,
        secure: smtp.secure,
        tls: { rejectUnauthorized: smtp.rejectUnauthorized },
        connectionTimeout: 15_000,
        greetingTimeout: 15_000,
        socketTimeout: 60_000,
        logger: false,
      });
      let settled = false;
      const fail = (e: unknown) => {
        if (slot.conn === conn) slot.conn = undefined;
        if (settled) return;
        settled = true;
        conn.close();
        reject(e);
      };
      // A send in progress gets the same error through its callback; otherwise the connection is simply gone.
      conn.on('error', fail);
      conn.once('end', () => fail(Object.assign(new Error('connection closed'), { code: 'ECONNECTION' })));
      conn.connect((err) => {
        if (err) return fail(err);
        const ready = () => {
          if (settled) return;
          settled = true;
          slot.conn = conn;
          resolve(conn);
        };
        if (auth && conn.allowsAuth) conn.login(auth, (e) => (e ? fail(e) : ready()));
        else ready();
      });
    }).finally(() => {
      slot.connecting = undefined;
    });
    return slot.connecting;
  };

  const release = (slot: Slot): void => {
    slot.busy = false;
    const next = waiting.shift();
    if (next) {
      slot.busy = true;
      next(slot);
      return;
    }
    // Close a connection left idle (below the five minutes RFC 5321 gives servers), so a reused one is fresh.
    if (slot.idle) slot.idle.refresh();
    else
      slot.idle = setTimeout(() => {
        slot.idle = undefined;
        if (!slot.busy && slot.conn) drop(slot, slot.conn, true);
      }, idleTimeoutMs).unref();
  };

  const acquire = (): Promise<Slot> => {
    // Prefer a connected slot, then any free one (which connects).
    const free = slots.find((s) => !s.busy && s.conn) ?? slots.find((s) => !s.busy);
    if (free) {
      free.busy = true;
      return Promise.resolve(free);
    }
    return new Promise((resolve) => waiting.push(resolve));
  };

  const transmit = (slot: Slot, conn: SMTPConnection, envelope: { from: string; to: string }, raw: Buffer) =>
    new Promise<{ response: string }>((resolve, reject) => {
      conn.send({ from: envelope.from, to: [envelope.to] }, raw, (err, info) => {
        if (!err) {
          release(slot);
          resolve({ response: String(info?.response ?? '250 OK') });
          return;
        }
        const e = err as { code?: string; responseCode?: number };
        // The relay refused this message on a healthy session (RCPT/DATA 4xx or 5xx other than 421):
        // reset the session and keep the connection. Anything else (421, a network error): drop it.
        if ((e.code === 'EENVELOPE' || e.code === 'EMESSAGE') && e.responseCode !== 421 && slot.conn === conn)
          conn.reset((resetErr) => {
            if (resetErr) drop(slot, conn);
            release(slot);
          });
        else {
          drop(slot, conn);
          release(slot);
        }
        reject(classifySmtpError(err));
      });
    });

  return {
    kind: 'smtp',
    maxInFlight: smtp.maxConnections,
    async send(envelope, raw) {
      if (closed) throw new SendError('ECONNECTION: the transport is closed', true, undefined);
      const slot = await acquire();
      let conn: SMTPConnection;
      try {
        conn = await connect(slot);
      } catch (e) {
        release(slot);
        // Connecting or logging in failed (a 535 included): a fault of the relay or of our configuration,
        // never of this recipient. Temporary, so the message is retried rather than bounced and suppressed.
        const err = classifySmtpError(e);
        throw new SendError(err.message, true, err.code);
      }
      return transmit(slot, conn, envelope, Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength));
    },
    async close() {
      closed = true;
      for (const slot of slots) {
        if (slot.idle) clearTimeout(slot.idle);
        if (slot.conn) drop(slot, slot.conn, !slot.busy);
      }
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
