/**
 * Real-time send latency: POST /api/v1/messages, request → response (the response comes after the SMTP relay's
 * 250 is committed to the ledger), on a quiet server and while an email job of BENCH_N recipients (default 5,000)
 * is being sent through the same SMTP connections — both measured in the same run against the same server.
 * The server and the SMTP sink (`smtp-server`, counting only) run in their own processes, on loopback.
 *
 *   npx tsx tests/bench/realtime.bench.ts     BENCH_N=5000 BENCH_RUNS=3 BENCH_MESSAGES=100 BENCH_CONNECTIONS=5
 *
 * Output: JSON lines; figures are medians over the runs.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SMTPServer } from 'smtp-server';
import { samplePackage } from '../server/harness';
import { openDatabase } from '../../server/store/db';
import { TokensRepo } from '../../server/store/tokens-repo';

const SELF = fileURLToPath(import.meta.url);
const BIN = fileURLToPath(new URL('../../bin/presswork.mjs', import.meta.url));
const N = Number(process.env.BENCH_N ?? 5_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 100);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 5);

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s[Math.floor((s.length - 1) / 2)]! + s[Math.ceil((s.length - 1) / 2)]!) / 2 : NaN;
};
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

function record(i: number) {
  return {
    customer_id: `C-${String(i).padStart(6, '0')}`,
    first_name: `Name${i}`,
    last_name: 'Bench',
    email: `user${i}@d${i % 20}.example`,
    address1: `${i} Main Street`,
    city: 'Columbus',
    state: 'OH',
    postal_code: '43215',
    vehicle_make: ['Subaru', 'Ford', 'Kia', 'Toyota'][i % 4]!,
    last_service_date: '2026-05-14',
    dealer_id: ['NS01', 'LK02', 'MV03'][i % 3]!,
  };
}

async function main(): Promise<void> {
  const sink = spawn(process.execPath, ['--import', 'tsx', SELF, '--sink'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const sinkPort = await new Promise<number>((resolve) => sink.once('message', (m: { port: number }) => resolve(m.port)));
  const { zip } = await samplePackage();
  const quietP50: number[] = [];
  const quietP95: number[] = [];
  const busyP50: number[] = [];
  const busyP95: number[] = [];
  const busyThroughout: boolean[] = [];
  let key = 0;
  try {
    for (let run = 0; run < RUNS; run++) {
      const dir = mkdtempSync(join(tmpdir(), 'presswork-bench-rt-'));
      const port = await freePort();
      const base = `http://127.0.0.1:${port}`;
      const server: ChildProcess = spawn(process.execPath, [BIN, 'serve'], {
        env: {
          PATH: process.env.PATH,
          PRESSWORK_DATA_DIR: dir,
          PRESSWORK_PORT: String(port),
          PRESSWORK_SMTP_HOST: '127.0.0.1',
          PRESSWORK_SMTP_PORT: String(sinkPort),
          PRESSWORK_SMTP_MAX_CONNECTIONS: String(CONNECTIONS),
          PRESSWORK_LOG_LEVEL: 'error',
          PRESSWORK_MAX_UPLOAD_MB: '200',
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
        const sendOne = async (i: number): Promise<number> => {
          const t = performance.now();
          const r = await fetch(`${base}/api/v1/messages`, {
            method: 'POST',
            headers: { ...auth(op), 'content-type': 'application/json', 'idempotency-key': `bench-${key++}` },
            body: JSON.stringify({ templateId: 'service-reminder', version: 1, record: record(i) }),
          });
          const body = (await r.json()) as { status: string };
          if (body.status !== 'sent') throw new Error(`real-time send: ${JSON.stringify(body)}`);
          return performance.now() - t;
        };
        const series = async () => {
          const lat: number[] = [];
          for (let i = 0; i < MESSAGES; i++) lat.push(await sendOne(i));
          return lat;
        };
        // Warm the composition workers (template compiled once per version) so both series see steady state.
        for (let i = 0; i < 5; i++) await sendOne(i);

        const quiet = await series();
        quietP50.push(pct(quiet, 50));
        quietP95.push(pct(quiet, 95));

        const created = await fetch(`${base}/api/v1/jobs`, {
          method: 'POST',
          headers: { ...auth(op), 'content-type': 'application/json' },
          body: JSON.stringify({
            templateId: 'service-reminder',
            version: 1,
            channels: ['email'],
            data: { records: Array.from({ length: N }, (_, i) => record(i)) },
          }),
        });
        if (created.status !== 201) throw new Error(`job failed: ${await created.text()}`);
        const job = (await created.json()) as { id: string };
        const status = async () =>
          ((await (await fetch(`${base}/api/v1/jobs/${job.id}`, { headers: auth(op) })).json()) as { status: string; progress?: unknown })
            .status;
        // Start measuring once the job is sending (its ledger expanded and messages leaving).
        for (let i = 0; i < 600 && (await status()) !== 'running'; i++) await new Promise((r) => setTimeout(r, 50));
        await new Promise((r) => setTimeout(r, 500));
        const busy = await series();
        busyThroughout.push((await status()) === 'running');
        busyP50.push(pct(busy, 50));
        busyP95.push(pct(busy, 95));
      } finally {
        if (server.exitCode === null && server.signalCode === null) {
          server.kill('SIGTERM');
          await new Promise((r) => server.once('exit', r));
        }
        rmSync(dir, { recursive: true, force: true });
      }
    }
  } finally {
    sink.kill();
  }
  const round = (xs: number[]) => xs.map((x) => +x.toFixed(1));
  const env = { runs: RUNS, messages: MESSAGES, jobRecipients: N, connections: CONNECTIONS, cpus: availableParallelism() };
  line({
    bench: 'realtime.runs',
    quietP95: round(quietP95),
    duringJobP95: round(busyP95),
    jobStillRunningAtEnd: busyThroughout,
    loadavg: loadavg().map((x) => +x.toFixed(1)),
  });
  line({
    bench: 'realtime.quiet',
    name: 'POST /api/v1/messages → 250 committed, quiet server',
    p50Ms: +median(quietP50).toFixed(1),
    p95Ms: +median(quietP95).toFixed(1),
    ...env,
  });
  line({
    bench: 'realtime.during-job',
    name: `POST /api/v1/messages → 250 committed, while a ${N}-recipient job is sent`,
    p50Ms: +median(busyP50).toFixed(1),
    p95Ms: +median(busyP95).toFixed(1),
    ratioP95ToQuiet: +(median(busyP95) / median(quietP95)).toFixed(2),
    goalP95Ms: 100,
    ...env,
  });
}

// ── SMTP sink mode (child process): accept everything ──────────────────────────────────────────────────────
if (process.argv.includes('--sink')) {
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, _s, cb) {
      stream.on('data', () => undefined);
      stream.on('end', () => cb());
    },
  });
  server.listen(0, '127.0.0.1', () => process.send!({ port: (server.server.address() as { port: number }).port }));
} else {
  await main();
}
