import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startTestServer, tempDir } from '../server/harness';
import type { RunningServer } from '../../server/server';

/**
 * Issue 21 items 2 and 3: the README's shell blocks run as written when pasted. Each line runs in one bash session
 * (aliases on, as in an interactive shell) in a scratch folder that links the repository's `bin/` and `assets/`;
 * the lines after "with the server running" run against a test server on loopback whose data folder is the one
 * `presswork token …` finds. A line must exit 0 unless its comment says "exit N", and then its own output must
 * say "exit code N" (expected problems are labelled both in the README and by the command).
 */

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');

/** Shell blocks (```sh) of a Markdown text, each as its lines. */
function shellBlocks(md: string): string[][] {
  return [...md.matchAll(/```(?:sh|bash|shell)\n([\s\S]*?)```/g)].map((m) => m[1]!.split('\n'));
}

/** A line's command (comment removed, quotes respected well enough for these docs) and the exit code its comment names. */
function parseLine(line: string): { command: string; expect: number } | undefined {
  let quote: string | undefined;
  let cut = line.length;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote) {
      if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '#' && (i === 0 || /\s/.test(line[i - 1]!))) {
      cut = i;
      break;
    }
  }
  const command = line.slice(0, cut).trim();
  if (!command) return undefined;
  const comment = line.slice(cut);
  const code = /\bexit (\d)\b/.exec(comment);
  // "exit 0; … exit 2" in one comment describes other inputs: the first code is the one for this line.
  return { command, expect: code ? Number(code[1]) : 0 };
}

const NOTATION = /\[--?[\w-]+(\s*\|\s*--?[\w-]+)+\]|<[a-z-]+\|[a-z-]+>/;

describe('README and docs commands are runnable as written', () => {
  it('no shell line in the README or docs uses option notation such as [--csv|--json]', () => {
    const files = [
      'README.md',
      ...readdirSync(join(ROOT, 'docs'))
        .filter((f) => f.endsWith('.md'))
        .map((f) => `docs/${f}`),
    ];
    const bad: string[] = [];
    for (const f of files)
      for (const block of shellBlocks(readFileSync(join(ROOT, f), 'utf8')))
        for (const line of block) if (NOTATION.test(parseLine(line)?.command ?? '')) bad.push(`${f}: ${line}`);
    expect(bad).toEqual([]);
  });

  it('the README lists the lines this test runs, and labels every expected non-zero exit', () => {
    const lines = shellBlocks(README)
      .flat()
      .map(parseLine)
      .filter((l) => l !== undefined);
    const nonZero = lines.filter((l) => l.expect !== 0).map((l) => l.command.split(' ').slice(0, 3).join(' '));
    expect(nonZero).toEqual(
      expect.arrayContaining(['presswork compose email', 'presswork preflight assets/sample-campaign', 'presswork color check']),
    );
  });
});

describe('the README tour, line by line', () => {
  const tmp = tempDir('readme');
  let server: RunningServer;
  const results: { command: string; expect: number; code: number; output: string }[] = [];

  beforeAll(async () => {
    const work = join(tmp.dir, 'work');
    mkdirSync(work);
    symlinkSync(join(ROOT, 'bin'), join(work, 'bin'));
    symlinkSync(join(ROOT, 'assets'), join(work, 'assets'));
    const dataDir = join(tmp.dir, 'store');
    server = await startTestServer(dataDir);
    // The tour's blocks that need no server, then those that do (the set-up block's npm commands are not run).
    const lines = shellBlocks(README)
      .filter((b) => b.some((l) => l.includes('presswork')))
      .flat()
      .map(parseLine)
      .filter((l): l is { command: string; expect: number } => l !== undefined && !/^npm (start|test|run)\b/.test(l.command));
    // One bash session, as when pasting: each line's output and exit code are framed by markers.
    const script = ['shopt -s expand_aliases', ...lines.map((l, i) => `${l.command}\necho "@@rc:${i}:$?@@"`)].join('\n');
    const output = await new Promise<string>((resolve, reject) => {
      const child = spawn('bash', ['-c', script], {
        cwd: work,
        env: {
          ...process.env,
          PRESSWORK_SERVER: server.url,
          PRESSWORK_DATA_DIR: dataDir,
          PRESSWORK_TOKEN: '',
          HOME: join(tmp.dir, 'home'),
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      child.stdout.on('data', (b: Buffer) => (out += b.toString()));
      child.stderr.on('data', (b: Buffer) => (out += b.toString()));
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`the README tour took longer than 12 minutes; output so far:\n${out.slice(-4000)}`));
      }, 12 * 60_000);
      child.on('close', () => {
        clearTimeout(timer);
        resolve(out);
      });
    });
    let from = 0;
    for (const [i, l] of lines.entries()) {
      const marker = new RegExp(`@@rc:${i}:(\\d+)@@`).exec(output.slice(from));
      const end = marker ? from + marker.index : output.length;
      results.push({ ...l, code: marker ? Number(marker[1]) : -1, output: output.slice(from, end) });
      if (marker) from = end + marker[0].length;
    }
  }, 13 * 60_000);
  afterAll(async () => {
    await server?.close();
    tmp.remove();
  });

  it('every line exits as its comment says, and a non-zero exit is explained by the command itself', () => {
    expect(results.length).toBeGreaterThan(10);
    const wrong = results
      .filter((r) => r.code !== r.expect || (r.expect !== 0 && !r.output.includes(`exit code ${r.expect}`)))
      .map((r) => `${r.command}\n  exit ${r.code}, README says ${r.expect}\n  ${r.output.trim().split('\n').slice(-6).join('\n  ')}`);
    expect(wrong).toEqual([]);
    // The server part really ran against the server: published, approved, and the approvals read back three ways.
    const out = (prefix: string) => results.filter((r) => r.command.startsWith(prefix)).map((r) => r.output);
    expect(out('presswork publish')[0]).toMatch(/published as version 1/);
    expect(out('presswork approvals service-reminder --version 1 --json')[0]).toContain('"NS01"');
    expect(out('presswork compose email')[0]).toMatch(/\d+ records reported \(see mail\/index\.json\); exit code 2/);
  });
});
