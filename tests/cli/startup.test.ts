import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runPresswork } from '../support/cli';

/**
 * Start-up: a command loads only its own modules (the CPU figures are in tests/bench/cli.bench.ts), and the
 * compiled cache the CLI runs from is rebuilt when a source changes.
 */
const ROOT = fileURLToPath(new URL('../..', import.meta.url)).replace(/\/$/, '');
const SAMPLE = join(ROOT, 'assets/sample-campaign');
const dir = mkdtempSync(join(tmpdir(), 'pw-startup-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The modules one CLI run resolves, through tsx (so that every source file is seen by name). */
function modulesLoaded(args: string[]): Promise<{ code: number; stdout: string; modules: string[] }> {
  const list = join(dir, `modules-${args.join('-').replace(/\W+/g, '_')}.txt`);
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', join(ROOT, 'tests/support/record-modules.mjs'), join(ROOT, 'bin/presswork.mjs'), ...args],
      { cwd: ROOT, env: { ...process.env, PRESSWORK_CLI_CACHE: 'off', PRESSWORK_RECORD_MODULES: list }, timeout: 60_000 },
      (err, stdout) => {
        let modules: string[] = [];
        try {
          modules = readFileSync(list, 'utf8').trim().split('\n');
        } catch {
          // nothing recorded
        }
        resolve({ code: err ? Number(err.code ?? 1) : 0, stdout, modules });
      },
    );
  });
}

const HEAVY = /node_modules\/(fastify|better-sqlite3|mjml|nodemailer|pdf-lib|fontkit|pdfjs-dist|axios|lcms-wasm)\//;
const ours = (modules: string[]) =>
  modules.filter((m) => m.startsWith('file://') && !m.includes('/node_modules/')).map((m) => m.slice(m.indexOf(ROOT) + ROOT.length + 1));

describe('CLI start-up', () => {
  it('--help lists every command without loading any of them', async () => {
    const r = await modulesLoaded(['--help']);
    expect(r.code).toBe(0);
    for (const c of ['validate', 'compose', 'preview', 'preflight', 'color', 'pack', 'publish', 'approve', 'approvals', 'serve', 'token'])
      expect(r.stdout).toMatch(new RegExp(`^  ${c} `, 'm'));
    expect(r.modules.filter((m) => HEAVY.test(m))).toEqual([]);
    expect(ours(r.modules).sort()).toEqual([
      'bin/compiled-cli.mjs',
      'bin/presswork.mjs',
      'server/cli/commands/index.ts',
      'server/cli/main.ts',
    ]);
  });

  it('validate loads the template model and the asset checks, not the server, the PDF writer or the email engine', async () => {
    const r = await modulesLoaded(['validate', SAMPLE]);
    expect(r.code).toBe(0);
    // fontkit is the one heavy module validate needs: it parses every brand font fully (a cut font is an error).
    // The sample has no PDF artwork, so the PDF reader (pdf-lib) is not loaded either.
    expect(r.modules.filter((m) => HEAVY.test(m) && !m.includes('/node_modules/fontkit/'))).toEqual([]);
    const loaded = ours(r.modules);
    expect(loaded).toContain('server/cli/commands/validate.ts');
    expect(loaded).toContain('shared/text/font-check.ts');
    expect(
      loaded.filter((m) =>
        /^(server\/(http|store|jobs|delivery|email|print)\/|shared\/(email|compose\/(email\/|plan\/(?!geometry\.ts))|compose\/print\/(pdf-writer|batch|compose|pdf-import)|text\/layout))/.test(
          m,
        ),
      ),
    ).toEqual([]);
  });

  it('compose print --help shows its own options (the command is loaded when named)', async () => {
    const r = await runPresswork(['compose', 'print', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('--split <pattern>');
    const h = await runPresswork(['help', 'compose']);
    expect(h.stdout).toMatch(/print \[options\] <template>/);
    expect(h.stdout).toMatch(/email \[options\] <template>/);
  });

  it('runs from the compiled cache, and rebuilds it when a source changes', async () => {
    const manifest = () => {
      const cacheRoot = join(ROOT, 'node_modules/.cache/presswork-cli');
      for (const d of readdirSync(cacheRoot)) {
        try {
          const m = JSON.parse(readFileSync(join(cacheRoot, d, 'current.json'), 'utf8')) as Manifest;
          if (m.root === ROOT) return m;
        } catch {
          // another checkout's cache being written
        }
      }
      throw new Error('no compiled CLI for this checkout');
    };
    const first = await runPresswork(['validate', SAMPLE], { env: { PRESSWORK_CLI_CACHE: 'debug' } });
    expect(first.code).toBe(0);
    expect(first.stderr).toBe(''); // no fallback to tsx
    const before = manifest();
    expect(before.inputs).toHaveProperty(['server/cli/commands/validate.ts']);
    const source = join(ROOT, 'server/cli/commands/validate.ts');
    const later = new Date(Date.now() + 5_000);
    utimesSync(source, later, later);
    const second = await runPresswork(['validate', SAMPLE], { env: { PRESSWORK_CLI_CACHE: 'debug' } });
    expect(second.code).toBe(0);
    expect(second.stderr).toBe('');
    const after = manifest();
    expect(after.build).not.toBe(before.build);
    expect(after.inputs['server/cli/commands/validate.ts']).toBe(`${statSync(source).size}:${statSync(source).mtimeMs}`);
  });
});

interface Manifest {
  root: string;
  build: string;
  inputs: Record<string, string>;
}
