import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, SAMPLE, cli } from './helpers';

/**
 * `presswork compose print` tells the truth about what it wrote: nothing composed → no PDF and a failure; --split
 * never overwrites and makes safe names from hostile values; a failed or interrupted run leaves nothing behind;
 * --range counts rows exactly; an oversized value fails its record and the job goes on. Real CLI, real files,
 * field-style data (Windows-1252, `;`).
 */
let dir: string;
const HEADER =
  'customer_id;first_name;last_name;email;address1;address2;city;state;postal_code;vehicle_year;vehicle_make;vehicle_model;last_service_date;mileage;dealer_id;offer_eligible;offer_amount';
const row = (i: number, over: Partial<Record<'last' | 'address2' | 'dealer' | 'id', string>> = {}) =>
  [
    over.id ?? `C-${1000 + i}`,
    'Jürgen',
    over.last ?? `Müller ${i}`,
    `j${i}@example.de`,
    `Hauptstraße ${i}`,
    over.address2 ?? '',
    'Köln',
    'NW',
    '50667',
    '2020',
    'Volkswagen',
    'Golf',
    '2026-04-03',
    String(1000 + i),
    over.dealer ?? ['NS01', 'LK02', 'MV03'][i % 3],
    'true',
    '25',
  ].join(';');
/** A Windows-1252 file with `;` separators, as German Excel exports it. */
const cp1252 = (name: string, lines: string[]) => {
  const path = join(dir, name);
  writeFileSync(path, Buffer.from(`${[HEADER, ...lines].join('\r\n')}\r\n`, 'latin1'));
  return path;
};
const compose = (data: string, ...args: string[]) =>
  cli(['compose', 'print', SAMPLE, '--data', data, '--today', '2026-11-22', '--json', ...args]);
const pdfsIn = (d: string) => (existsSync(d) ? readdirSync(d) : []);

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pw-honest-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('compose print: honest results', () => {
  it('fails and writes no PDF when every record is skipped', () => {
    const data = cp1252('all-bad.csv', [row(1, { last: '' }), row(2, { last: '' })]);
    const out = join(dir, 'all-bad', 'out.pdf');
    const r = compose(data, '--out', out);
    expect(r.status).toBe(1);
    const s = JSON.parse(r.stdout);
    expect(s.ok).toBe(false);
    expect(s.failure).toMatchObject({ code: 'no-records' });
    expect(s.recordsSkippedTotal).toBe(2);
    expect(r.stderr).toMatch(/nothing was composed: all 2 records were skipped/);
    expect(pdfsIn(join(dir, 'all-bad'))).toEqual([]);
  });

  it('counts --range rows exactly, within and beyond the data', () => {
    const data = cp1252(
      'ten.csv',
      Array.from({ length: 10 }, (_, i) => row(i + 1)),
    );
    const inside = compose(data, '--out', join(dir, 'r1.pdf'), '--range', '3-5');
    expect(inside.status, inside.stderr).toBe(0);
    expect(JSON.parse(inside.stdout)).toMatchObject({ recordsDone: 3, pages: 6, recordsFiltered: 7, rowsRead: 10 });
    const single = JSON.parse(compose(data, '--out', join(dir, 'r2.pdf'), '--range', '10').stdout);
    expect(single).toMatchObject({ ok: true, recordsDone: 1, recordsFiltered: 9 });
    const beyond = compose(data, '--out', join(dir, 'r3.pdf'), '--range', '9-20', '--no-progress');
    expect(JSON.parse(beyond.stdout)).toMatchObject({ ok: true, recordsDone: 2, recordsFiltered: 8, rowsRead: 10 });
    const past = compose(data, '--out', join(dir, 'r4.pdf'), '--range', '11-');
    expect(past.status).toBe(1);
    expect(JSON.parse(past.stdout).failure.reason).toBe('--range starts at row 11 but the data has 10 rows');
    expect(existsSync(join(dir, 'r4.pdf'))).toBe(false);
  });

  it('--split never overwrites: taken names get a numbered suffix and are listed', () => {
    const out = join(dir, 'split-collide');
    mkdirSync(out);
    writeFileSync(join(out, 'LK02.pdf'), 'a file from before the run');
    const data = cp1252(
      'collide.csv',
      Array.from({ length: 6 }, (_, i) => row(i + 1)),
    );
    const r = compose(data, '--out', out, '--split', '{{ dealer_id }}.pdf');
    expect(r.status, r.stderr).toBe(0);
    const s = JSON.parse(r.stdout);
    expect(s.files).toHaveLength(6);
    expect(new Set(s.files).size).toBe(6);
    expect(pdfsIn(out).sort()).toEqual(['LK02-2.pdf', 'LK02-3.pdf', 'LK02.pdf', 'MV03-2.pdf', 'MV03.pdf', 'NS01-2.pdf', 'NS01.pdf']);
    expect(readFileSync(join(out, 'LK02.pdf'), 'utf8')).toBe('a file from before the run');
    expect(s.renamed).toEqual(
      expect.arrayContaining([
        { row: 1, wanted: 'LK02.pdf', written: 'LK02-2.pdf' },
        { row: 4, wanted: 'LK02.pdf', written: 'LK02-3.pdf' },
        { row: 6, wanted: 'NS01.pdf', written: 'NS01-2.pdf' },
      ]),
    );
  });

  it('--split makes safe, bounded names from hostile values', () => {
    const out = join(dir, 'split-hostile');
    const hostile = ['../../escape', 'a/b\\c', 'nul\u0000byte', 'x'.repeat(5000), '🙂🚗 Ünïcödé', 'CON', 'lpt1', '...', '  '];
    const lines = hostile.map((h, i) => JSON.stringify({ ...JSON.parse(jsonRow(i + 1)), last_name: h }));
    const data = join(dir, 'hostile.ndjson');
    writeFileSync(data, lines.join('\n'));
    const r = compose(data, '--out', out, '--split', '{{ last_name }}.pdf');
    // "  " is an empty required value (skipped, not a file called ".pdf"); NUL and emoji have no glyph in the
    // sample's fonts (skipped with that reason; safeFileName's own test covers them).
    expect(r.status, r.stderr).toBe(0);
    const names = pdfsIn(out);
    expect(names).toHaveLength(JSON.parse(r.stdout).recordsDone);
    expect(names).toHaveLength(6);
    expect(names).toContain('__.._escape.pdf');
    expect(names).toContain('a_b_c.pdf');
    expect(readdirSync(dir).filter((f) => f.includes('escape'))).toEqual([]);
    for (const n of names) {
      expect(Buffer.byteLength(n)).toBeLessThanOrEqual(140);
      expect(n).toMatch(/\.pdf$/);
      expect(n.includes('\u0000') || /[/\\]|^\./.test(n)).toBe(false);
      expect(n.replace(/\..*$/, '').toUpperCase()).not.toMatch(/^(CON|PRN|AUX|NUL|COM\d|LPT\d)$/);
    }
    expect(names).toContain('_CON.pdf');
    expect(names).toContain('_lpt1.pdf');
    expect(names.find((n) => n.startsWith('xxxx'))).toMatch(/^x{111}-[0-9a-f]{8}\.pdf$/);
  });

  it('removes the files a failed --split run had written', () => {
    const out = join(dir, 'split-fail');
    const data = cp1252('third-bad.csv', [row(1), row(2), row(3, { last: '' }), row(4)]);
    const r = compose(data, '--out', out, '--split', '{{ customer_id }}.pdf', '--on-error', 'fail');
    expect(r.status).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: false, files: [], failure: { row: 3, code: 'missing-required' } });
    expect(pdfsIn(out)).toEqual([]);
  });
});

describe('compose print: bounded work per record', () => {
  it('fails a record whose value is over the limit (5 MB, 50 MB) and composes the rest', () => {
    const data = cp1252('huge.csv', [
      row(1),
      row(2, { address2: 'A'.repeat(5 << 20) }),
      row(3),
      row(4, { address2: 'B'.repeat(50 << 20) }),
      row(5),
    ]);
    const r = compose(data, '--out', join(dir, 'huge.pdf'));
    expect(r.status, r.stderr).toBe(0);
    const s = JSON.parse(r.stdout);
    expect(s.recordsDone).toBe(3);
    expect(s.recordsSkipped.map((k: { row: number; code: string }) => [k.row, k.code])).toEqual([
      [2, 'value-too-large'],
      [4, 'value-too-large'],
    ]);
    expect(s.recordsSkipped[0].reason).toContain('"address2" has 5,242,880 characters, over the limit of 65,536');
  });

  it('takes the limit from --max-field-chars or PRESSWORK_MAX_FIELD_CHARS, and refuses a bad one', () => {
    const data = cp1252('long.csv', [row(1, { address2: 'Hinterhaus '.repeat(200) }), row(2)]);
    const byFlag = JSON.parse(compose(data, '--out', join(dir, 'l1.pdf'), '--max-field-chars', '1000').stdout);
    expect(byFlag.recordsSkipped).toEqual([expect.objectContaining({ row: 1, code: 'value-too-large' })]);
    const byEnv = cli(['compose', 'print', SAMPLE, '--data', data, '--out', join(dir, 'l2.pdf'), '--json'], {
      PRESSWORK_MAX_FIELD_CHARS: '1000',
    });
    expect(JSON.parse(byEnv.stdout).recordsSkipped).toHaveLength(1);
    expect(JSON.parse(compose(data, '--out', join(dir, 'l3.pdf')).stdout).recordsSkipped).toEqual([]);
    const bad = compose(data, '--out', join(dir, 'l4.pdf'), '--max-field-chars', 'lots');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/must be a whole number/);
  });

  for (const [sig, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)
    it(`${sig} during composition leaves no files and exits ${code}`, async () => {
      const out = join(dir, `sig-${sig}`);
      const data = cp1252(
        `many-${sig}.csv`,
        Array.from({ length: 4000 }, (_, i) => row(i + 1)),
      );
      const split = sig === 'SIGTERM';
      const child = spawn(
        process.execPath,
        [
          join(ROOT, 'bin/presswork.mjs'),
          'compose',
          'print',
          SAMPLE,
          '--data',
          data,
          '--out',
          split ? out : join(out, 'all.pdf'),
          '--report',
          join(out, 'report.ndjson'),
          ...(split ? ['--split', '{{ customer_id }}.pdf'] : []),
        ],
        { cwd: ROOT, stdio: 'ignore' },
      );
      const exited = new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
      // Wait until output is being written (a temp file, or split files), then signal.
      const deadline = Date.now() + 120_000;
      while (pdfsIn(out).filter((f) => f.endsWith('.pdf') || f.includes('.pdf.partial-')).length < (split ? 3 : 1) && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 50));
      child.kill(sig);
      const exit = await exited;
      expect(exit).toBe(code);
      expect(pdfsIn(out)).toEqual([]);
    }, 180_000);
});

function jsonRow(i: number): string {
  const cells = row(i).split(';');
  return JSON.stringify(Object.fromEntries(HEADER.split(';').map((h, k) => [h, cells[k]])));
}
