import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runPreflight } from '../../server/preflight/run';
import { FINDING_CODES, type FindingCode } from '../../shared/preflight/codes';
import { findingsByVariant } from '../../shared/preflight/group';
import type { Report } from '../../shared/preflight/report';
import { everyFindingFolder, ROOT, SAMPLE } from './fixture';
import { runPresswork } from '../support/cli';

const sampleData = join(SAMPLE, 'data', 'customers.csv');
const TODAY = '2026-11-22';

const presswork = (...args: string[]) => runPresswork(args, { timeoutMs: 120_000, maxBuffer: 16 << 20 });

const codes = (r: Report) => r.findings.map((f) => f.code);
const only = (r: Report, code: FindingCode) => {
  const found = r.findings.filter((f) => f.code === code);
  expect(found, code).toHaveLength(1);
  return found[0]!;
};

describe('presswork preflight — the every-finding fixture', () => {
  let report: Report;
  let exitCode: number;
  beforeAll(async () => {
    const f = await everyFindingFolder();
    const r = await presswork('preflight', f.template, '--data', f.data, '--json', '--today', TODAY);
    exitCode = r.code;
    expect(r.stderr).toBe('');
    report = JSON.parse(r.stdout) as Report;
  });

  it('exits 1 because there are errors', () => {
    expect(exitCode).toBe(1);
    expect(report.ok).toBe(false);
  });

  it('fires every finding code exactly once', () => {
    expect([...codes(report)].sort()).toEqual([...FINDING_CODES].sort());
  });

  it('pins each record finding to its row and element', () => {
    const at = (code: FindingCode) => {
      const f = only(report, code);
      return { rows: f.rows, keys: f.keys, id: f.target?.id, severity: f.severity };
    };
    expect(at('text-overflow')).toEqual({ rows: [2], keys: ['R02'], id: 'note', severity: 'error' });
    expect(at('copyfit-min-size')).toEqual({ rows: [3], keys: ['R03'], id: 'headline', severity: 'warning' });
    expect(at('missing-glyph')).toEqual({ rows: [4], keys: ['R04'], id: 'greeting', severity: 'error' });
    expect(at('image-not-found')).toEqual({ rows: [5], keys: ['R05'], id: 'photo', severity: 'error' });
    expect(at('compose-failed')).toEqual({ rows: [6], keys: ['R06'], id: 'code', severity: 'error' });
    expect(at('missing-required-data')).toEqual({ rows: [7], keys: ['R07'], id: 'name', severity: 'error' });
    expect(at('data-error')).toEqual({ rows: [8], keys: ['R08'], id: 'count', severity: 'error' });
    expect(at('variant-unknown-key')).toEqual({ rows: [9], keys: ['R09'], id: 'dealer_id', severity: 'warning' });
    expect(at('email-invalid-address')).toEqual({ rows: [10], keys: ['R10'], id: 'email', severity: 'error' });
    expect(at('email-no-address')).toEqual({ rows: [11], keys: ['R11'], id: 'email', severity: 'warning' });
    expect(at('email-unsubscribe-missing')).toEqual({ rows: [12], keys: ['R12'], id: undefined, severity: 'error' });
    expect(at('email-too-heavy')).toEqual({ rows: [13], keys: ['R13'], id: undefined, severity: 'warning' });
    // `JaVa<TAB>ScRiPt:alert(1)` in a text field used as a link: refused, quoted safely, named by block.
    expect(at('unsafe-link')).toEqual({ rows: [3], keys: ['R03'], id: 'em-web', severity: 'error' });
    expect(only(report, 'unsafe-link').message).toBe(
      'link "em-web.1": "JaVa\\tScRiPt:alert(1)" uses "javascript:", which is not allowed in a link (only http, https, mailto, tel); the link was removed',
    );
  });

  it('reports template problems once, as template findings', () => {
    for (const [code, id] of [
      ['image-low-resolution', 'logo-low'],
      ['print-rgb-colour', 'panel-rgb'],
      ['off-brand-colour', 'box-literal'],
      ['swatch-delta-e', 'loud'],
      ['text-clipped', 'deco-clip'],
      ['data-warning', 'internal_memo'],
    ] as const) {
      const f = only(report, code);
      expect([f.template, f.rows, f.target?.id], code).toEqual([true, [], id]);
    }
    expect(only(report, 'image-low-resolution').message).toMatch(/24×24 px\) at 16 ppi, below 300 ppi/);
    expect(only(report, 'image-low-resolution').fix).toMatch(/at least 450×450 px/);
    expect(only(report, 'email-too-heavy').message).toMatch(/Gmail clips/);
  });

  it('gives every finding a severity, a message and a fix sentence', () => {
    for (const f of report.findings) {
      expect(['error', 'warning', 'info']).toContain(f.severity);
      expect(f.message.length).toBeGreaterThan(10);
      expect(f.fix).toMatch(/^[A-Z].*\.$/);
    }
    expect(report.summary).toEqual({ errors: 9, warnings: 9, info: 1, records: 13 });
  });
});

describe('presswork preflight — the sample campaign', () => {
  it('finds exactly what the documented hard cases predict (print + email, exit 1)', async () => {
    const r = await presswork('preflight', SAMPLE, '--data', sampleData, '--json', '--today', TODAY);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as Report;
    expect(report.summary).toMatchObject({ errors: 1, records: 200 });
    const summary = report.findings.map((f) => [f.code, f.severity, f.template ? 'template' : f.rows.join(','), f.target?.id]);
    expect(summary).toEqual([
      // data/README.md row 71: invalid e-mail address — cannot be sent.
      ['email-invalid-address', 'error', '71', 'email'],
      // Row 142: no e-mail address — print only.
      ['email-no-address', 'warning', '142', 'email'],
      // Real swatch drift under the press model: charcoal and the Lakeview green builds vs their sRGB values…
      ['swatch-delta-e', 'warning', 'template', 'charcoal'],
      ['swatch-delta-e', 'warning', 'template', 'dealer-green'],
      // …and the navy spot, which lies outside the press gamut.
      ['swatch-delta-e', 'warning', 'template', 'brand-navy'],
      // Row 63: unknown dealer ZZ99 falls back to the network branding — a warning, a person should confirm it.
      ['variant-unknown-key', 'warning', '63', 'dealer_id'],
    ]);
    const navy = report.findings.find((f) => f.target?.id === 'brand-navy')!;
    expect(navy.message).toMatch(/spot ↔ CMYK build ΔE2000 \d+\.\d\d/);
    expect(navy.fix).toMatch(/outside the press gamut/);
  });

  it('print only: the invalid address is a warning and the job may go to press (exit 0), human output grouped', async () => {
    const r = await presswork('preflight', SAMPLE, '--data', sampleData, '--channel', 'print', '--today', TODAY);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/200 records checked \(print\)/);
    expect(r.stdout).toMatch(/0 errors, 5 warnings, 0 info/);
    expect(r.stdout).toMatch(/WARNINGS \(5\)\n {2}\[email-invalid-address\] data · field "email"/);
    expect(r.stdout).toMatch(/row: 71 \(C-595943\)/);
    expect(r.stdout).toMatch(/Ready for production; review the warnings\./);
    expect(r.stdout).not.toMatch(/email-no-address/);
  });

  it('groups findings by variant, and --variant checks one dealer only', async () => {
    const all = await runPreflight(SAMPLE, sampleData, { today: TODAY });
    if (!all.ok) throw new Error(all.message);
    const grouped = findingsByVariant(all.report);
    expect(grouped.template.map((f) => f.target?.id)).toEqual(['charcoal', 'dealer-green', 'brand-navy']);
    expect(Object.keys(grouped.variants).sort()).toEqual(['LK02', 'NS01', 'ZZ99']);
    expect(grouped.variants.LK02!.map((f) => [f.code, f.rows])).toEqual([['email-invalid-address', [71]]]);
    expect(grouped.variants.NS01!.map((f) => [f.code, f.rows])).toEqual([['email-no-address', [142]]]);

    const ns = await runPreflight(SAMPLE, sampleData, { today: TODAY, variant: 'NS01' });
    if (!ns.ok) throw new Error(ns.message);
    expect(ns.report.summary.records).toBe(69);
    expect(ns.report.ok).toBe(true);
    expect(ns.report.findings.filter((f) => !f.template).map((f) => [f.code, f.rows])).toEqual([['email-no-address', [142]]]);
  });
});

describe('presswork preflight — bad input exits 2', () => {
  it('an unreadable template, an unreadable data file, a bad option', async () => {
    const noTemplate = await presswork('preflight', join(ROOT, 'no/such/template'), '--data', sampleData);
    expect(noTemplate.code).toBe(2);
    expect(noTemplate.stderr).toMatch(/no such file or folder/);
    const noData = await runPreflight(SAMPLE, join(ROOT, 'no/such/data.csv'), { today: TODAY });
    expect(noData).toMatchObject({ ok: false, input: 'data' });
    const badChannel = await presswork('preflight', SAMPLE, '--data', sampleData, '--channel', 'fax');
    expect(badChannel.code).toBe(2);
    expect(badChannel.stderr).toMatch(/--channel must be print, email or both/);
  });

  it('docs/preflight.md documents every code', () => {
    const doc = readFileSync(join(ROOT, 'docs', 'preflight.md'), 'utf8');
    for (const code of FINDING_CODES) expect(doc, code).toContain(`\`${code}\``);
  });
});
