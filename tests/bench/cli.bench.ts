/**
 * CLI start-up: CPU time (user + system, of the whole `presswork` process as /usr/bin/time reports it) for
 * `presswork --help` and `presswork validate <sample campaign>`, beside two peers measured in the same run:
 * bare Node (`node -e 0`, the floor) and the same command through tsx (PRESSWORK_CLI_CACHE=off, how the CLI
 * started before it ran from its compiled cache). Goal: under 0.5 s of CPU for both commands.
 *
 *   npx tsx tests/bench/cli.bench.ts          # BENCH_RUNS=9 by default; medians; one JSON line per command
 *
 * Needs GNU time at /usr/bin/time (apt-get install time).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = join(ROOT, 'bin/presswork.mjs');
const SAMPLE = join(ROOT, 'assets/sample-campaign');
const RUNS = Number(process.env.BENCH_RUNS ?? 9);

interface Run {
  cpuMs: number;
  wallMs: number;
  rssMB: number;
}

/** One process under /usr/bin/time: its CPU (user + system), wall time and peak RSS. */
function timed(args: string[], env: Record<string, string> = {}): Run {
  const dir = mkdtempSync(join(tmpdir(), 'pw-clibench-'));
  const report = join(dir, 'time.txt');
  try {
    execFileSync('/usr/bin/time', ['-o', report, '-f', '%U %S %e %M', process.execPath, ...args], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: 'ignore',
    });
    const [user, sys, wall, rssKB] = readFileSync(report, 'utf8').trim().split('\n').pop()!.split(' ').map(Number);
    return { cpuMs: (user! + sys!) * 1000, wallMs: wall! * 1000, rssMB: rssKB! / 1024 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const summary = (runs: Run[]) => ({
  cpuMs: Math.round(median(runs.map((r) => r.cpuMs))),
  wallMs: Math.round(median(runs.map((r) => r.wallMs))),
  peakRssMB: Math.round(median(runs.map((r) => r.rssMB))),
});

const cases = [
  { name: '--help', args: ['--help'] },
  { name: 'validate', args: ['validate', SAMPLE] },
];

timed([BIN, '--help']); // builds the compiled cache if the sources changed since the last run
for (const c of cases) {
  const compiled: Run[] = [];
  const tsx: Run[] = [];
  const bare: Run[] = [];
  // Interleaved, so that a change in machine load hits all three alike.
  for (let i = 0; i < RUNS; i++) {
    compiled.push(timed([BIN, ...c.args]));
    tsx.push(timed([BIN, ...c.args], { PRESSWORK_CLI_CACHE: 'off' }));
    bare.push(timed(['-e', '0']));
  }
  const s = summary(compiled);
  process.stdout.write(
    `${JSON.stringify({
      bench: 'cli-startup',
      case: c.name,
      runs: RUNS,
      presswork: s,
      peers: { tsx: summary(tsx), nodeBare: summary(bare) },
      loadAverage: loadavg()[0],
      goal: { cpuMs: '< 500', met: s.cpuMs < 500 },
    })}\n`,
  );
}
