/**
 * Peak memory of `presswork compose print` against the record count: the sample campaign (two pages a record)
 * over generated customer files of 5,000, 50,000 and 500,000 rows, each composed by the real CLI process and
 * measured by GNU time (maximum resident set size of that process). Goal: the peaks at 50,000 and 500,000
 * within 10% of the peak at 5,000 (memory flat in the record count). Peer in the same run: bare Node.
 *
 *   npx tsx tests/bench/print-memory.bench.ts                  # all three sizes, one run each
 *   BENCH_MEMORY_SIZES=5000,50000 BENCH_RUNS=3 npx tsx tests/bench/print-memory.bench.ts
 *
 * The data look like a mailing list: unique ids, names and streets, every row valid. The 500,000-row case writes
 * ~1,000,000 pages and takes minutes. Needs /usr/bin/time (apt-get install time).
 */
import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = join(ROOT, 'bin/presswork.mjs');
const SAMPLE = join(ROOT, 'assets/sample-campaign');
const SIZES = (process.env.BENCH_MEMORY_SIZES ?? '5000,50000,500000').split(',').map(Number);
const RUNS = Number(process.env.BENCH_RUNS ?? 1);

const FIRST = 'Maria James Mei Sandra Oluwaseun Li Robert Ana Kofi Jennifer Dmitri Aisha Jürgen Stéphanie José Hiroshi'.split(' ');
const LAST = "García Smith Scott Young Adeyemi Chen O'Brien Kowalski Nguyen Johnson Müller Patel Schröder Álvarez".split(' ');
const STREETS = 'Maple Avenue|Juniper Circle|Oak Street|Lakeshore Drive|Elm Court|Main Street|Cedar Lane|Park Boulevard'.split('|');
const CITIES = [
  ['Gahanna', 'OH', '43230'],
  ['Evanston', 'IL', '60201'],
  ['Aurora', 'CO', '80010'],
];
const DEALERS = ['NS01', 'LK02', 'MV03'];
const MAKES = ['Ford,Mustang', 'Subaru,Outback', 'Toyota,RAV4', 'Honda,Civic'];

/** The customers file of the sample campaign, `n` rows, written in 1 MB pieces. */
function writeData(path: string, n: number): void {
  const fd = openSync(path, 'w');
  let buf =
    'customer_id,first_name,last_name,email,address1,address2,city,state,postal_code,vehicle_year,vehicle_make,vehicle_model,last_service_date,mileage,dealer_id,offer_eligible,offer_amount\n';
  for (let i = 0; i < n; i++) {
    const first = FIRST[i % FIRST.length]!;
    const last = LAST[Math.floor(i / FIRST.length) % LAST.length]!;
    const city = CITIES[i % CITIES.length]!;
    const offer = i % 3 === 0;
    buf += `C-${1_000_000 + i},${first},"${last}",${first.toLowerCase()}.${i}@example.org,${1000 + ((i * 37) % 8999)} ${STREETS[i % STREETS.length]},,${city.join(',')},${2015 + (i % 11)},${MAKES[i % MAKES.length]},2026-0${1 + (i % 9)}-1${i % 10},${(i * 7919) % 150000},${DEALERS[i % 3]},${offer},${offer ? 25 : ''}\n`;
    if (buf.length > 1 << 20) {
      writeSync(fd, buf);
      buf = '';
    }
  }
  writeSync(fd, buf);
  closeSync(fd);
}

interface Run {
  rssMB: number;
  seconds: number;
  pages: number;
}

function timed(args: string[]): { rssMB: number; seconds: number; stdout: string } {
  const dir = mkdtempSync(join(tmpdir(), 'pw-membench-t-'));
  try {
    const stdout = execFileSync('/usr/bin/time', ['-o', join(dir, 't'), '-f', '%e %M', process.execPath, ...args], {
      cwd: ROOT,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
      maxBuffer: 64 << 20,
    });
    const [wall, rssKB] = readFileSync(join(dir, 't'), 'utf8').trim().split('\n').pop()!.split(' ').map(Number);
    return { rssMB: rssKB! / 1024, seconds: wall!, stdout };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function composeRun(data: string, out: string, report: string): Run {
  const t = timed([BIN, 'compose', 'print', SAMPLE, '--data', data, '--out', out, '--report', report, '--today', '2026-11-22', '--json']);
  const s = JSON.parse(t.stdout) as { ok: boolean; pages: number };
  if (!s.ok) throw new Error(`bench job failed: ${t.stdout.slice(0, 2000)}`);
  return { rssMB: t.rssMB, seconds: t.seconds, pages: s.pages };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

const dir = mkdtempSync(join(tmpdir(), 'pw-membench-'));
try {
  timed([BIN, '--help']); // the compiled CLI is built before the first measurement
  const bare = median(Array.from({ length: 3 }, () => timed(['-e', '0']).rssMB));
  let base: number | undefined;
  for (const n of SIZES) {
    const data = join(dir, `customers-${n}.csv`);
    writeData(data, n);
    const runs: Run[] = [];
    for (let i = 0; i < RUNS; i++) {
      const out = join(dir, `out-${n}.pdf`);
      runs.push(composeRun(data, out, join(dir, `report-${n}.ndjson`)));
      if (i === RUNS - 1) process.stderr.write(`bench: ${n} records → ${(statSync(out).size / 1e6).toFixed(0)} MB PDF\n`);
      rmSync(out, { force: true });
    }
    rmSync(data, { force: true });
    const rss = median(runs.map((r) => r.rssMB));
    base ??= rss;
    process.stdout.write(
      `${JSON.stringify({
        bench: 'print-memory',
        records: n,
        runs: RUNS,
        presswork: {
          peakRssMB: Math.round(rss),
          pages: runs[0]!.pages,
          seconds: Math.round(median(runs.map((r) => r.seconds)) * 10) / 10,
          ratioToFirstSize: Math.round((rss / base) * 1000) / 1000,
        },
        peers: { nodeBare: { peakRssMB: Math.round(bare) } },
        loadAverage: loadavg()[0],
        goal: { ratioToFirstSize: '<= 1.10', met: rss / base <= 1.1 },
      })}\n`,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
