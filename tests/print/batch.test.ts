import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SAMPLE, cli, tool } from './helpers';

/** Batch modes of `presswork compose print` on a small JSON data file (real CLI, real files). */
let dir: string;
let data: string;
const base = {
  first_name: 'Ana',
  address1: '1 Main Street',
  city: 'Columbus',
  state: 'OH',
  postal_code: '43215',
  vehicle_year: '2020',
  vehicle_make: 'Honda',
  vehicle_model: 'Civic',
  last_service_date: '2026-05-14',
  mileage: '1000',
  offer_eligible: 'true',
  offer_amount: '25',
};
const rows = [
  { ...base, customer_id: 'C-1', last_name: 'One', dealer_id: 'NS01' },
  { ...base, customer_id: 'C-2', last_name: 'Two', dealer_id: 'LK02' },
  { ...base, customer_id: 'C-3', last_name: '', dealer_id: 'MV03' }, // missing required last_name
  { ...base, customer_id: 'C-4', last_name: 'Four', dealer_id: 'LK02' },
];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pw-batch-'));
  data = join(dir, 'data.json');
  writeFileSync(data, JSON.stringify(rows));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run = (...args: string[]) => cli(['compose', 'print', SAMPLE, '--data', data, '--today', '2026-11-22', '--json', ...args]);

describe('compose print batch modes', () => {
  it('skips a bad record with its row and reason and composes the rest in order', () => {
    const out = join(dir, 'all.pdf');
    const r = run('--out', out);
    expect(r.status, r.stderr).toBe(0);
    const s = JSON.parse(r.stdout);
    expect(s.recordsDone).toBe(3);
    expect(s.pages).toBe(6);
    expect(s.recordsSkipped).toEqual([expect.objectContaining({ row: 3, key: 'C-3', code: 'missing-required' })]);
    expect(s.recordsSkipped[0].reason).toContain('last_name');
    const backs = [2, 4, 6].map((p) => tool('pdftotext', ['-f', String(p), '-l', String(p), out, '-']));
    expect(backs.map((t) => /Ana (\w+)/.exec(t)?.[1])).toEqual(['One', 'Two', 'Four']);
  });

  it('fails the job on a bad record with --on-error fail and leaves no PDF behind', () => {
    const out = join(dir, 'fail.pdf');
    const r = run('--out', out, '--on-error', 'fail');
    expect(r.status).toBe(1);
    const s = JSON.parse(r.stdout);
    expect(s.ok).toBe(false);
    expect(s.failure).toMatchObject({ row: 3, code: 'missing-required' });
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir).filter((f) => f.startsWith('fail.pdf'))).toEqual([]);
  });

  it('composes a record range', () => {
    const out = join(dir, 'range.pdf');
    const s = JSON.parse(run('--out', out, '--range', '2-2').stdout);
    expect(s.recordsDone).toBe(1);
    expect(tool('pdftotext', ['-f', '2', '-l', '2', out, '-'])).toContain('Ana Two');
  });

  it('composes only the records of one variant, with its swatch overrides', () => {
    const out = join(dir, 'lk.pdf');
    const s = JSON.parse(run('--out', out, '--variant', 'LK02').stdout);
    expect(s.recordsDone).toBe(2);
    expect(s.pages).toBe(4);
    const text = tool('pdftotext', [out, '-']);
    expect(text).toContain('Lakeview Auto Group');
    expect(text).not.toContain('Northside Motors');
    // Lakeview prints dealer-green (CMYK 90 10 75 10) where the template uses brand-red.
    const content = tool('qpdf', ['--qdf', '--object-streams=disable', out, '-']);
    expect(content).toContain('.9 .1 .75 .1 k');
    // Northside has no override: no dealer-green in its PDF.
    const ns = join(dir, 'ns.pdf');
    expect(JSON.parse(run('--out', ns, '--variant', 'NS01').stdout).recordsDone).toBe(1);
    expect(tool('qpdf', ['--qdf', '--object-streams=disable', ns, '-'])).not.toContain('.9 .1 .75 .1 k');
  });

  it('writes one PDF per record named from a data pattern', () => {
    const outDir = join(dir, 'split');
    const s = JSON.parse(run('--out', outDir, '--split', '{{ customer_id }}-{{ last_name | downcase }}.pdf').stdout);
    expect(s.recordsDone).toBe(3);
    expect(readdirSync(outDir).sort()).toEqual(['C-1-one.pdf', 'C-2-two.pdf', 'C-4-four.pdf']);
    for (const f of readdirSync(outDir))
      expect(tool('qpdf', ['--check', join(outDir, f)])).toContain('No syntax or stream encoding errors');
    expect(tool('pdfinfo', [join(outDir, 'C-2-two.pdf')])).toMatch(/Pages:\s+2/);
  });

  it('refuses a bad range with exit code 2 and a hint', () => {
    const r = run('--out', join(dir, 'x.pdf'), '--range', 'ten');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('1-100');
  });
});
