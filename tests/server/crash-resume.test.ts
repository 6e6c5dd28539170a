import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, samplePackage, startSmtpSink, tempDir, waitFor, type SmtpSink } from './harness';
import { openDatabase } from '../../server/store/db';
import { TokensRepo } from '../../server/store/tokens-repo';

/**
 * Fault test: SIGKILL the server process in the middle of a 2,000-recipient job while real-time messages
 * (POST /api/v1/messages) keep arriving, start it again, let it finish. The ledger at the kill holds at most one
 * message in flight per SMTP connection, job and real-time traffic together. The SMTP server must have received
 * every recipient and every real-time message; a recipient received twice must be one the ledger marked
 * uncertain; the real-time rows in flight at the kill are resolved (sent, listed as uncertain) and the health
 * queue returns to zero; the report adds up.
 */

const BIN = fileURLToPath(new URL('../../bin/presswork.mjs', import.meta.url));
const CONNECTIONS = 3;
const N = 2000;

let sink: SmtpSink;
let tmp: ReturnType<typeof tempDir>;
const children = new Set<ChildProcess>();

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

function serve(port: number): ChildProcess {
  const child = spawn(process.execPath, [BIN, 'serve'], {
    env: {
      PATH: process.env.PATH,
      PRESSWORK_DATA_DIR: tmp.dir,
      PRESSWORK_PORT: String(port),
      PRESSWORK_SMTP_HOST: '127.0.0.1',
      PRESSWORK_SMTP_PORT: String(sink.port),
      PRESSWORK_SMTP_MAX_CONNECTIONS: String(CONNECTIONS),
      PRESSWORK_WORKERS: '1',
      PRESSWORK_LOG_LEVEL: 'error',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

beforeAll(async () => {
  tmp = tempDir('crash');
  sink = await startSmtpSink();
});

afterAll(async () => {
  for (const c of children) c.kill('SIGKILL');
  await sink?.close();
  tmp?.remove();
});

describe('crash and resume', () => {
  it('resumes a killed job with no recipient lost and duplicates only among the uncertain in-flight messages', async () => {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    let child = serve(port);
    await waitFor(
      'server to answer',
      async () =>
        (await fetch(`${base}/api/v1/health`)
          .then((r) => r.ok)
          .catch(() => false)) || undefined,
      30_000,
      200,
    );
    const db = openDatabase(`${tmp.dir}/presswork.db`);
    const tokens = new TokensRepo(db);
    const publisher = client(base, tokens.create('publisher', 'test').token);
    const operator = client(base, tokens.create('operator', 'test').token);
    db.close();

    expect((await publisher('POST', '/api/v1/templates', (await samplePackage()).zip, { 'content-type': 'application/zip' })).status).toBe(
      201,
    );
    const records = Array.from({ length: N }, (_, i) => ({
      customer_id: `C-${i}`,
      first_name: `R${i}`,
      last_name: 'Crash',
      email: `r${i}@d${i % 7}.example`,
      address1: '1 Main St',
      city: 'Columbus',
      state: 'OH',
      postal_code: '43215',
      vehicle_make: 'Subaru',
      last_service_date: '2026-05-14',
      dealer_id: 'NS01',
    }));
    const created = await operator('POST', '/api/v1/jobs', {
      templateId: 'service-reminder',
      version: 1,
      channels: ['email'],
      data: { records },
    });
    expect(created.status, created.text).toBe(201);
    const id = created.json.id as string;

    // Real-time traffic during the job: two requests at a time, each with its own Idempotency-Key.
    const rtRecord = (i: number) => ({ ...records[i % N]!, customer_id: `RT-${i}`, email: `rt${i}@live.example` });
    const rtAnswers = new Map<number, string>();
    let rtNext = 0;
    let rtStop = false;
    const rtLoop = async () => {
      while (!rtStop) {
        const i = rtNext++;
        const r = await operator(
          'POST',
          '/api/v1/messages',
          { templateId: 'service-reminder', version: 1, record: rtRecord(i) },
          {
            'idempotency-key': `rt-${i}`,
          },
        ).catch(() => undefined);
        rtAnswers.set(i, r ? String(r.json?.status ?? r.status) : 'no answer (killed)');
      }
    };
    const rtLoops = [rtLoop(), rtLoop()];

    await waitFor('a few hundred messages', () => (sink.messages.length >= 300 && rtAnswers.size >= 10 ? true : undefined), 120_000, 20);
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    rtStop = true;
    await Promise.all(rtLoops);
    const atKill = sink.messages.length;
    expect(atKill).toBeLessThan(N);
    // What the ledger on disk says was in flight at the kill: at most one message per SMTP connection (the one
    // handed to it and not yet acknowledged, or acknowledged but its 250 not yet committed).
    const ledger = openDatabase(`${tmp.dir}/presswork.db`);
    const inFlight = ledger.prepare("SELECT COUNT(*) FROM deliveries WHERE status = 'sending'").pluck().get() as number;
    const rtInFlight = ledger
      .prepare("SELECT COUNT(*) FROM deliveries WHERE status = 'sending' AND job_id IS NULL")
      .pluck()
      .get() as number;
    const sentAtKill = ledger.prepare("SELECT COUNT(*) FROM deliveries WHERE status = 'sent'").pluck().get() as number;
    ledger.close();
    expect(inFlight).toBeLessThanOrEqual(CONNECTIONS);
    // Every message the ledger calls sent was received (the SMTP server may also hold the in-flight ones).
    expect(sentAtKill).toBeLessThanOrEqual(atKill);
    expect(atKill - sentAtKill).toBeLessThanOrEqual(inFlight);

    child = serve(port);
    await waitFor(
      'the resumed job to complete and the health queue to drain',
      async () => {
        const j = await operator('GET', `/api/v1/jobs/${id}`).catch(() => undefined);
        const h = await operator('GET', '/api/v1/health').catch(() => undefined);
        return j?.json.status === 'completed' && (h?.json.queue as { messagesPending: number } | undefined)?.messagesPending === 0
          ? true
          : undefined;
      },
      240_000,
      250,
    );
    // Every real-time request reached the recipient: repeating it reads 'sent' from the ledger (a request the kill
    // cut off before it reached the ledger is sent now).
    for (let i = 0; i < rtNext; i++) {
      const again = await operator(
        'POST',
        '/api/v1/messages',
        { templateId: 'service-reminder', version: 1, record: rtRecord(i) },
        {
          'idempotency-key': `rt-${i}`,
        },
      );
      expect(again.json.status, `rt-${i} (first answer: ${rtAnswers.get(i)})`).toBe('sent');
    }

    const got = new Map<string, number>();
    for (const m of sink.messages) for (const to of m.to) got.set(to, (got.get(to) ?? 0) + 1);
    for (const r of records) expect(got.get(r.email) ?? 0, r.email).toBeGreaterThanOrEqual(1);
    for (let i = 0; i < rtNext; i++) expect(got.get(`rt${i}@live.example`) ?? 0, `rt${i}`).toBeGreaterThanOrEqual(1);
    const duplicated = [...got].filter(([, n]) => n > 1).map(([e]) => e);

    const report = (await operator('GET', `/api/v1/jobs/${id}/report`)).json;
    expect(report).toMatchObject({ recipients: N, sent: N, queued: 0, bounced: 0, failed: 0 });
    const uncertain = report.uncertain as number;
    // The real-time messages in flight at the kill: retried, and listed as uncertain.
    const rtUncertain = (await operator('GET', '/api/v1/messages?state=uncertain&limit=1000')).json;
    expect(rtUncertain.total).toBe(rtInFlight);
    for (const m of rtUncertain.messages as { status: string }[]) expect(m.status).toBe('sent');
    expect((await operator('GET', '/api/v1/messages?state=pending')).json.total).toBe(0);
    expect(uncertain + rtInFlight).toBe(inFlight);
    expect(duplicated.length).toBeLessThanOrEqual(inFlight);
    for (const e of duplicated.filter((d) => d.endsWith('@live.example')))
      expect((rtUncertain.messages as { to: string }[]).map((m) => m.to)).toContain(e);
    const csv = (await operator('GET', `/api/v1/jobs/${id}/report.csv`)).text;
    for (const e of duplicated.filter((d) => !d.endsWith('@live.example')))
      expect(
        csv.split('\r\n').find((l) => l.includes(`,${e},`)),
        e,
      ).toMatch(/,sent,\d+,\d+,yes,/);
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }, 420_000);
});
