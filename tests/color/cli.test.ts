import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../server/cli/main';

const ROOT = join(import.meta.dirname, '..', '..');
const SAMPLE = join(ROOT, 'assets', 'sample-campaign');
const PROFILE = '/usr/share/color/icc/ghostscript/default_cmyk.icc';
const work = mkdtempSync(join(tmpdir(), 'presswork-color-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Run `presswork color …` in this process (the bin only loads tsx and calls the same main). */
async function presswork(...args: string[]) {
  let out = '';
  let err = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((out += String(s)), true));
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((err += String(s)), true));
  process.exitCode = undefined;
  try {
    const code = await main(['node', 'presswork', 'color', ...args]);
    return { code, out, err };
  } finally {
    o.mockRestore();
    e.mockRestore();
    process.exitCode = undefined;
  }
}

/** A copy of the sample campaign with an edit to its template.json. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- raw template JSON, edited by hand in each test
type RawTemplate = Record<string, any>;
function sampleWith(name: string, edit: (doc: RawTemplate) => void): string {
  const dir = join(work, name);
  cpSync(SAMPLE, dir, { recursive: true });
  const doc = JSON.parse(readFileSync(join(dir, 'template.json'), 'utf8')) as RawTemplate;
  edit(doc);
  writeFileSync(join(dir, 'template.json'), JSON.stringify(doc));
  return dir;
}

describe('presswork color', () => {
  it('delta-e prints CIEDE2000 and exits 2 on a malformed colour', async () => {
    const r = await presswork('delta-e', '50,2.6772,-79.7751', '50,0,-82.7485');
    expect([r.code, r.out.trim()]).toEqual([0, '2.0425']);
    const bad = await presswork('delta-e', '50,2', '50,0,0');
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/is not a colour; write #rrggbb/);
  });

  it('export → import → nearest round trip through an .ase book', async () => {
    const ase = join(work, 'brand.ase');
    expect((await presswork('export', SAMPLE, '--out', ase)).code).toBe(0);
    const imported = await presswork('import', ase, '--json');
    expect(imported.code).toBe(0);
    const book = JSON.parse(imported.out) as { entries: { kind: string; name: string; swatches: { name: string; type: string }[] }[] };
    expect(book.entries.map((e) => e.kind)).toEqual(['group', 'group']);
    expect(book.entries[0]!.swatches[0]).toMatchObject({ name: 'PANTONE 2758 C', type: 'spot' });
    const near = await presswork('nearest', '22,9,-50', '--book', ase, '-k', '2', '--json');
    const matches = (JSON.parse(near.out) as { matches: { swatch: { name: string }; deltaE: number }[] }).matches;
    expect(matches).toHaveLength(2);
    expect(matches[0]!.swatch.name).toBe('PANTONE 2758 C');
    expect(matches[0]!.deltaE).toBeLessThan(1e-4);
  });

  it('import reports a malformed book with its byte offset and exits 2', async () => {
    const bad = join(work, 'bad.ase');
    writeFileSync(bad, Uint8Array.from([0x41, 0x53, 0x45, 0x46, 0, 1, 0, 0, 0, 0, 0, 1, 0x00, 0x01, 0, 0, 0, 99]));
    const r = await presswork('import', bad);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/says it has 99 bytes .*at byte 14/);
  });

  it('import reports a book cut short at a block boundary (declared block count) and exits 2', async () => {
    const ase = join(work, 'cut.ase');
    expect((await presswork('export', SAMPLE, '--out', ase)).code).toBe(0);
    const whole = readFileSync(ase);
    const count = whole.readUInt32BE(8);
    // Drop the last block: a file that looks whole block by block.
    let at = 12;
    const ends: number[] = [];
    while (at < whole.length) ends.push((at += 6 + whole.readUInt32BE(at + 2)));
    writeFileSync(ase, whole.subarray(0, ends.at(-2)));
    const r = await presswork('import', ase);
    expect(r.code).toBe(2);
    expect(r.err).toContain(
      `cut.ase: not a valid Adobe Swatch Exchange file: the header declares ${count} blocks, but the file ends after ${count - 1} of them (it was cut short)`,
    );
    expect(r.err).toMatch(/at byte 8\).*\[ase-invalid\]/);
  });

  it('check labels figures approximate without a profile and uses LittleCMS with one', async () => {
    const approx = await presswork('check', SAMPLE, '--json');
    const a = JSON.parse(approx.out) as { approximate: boolean; findings: number };
    expect(a.approximate).toBe(true);
    expect(approx.code).toBe(a.findings ? 1 : 0);
    const real = await presswork('check', SAMPLE, '--profile', PROFILE);
    expect(real.out).toContain('Artifex CMYK SWOP Profile');
    expect(real.out).toMatch(/spot Lab ↔ CMYK build\s+ΔE \d+\.\d\d/);
    expect(real.out).not.toContain('APPROXIMATE');
  });

  it('check exits 0 when clean and 1 with off-brand colours listed by path', async () => {
    const clean = sampleWith('clean', (d) => (d.brand.deltaEThreshold = 30));
    const ok = await presswork('check', clean);
    expect([ok.code, ok.out.trim().split('\n').at(-1)?.trim()]).toEqual([0, 'clean']);
    const off = sampleWith('off', (d) => {
      d.brand.deltaEThreshold = 30;
      d.print.pages[0].elements[0].fill = { cmyk: [0, 100, 100, 0] };
    });
    const r = await presswork('check', off);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/print\.pages\[0\]\.elements\[0\]\.fill: uses the literal colour CMYK 0\/100\/100\/0/);
  });

  it('check exits 2 for a missing profile', async () => {
    const r = await presswork('check', SAMPLE, '--profile', join(work, 'nope.icc'));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/cannot read the ICC profile/);
  });
});

describe('the presswork binary', () => {
  it('runs `color delta-e` end to end and sets the exit code', () => {
    const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'presswork.mjs'), 'color', 'delta-e', '#ffffff', '0,0,0'], {
      encoding: 'utf8',
      cwd: ROOT,
    });
    expect([r.status, r.stdout.trim()]).toEqual([0, '100.0000']);
  });
});
