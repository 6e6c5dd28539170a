import { afterEach, describe, expect, it } from 'vitest';
import { SMTPServer } from 'smtp-server';
import { SendError, smtpTransport, type Transport } from './transport';

/** The SMTP hand-off against a real SMTP server on loopback: AUTH, one session reused, refusals, a 421. */

interface Got {
  user: string | undefined;
  to: string[];
  body: string;
  session: string;
}

async function sink(): Promise<{ port: number; got: Got[]; close: () => Promise<void> }> {
  const got: Got[] = [];
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, cb) {
      if (auth.username === 'pw' && auth.password === 'secret') return cb(null, { user: 'pw' });
      return cb(new Error('bad credentials'));
    },
    onRcptTo(address, _session, cb) {
      if (address.address.startsWith('refuse')) return cb(Object.assign(new Error('no such mailbox'), { responseCode: 550 }));
      if (address.address.startsWith('busy')) return cb(Object.assign(new Error('closing, try later'), { responseCode: 421 }));
      return cb();
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        got.push({
          user: session.user as string | undefined,
          to: session.envelope.rcptTo.map((r) => r.address),
          body: Buffer.concat(chunks).toString('utf8'),
          session: session.id,
        });
        cb();
      });
    },
  });
  server.on('error', () => undefined);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    port: (server.server.address() as { port: number }).port,
    got,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

const msg = (n: number) => new TextEncoder().encode(`Subject: m${n}\r\n\r\n.line starting with a dot ${n}\r\n`);

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
});

function transport(port: number, maxConnections: number, pass = 'secret'): Transport {
  const t = smtpTransport({ host: '127.0.0.1', port, secure: false, user: 'pw', pass, maxConnections, rejectUnauthorized: true });
  cleanup.push(() => t.close());
  return t;
}

describe('smtpTransport', () => {
  it('logs in, reuses one session per connection, and dot-stuffs the raw bytes', async () => {
    const s = await sink();
    cleanup.push(s.close);
    const t = transport(s.port, 1);
    for (let i = 0; i < 3; i++) await t.send({ from: 'a@example.com', to: `r${i}@example.com` }, msg(i), `m${i}`);
    expect(s.got.map((g) => g.to)).toEqual([['r0@example.com'], ['r1@example.com'], ['r2@example.com']]);
    expect(s.got.every((g) => g.user === 'pw')).toBe(true);
    expect(new Set(s.got.map((g) => g.session)).size).toBe(1);
    expect(s.got[1]!.body).toContain('\r\n.line starting with a dot 1');
  });

  it('never runs more sessions than connections, queueing sends beyond them', async () => {
    const s = await sink();
    cleanup.push(s.close);
    const t = transport(s.port, 2);
    await Promise.all(Array.from({ length: 8 }, (_, i) => t.send({ from: 'a@example.com', to: `r${i}@example.com` }, msg(i), `m${i}`)));
    expect(s.got).toHaveLength(8);
    expect(new Set(s.got.map((g) => g.session)).size).toBeLessThanOrEqual(2);
  });

  it('reports a 5xx as permanent and keeps the session; a 421 as temporary; bad credentials as temporary', async () => {
    const s = await sink();
    cleanup.push(s.close);
    const t = transport(s.port, 1);
    await t.send({ from: 'a@example.com', to: 'r0@example.com' }, msg(0), 'm0');
    const refused = await t.send({ from: 'a@example.com', to: 'refuse@example.com' }, msg(1), 'm1').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(SendError);
    expect(refused).toMatchObject({ temporary: false, code: 550 });
    await t.send({ from: 'a@example.com', to: 'r2@example.com' }, msg(2), 'm2');
    expect(s.got[0]!.session).toBe(s.got[1]!.session);
    const busy = await t.send({ from: 'a@example.com', to: 'busy@example.com' }, msg(3), 'm3').catch((e: unknown) => e);
    expect(busy).toMatchObject({ temporary: true, code: 421 });
    await t.send({ from: 'a@example.com', to: 'r4@example.com' }, msg(4), 'm4');
    expect(s.got.map((g) => g.to[0])).toEqual(['r0@example.com', 'r2@example.com', 'r4@example.com']);

    const wrong = transport(s.port, 1, 'wrong');
    const denied = await wrong.send({ from: 'a@example.com', to: 'r5@example.com' }, msg(5), 'm5').catch((e: unknown) => e);
    expect(denied).toBeInstanceOf(SendError);
    expect(denied).toMatchObject({ temporary: true });
    expect(s.got).toHaveLength(3);
  });
});
