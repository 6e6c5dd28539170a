/**
 * Delivery benchmark: end-to-end delivery of N personalised messages (default 20,000) through a running
 * Presswork server (child process) to a local SMTP server (another child process), beside the peer —
 * nodemailer's own pooled raw hand-off of pre-rendered messages to the same SMTP server, same connections —
 * and beside nodemailer's SMTPConnection sending the same messages one at a time per connection.
 * While the job runs, the HTTP API is probed (GET job status) for latency; afterwards POST /api/v1/messages
 * is timed request → response (the response comes after the SMTP hand-off).
 *
 *   npx tsx tests/bench/delivery.bench.ts            BENCH_N=5000 BENCH_RUNS=3 to change size and repeats
 *
 * Output: JSON lines; figures are medians over the runs.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, availableParallelism } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import nodemailer from 'nodemailer';
import SMTPConnection from 'nodemailer/lib/smtp-connection';
import { SMTPServer } from 'smtp-server';
import { samplePackage } from '../server/harness';
import { openDatabase } from '../../server/store/db';
import { TokensRepo } from '../../server/store/tokens-repo';
import { composerFactory } from '../../server/delivery/composers';
import { buildMime } from '../../server/delivery/mime';

const SELF = fileURLToPath(import.meta.url);
const BIN = fileURLToPath(new URL('../../bin/presswork.mjs', import.meta.url));
const N = Number(process.env.BENCH_N ?? 20_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 1);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 5);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s[Math.floor((s.length - 1) / 2)]! + s[Math.ceil((s.length - 1) / 2)]!) / 2 : NaN;
}
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] ?? NaN;
const line = (o: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(o)}\n`);

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
}

interface Sink {
  port: number;
  count(reset?: boolean): Promise<number>;
  child: ChildProcess;
}

async function startSink(): Promise<Sink> {
  const child = spawn(process.execPath, ['--import', 'tsx', SELF, '--sink'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const port = await new Promise<number>((resolve) => child.once('message', (m: { port: number }) => resolve(m.port)));
  return {
    port,
    child,
    count: (reset = false) =>
      new Promise((resolve) => {
        child.once('message', (m: { count: number }) => resolve(m.count));
        child.send(reset ? { reset: true } : { count: true });
      }),
  };
}

async function waitCount(sink: Sink, n: number, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while ((await sink.count()) < n) {
    if (Date.now() > until) throw new Error(`sink received fewer than ${n} messages in ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function records(n: number) {
  const dealers = ['NS01', 'LK02', 'MV03'];
  const makes = ['Subaru', 'Ford', 'Kia', 'Toyota'];
  return Array.from({ length: n }, (_, i) => ({
    customer_id: `C-${String(i).padStart(6, '0')}`,
    first_name: `Name${i}`,
    last_name: 'Bench',
    email: `user${i}@d${i % 20}.example`,
    address1: `${i} Main Street`,
    city: 'Columbus',
    state: 'OH',
    postal_code: '43215',
    vehicle_year: 2015 + (i % 10),
    vehicle_make: makes[i % 4]!,
    vehicle_model: 'Model',
    last_service_date: '2026-05-14',
    mileage: 10_000 + i,
    dealer_id: dealers[i % 3]!,
    offer_eligible: i % 2 === 0,
    offer_amount: i % 2 === 0 ? 25 : 0,
  }));
}

/**
 * The peer: nodemailer's pooled SMTP transport handing off pre-rendered raw messages, at its best: the same
 * connections and maxMessages as the server, and fed a bounded window (four messages per connection
 * outstanding, so every connection always has the next one queued). Handing it all N at once is slower
 * (N MIME compilations up front and a queue of N), which would flatter the ratio.
 */
async function peer(sink: Sink, raws: Buffer[]): Promise<number> {
  await sink.count(true);
  const t = nodemailer.createTransport({
    pool: true,
    host: '127.0.0.1',
    port: sink.port,
    maxConnections: CONNECTIONS,
    maxMessages: Infinity,
    secure: false,
    ignoreTLS: true,
  });
  const start = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: 4 * CONNECTIONS }, async () => {
      while (next < raws.length) {
        const i = next++;
        await t.sendMail({ envelope: { from: 'service@bench.example', to: [`user${i}@d${i % 20}.example`] }, raw: raws[i]! });
      }
    }),
  );
  const secs = (performance.now() - start) / 1000;
  t.close();
  return raws.length / secs;
}

/**
 * A second reference: nodemailer's SMTPConnection (the protocol layer under the pool, which Presswork's
 * transport uses) on the same number of connections, each sending the pre-rendered messages one after
 * another. Thinner per message than the pooled transport: the ceiling for a client that skips `sendMail`.
 */
async function peerConnections(sink: Sink, raws: Buffer[]): Promise<number> {
  await sink.count(true);
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      const conn = new SMTPConnection({ host: '127.0.0.1', port: sink.port, secure: false, ignoreTLS: true, logger: false });
      await new Promise<void>((resolve, reject) => conn.connect((err) => (err ? reject(err) : resolve())));
      while (next < raws.length) {
        const i = next++;
        await new Promise<void>((resolve, reject) =>
          conn.send({ from: 'service@bench.example', to: [`user${i}@d${i % 20}.example`] }, raws[i]!, (err) =>
            err ? reject(err) : resolve(),
          ),
        );
      }
      conn.quit();
    }),
  );
  return raws.length / ((performance.now() - start) / 1000);
}

async function main(): Promise<void> {
  const sink = await startSink();
  try {
    await measure(sink);
  } finally {
    sink.child.kill();
  }
}

async function measure(sink: Sink): Promise<void> {
  const { pkg, zip } = await samplePackage();
  const recs = records(N);

  // Pre-render the peer's messages with the same engine (not timed): the peer measures hand-off only.
  const composer = await composerFactory(pkg.document, { today: '2026-11-22', assetUrl: (s) => `http://127.0.0.1/a/${s}` });
  const raws = recs.map((r, i) => {
    const c = composer.compose(
      r,
      i + 1,
      { unsubscribe_url: `http://127.0.0.1/u/${i}`, open_pixel_url: `http://127.0.0.1/t/o/${i}.gif` },
      (u) => u,
    );
    if (!c.ok) throw new Error(c.reason);
    return buildMime({ ...c.email, messageId: `<b${i}@bench.example>`, date: new Date() });
  });

  const peerRates: number[] = [];
  const connRates: number[] = [];
  const ourRates: number[] = [];
  const apiP95: number[] = [];
  const apiP50: number[] = [];
  const msgP95: number[] = [];
  const msgP50: number[] = [];

  for (let run = 0; run < RUNS; run++) {
    peerRates.push(await peer(sink, raws));
    connRates.push(await peerConnections(sink, raws));

    const dir = mkdtempSync(join(tmpdir(), 'presswork-bench-'));
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    // BENCH_PROFILE_DIR=/tmp/x writes the server's CPU profiles (main thread and each worker) there.
    const profile = process.env.BENCH_PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`] : [];
    const server = spawn(process.execPath, [...profile, BIN, 'serve'], {
      env: {
        PATH: process.env.PATH,
        PRESSWORK_DATA_DIR: dir,
        PRESSWORK_PORT: String(port),
        PRESSWORK_SMTP_HOST: '127.0.0.1',
        PRESSWORK_SMTP_PORT: String(sink.port),
        PRESSWORK_SMTP_MAX_CONNECTIONS: String(CONNECTIONS),
        PRESSWORK_LOG_LEVEL: 'error',
        PRESSWORK_MAX_UPLOAD_MB: '200',
        ...(process.env.PRESSWORK_WORKERS ? { PRESSWORK_WORKERS: process.env.PRESSWORK_WORKERS } : {}),
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    try {
      for (let i = 0; ; i++) {
        if (
          await fetch(`${base}/api/v1/health`)
            .then((r) => r.ok)
            .catch(() => false)
        )
          break;
        if (i > 300) throw new Error('server did not start');
        await new Promise((r) => setTimeout(r, 100));
      }
      const db = openDatabase(join(dir, 'presswork.db'));
      const tokens = new TokensRepo(db);
      const pub = tokens.create('publisher', 'bench').token;
      const op = tokens.create('operator', 'bench').token;
      db.close();
      const auth = (t: string) => ({ authorization: `Bearer ${t}` });
      const published = await fetch(`${base}/api/v1/templates`, {
        method: 'POST',
        headers: { ...auth(pub), 'content-type': 'application/zip' },
        body: zip,
      });
      if (published.status !== 201) throw new Error(`publish failed: ${await published.text()}`);

      // Warm the composition workers so the run measures steady state, not worker start-up.
      const warm = await fetch(`${base}/api/v1/messages`, {
        method: 'POST',
        headers: { ...auth(op), 'content-type': 'application/json' },
        body: JSON.stringify({ templateId: 'service-reminder', version: 1, record: recs[0] }),
      });
      if (warm.status !== 200) throw new Error(`warm-up failed: ${await warm.text()}`);

      await sink.count(true);
      const start = performance.now();
      const created = await fetch(`${base}/api/v1/jobs`, {
        method: 'POST',
        headers: { ...auth(op), 'content-type': 'application/json' },
        body: JSON.stringify({ templateId: 'service-reminder', version: 1, channels: ['email'], data: { records: recs } }),
      });
      if (created.status !== 201) throw new Error(`job failed: ${await created.text()}`);
      const job = (await created.json()) as { id: string };
      const latencies: number[] = [];
      let done = false;
      const prober = (async () => {
        while (!done) {
          const t = performance.now();
          const r = await fetch(`${base}/api/v1/jobs/${job.id}`, { headers: auth(op) });
          await r.arrayBuffer();
          latencies.push(performance.now() - t);
          await new Promise((r2) => setTimeout(r2, 50));
        }
      })();
      await waitCount(sink, N, 30 * 60_000);
      const secs = (performance.now() - start) / 1000;
      done = true;
      await prober;
      ourRates.push(N / secs);
      apiP95.push(pct(latencies, 95));
      apiP50.push(pct(latencies, 50));

      const msgLat: number[] = [];
      for (let i = 0; i < 200; i++) {
        const t = performance.now();
        const r = await fetch(`${base}/api/v1/messages`, {
          method: 'POST',
          headers: { ...auth(op), 'content-type': 'application/json' },
          body: JSON.stringify({ templateId: 'service-reminder', version: 1, record: recs[i % recs.length] }),
        });
        const body = (await r.json()) as { status: string };
        if (body.status !== 'sent') throw new Error(`real-time send: ${JSON.stringify(body)}`);
        msgLat.push(performance.now() - t);
      }
      msgP95.push(pct(msgLat, 95));
      msgP50.push(pct(msgLat, 50));
    } finally {
      if (server.exitCode === null && server.signalCode === null) {
        server.kill('SIGTERM');
        await new Promise((r) => server.once('exit', r));
      }
      rmSync(dir, { recursive: true, force: true });
    }
  }

  const peerRate = median(peerRates);
  const connRate = median(connRates);
  const ourRate = median(ourRates);
  const env = { messages: N, runs: RUNS, connections: CONNECTIONS, cpus: availableParallelism() };
  const round = (xs: number[]) => xs.map((x) => +x.toFixed(1));
  line({
    bench: 'delivery.runs',
    peer: round(peerRates),
    peerConnections: round(connRates),
    presswork: round(ourRates),
    apiP95: round(apiP95),
  });
  line({ bench: 'delivery.peer', name: 'nodemailer pooled raw hand-off (pre-rendered)', messagesPerSecond: +peerRate.toFixed(1), ...env });
  line({
    bench: 'delivery.peer-connections',
    name: 'nodemailer SMTPConnection raw hand-off, one message at a time per connection (pre-rendered)',
    messagesPerSecond: +connRate.toFixed(1),
    ...env,
  });
  line({
    bench: 'delivery.presswork',
    name: 'presswork email job end to end (compose + ledger + SMTP)',
    messagesPerSecond: +ourRate.toFixed(1),
    ratioToPeer: +(ourRate / peerRate).toFixed(3),
    ratioToConnections: +(ourRate / connRate).toFixed(3),
    goalRatio: 0.8,
    ...env,
  });
  line({
    bench: 'delivery.api-latency',
    name: 'GET /api/v1/jobs/:id during the job',
    p50Ms: +median(apiP50).toFixed(1),
    p95Ms: +median(apiP95).toFixed(1),
    goalP95Ms: 50,
  });
  line({
    bench: 'delivery.realtime',
    name: 'POST /api/v1/messages request → SMTP hand-off',
    p50Ms: +median(msgP50).toFixed(1),
    p95Ms: +median(msgP95).toFixed(1),
    goalP95Ms: 100,
  });
}

// ── SMTP sink mode (child process): accept everything, count messages, report counts over IPC ──────────
if (process.argv.includes('--sink')) {
  let count = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, _s, cb) {
      stream.on('data', () => undefined);
      stream.on('end', () => {
        count++;
        cb();
      });
    },
  });
  server.listen(0, '127.0.0.1', () => process.send!({ port: (server.server.address() as { port: number }).port }));
  process.on('message', (m: { count?: boolean; reset?: boolean }) => {
    if (m.reset) count = 0;
    process.send!({ count });
  });
} else {
  await main();
}
