/**
 * Server load benchmark (issue 14, item 11): a running Presswork server (child process) with a 200,000-record
 * dataset uploaded and an email job over it running (delivering to a local SMTP sink, another child process).
 * Beside the same server quiet, measured in the same run:
 *   - GET /api/v1/jobs/:id latency (p50, p95) from a client polling every 20 ms;
 *   - the server's resident memory (VmRSS sampled every 50 ms; peak), including the upload.
 *
 *   npx tsx tests/bench/server-load.bench.ts     BENCH_N=200000 BENCH_RUNS=3 BENCH_WINDOW_S=45
 *
 * The job is observed for BENCH_WINDOW_S seconds (its expansion into the ledger and the first part of the
 * delivery, the heaviest part for memory and the event loop), then canceled. Output: JSON lines; figures are
 * medians over the runs.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SMTPServer } from 'smtp-server';
import { samplePackage } from '../server/harness';
import { openDatabase } from '../../server/store/db';
import { TokensRepo } from '../../server/store/tokens-repo';

const SELF = fileURLToPath(import.meta.url);
const BIN = fileURLToPath(new URL('../../bin/presswork.mjs', import.meta.url));
const N = Number(process.env.BENCH_N ?? 200_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 1);
const WINDOW_S = Number(process.env.BENCH_WINDOW_S ?? 45);

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s[Math.floor((s.length - 1) / 2)]! + s[Math.ceil((s.length - 1) / 2)]!) / 2 : NaN;
};
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] ?? NaN;
const line = (o: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(o)}\n`);
const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

if (process.argv.includes('--sink')) {
  // The SMTP sink, in its own process so that it does not share a CPU queue with the measuring client.
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, _s, cb) {
      stream.on('data', () => undefined);
      stream.on('end', () => cb());
    },
  });
  server.on('error', () => undefined);
  server.listen(0, '127.0.0.1', () => process.send!({ port: (server.server.address() as { port: number }).port }));
} else await main();

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
}

/** The sample campaign's columns, 200k rows of a realistic export (about 26 MB). */
function csv(n: number): Buffer {
  const head =
    'customer_id,first_name,last_name,email,address1,city,state,postal_code,vehicle_year,vehicle_make,vehicle_model,last_service_date,mileage,dealer_id,offer_eligible,offer_amount\n';
  const dealers = ['NS01', 'LK02', 'MV03'];
  const makes = ['Subaru', 'Ford', 'Kia', 'Toyota'];
  const parts: string[] = [head];
  for (let i = 0; i < n; i++)
    parts.push(
      `C-${String(i).padStart(6, '0')},Name${i},Bench,user${i}@d${i % 20}.example,${i} Main Street,Columbus,OH,43215,${2015 + (i % 10)},${makes[i % 4]},Model,2026-05-14,${10_000 + i},${dealers[i % 3]},${i % 2 === 0 ? 'yes' : 'no'},${i % 2 === 0 ? 25 : 0}\n`,
    );
  return Buffer.from(parts.join(''), 'utf8');
}

/** Resident memory of a process in MB (Linux), or NaN. */
function rssMb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

/** Poll GET /api/v1/jobs/:id every 20 ms and sample RSS every 50 ms until `until()`; latencies in ms, peak RSS in MB. */
async function observe(pid: number, url: string, auth: Record<string, string>, until: () => boolean) {
  const latencies: number[] = [];
  let peak = 0;
  const sampler = setInterval(() => (peak = Math.max(peak, rssMb(pid) || 0)), 50);
  while (!until()) {
    const t = performance.now();
    const r = await fetch(url, { headers: auth });
    await r.text();
    latencies.push(performance.now() - t);
    await sleep(20);
  }
  clearInterval(sampler);
  return { latencies, peak: Math.max(peak, rssMb(pid) || 0) };
}

async function main(): Promise<void> {
  const sink = spawn(process.execPath, ['--import', 'tsx', SELF, '--sink'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const smtpPort = await new Promise<number>((resolve) => sink.once('message', (m: { port: number }) => resolve(m.port)));
  const { zip } = await samplePackage();
  const data = csv(N);
  const quietP95: number[] = [];
  const quietP50: number[] = [];
  const quietRss: number[] = [];
  const busyP95: number[] = [];
  const busyP50: number[] = [];
  const busyPeak: number[] = [];
  const uploadS: number[] = [];
  const uploadPeak: number[] = [];
  const expanded: number[] = [];
  try {
    for (let run = 0; run < RUNS; run++) {
      const dir = mkdtempSync(join(tmpdir(), 'presswork-load-'));
      const port = await freePort();
      const base = `http://127.0.0.1:${port}`;
      const server: ChildProcess = spawn(process.execPath, [BIN, 'serve'], {
        env: {
          PATH: process.env.PATH,
          PRESSWORK_DATA_DIR: dir,
          PRESSWORK_PORT: String(port),
          PRESSWORK_SMTP_HOST: '127.0.0.1',
          PRESSWORK_SMTP_PORT: String(smtpPort),
          PRESSWORK_LOG_LEVEL: 'error',
          PRESSWORK_MAX_UPLOAD_MB: '200',
        },
        stdio: ['ignore', 'ignore', 'inherit'],
      });
      const pid = server.pid!;
      try {
        for (let i = 0; ; i++) {
          if (
            await fetch(`${base}/api/v1/health`)
              .then((r) => r.ok)
              .catch(() => false)
          )
            break;
          if (i > 300) throw new Error('server did not start');
          await sleep(100);
        }
        const db = openDatabase(join(dir, 'presswork.db'));
        const tokens = new TokensRepo(db);
        const pub = { authorization: `Bearer ${tokens.create('publisher', 'bench').token}` };
        const op = { authorization: `Bearer ${tokens.create('operator', 'bench').token}` };
        db.close();
        const published = await fetch(`${base}/api/v1/templates`, {
          method: 'POST',
          headers: { ...pub, 'content-type': 'application/zip' },
          body: zip,
        });
        if (published.status !== 201) throw new Error(`publish failed: ${await published.text()}`);

        // Quiet: a finished one-record job, polled with nothing else running.
        const small = await fetch(`${base}/api/v1/jobs`, {
          method: 'POST',
          headers: { ...op, 'content-type': 'application/json' },
          body: JSON.stringify({
            templateId: 'service-reminder',
            version: 1,
            channels: ['email'],
            data: { file: { content: data.subarray(0, data.indexOf('\n', 400) + 1).toString('utf8'), format: 'csv' } },
          }),
        });
        if (small.status !== 201) throw new Error(`small job failed: ${await small.text()}`);
        const smallId = ((await small.json()) as { id: string }).id;
        await sleep(2000);
        const quietUntil = Date.now() + 5000;
        const quiet = await observe(pid, `${base}/api/v1/jobs/${smallId}`, op, () => Date.now() > quietUntil);
        quietP95.push(pct(quiet.latencies, 95));
        quietP50.push(pct(quiet.latencies, 50));
        quietRss.push(quiet.peak);

        // The upload, streamed into the store.
        let peakUpload = 0;
        const sampler = setInterval(() => (peakUpload = Math.max(peakUpload, rssMb(pid) || 0)), 50);
        const t0 = performance.now();
        const up = await fetch(`${base}/api/v1/datasets?name=bench`, {
          method: 'POST',
          headers: { ...op, 'content-type': 'text/csv' },
          body: data,
        });
        clearInterval(sampler);
        if (up.status !== 201) throw new Error(`upload failed: ${await up.text()}`);
        uploadS.push((performance.now() - t0) / 1000);
        uploadPeak.push(peakUpload);
        const ds = (await up.json()) as { id: string; records: number };

        // The job: observed for WINDOW_S seconds (or until it completes), then canceled.
        const created = await fetch(`${base}/api/v1/jobs`, {
          method: 'POST',
          headers: { ...op, 'content-type': 'application/json' },
          body: JSON.stringify({ templateId: 'service-reminder', version: 1, channels: ['email'], data: { datasetId: ds.id } }),
        });
        if (created.status !== 201) throw new Error(`job failed: ${await created.text()}`);
        const jobId = ((await created.json()) as { id: string }).id;
        const until = Date.now() + WINDOW_S * 1000;
        const busy = await observe(pid, `${base}/api/v1/jobs/${jobId}`, op, () => Date.now() > until);
        const status = (await (await fetch(`${base}/api/v1/jobs/${jobId}`, { headers: op })).json()) as {
          counts: { records: number };
        };
        expanded.push(status.counts.records);
        await fetch(`${base}/api/v1/jobs/${jobId}/cancel`, { method: 'POST', headers: op });
        busyP95.push(pct(busy.latencies, 95));
        busyP50.push(pct(busy.latencies, 50));
        busyPeak.push(Math.max(busy.peak, peakUpload));
      } finally {
        server.kill('SIGTERM');
        await new Promise((r) => server.once('exit', r));
        rmSync(dir, { recursive: true, force: true });
      }
    }
  } finally {
    sink.kill();
  }
  line({
    bench: 'server.load.quiet',
    what: 'GET /api/v1/jobs/:id with nothing running',
    runs: RUNS,
    getP50Ms: round(median(quietP50)),
    getP95Ms: round(median(quietP95)),
    rssMb: Math.round(median(quietRss)),
  });
  line({
    bench: 'server.load.job',
    what: `${N}-record dataset uploaded (${round(data.length / 1024 / 1024)} MB CSV), email job running (${WINDOW_S} s observed)`,
    runs: RUNS,
    records: N,
    uploadS: round(median(uploadS)),
    uploadPeakRssMb: Math.round(median(uploadPeak)),
    ledgerRecordsAtEnd: median(expanded),
    getP50Ms: round(median(busyP50)),
    getP95Ms: round(median(busyP95)),
    peakRssMb: Math.round(median(busyPeak)),
    target: { getP95Ms: 50, peakRssMb: 600 },
  });
}
