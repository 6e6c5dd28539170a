import { describe, expect, it } from 'vitest';
import { findingsByVariant } from './group';
import { FindingCollector, summarise } from './report';

const overflow = (row: number, variant: string) => ({
  code: 'text-overflow' as const,
  channel: 'print' as const,
  target: { kind: 'element' as const, id: 'body', path: 'print.pages[0].elements[2]' },
  message: 'text frame "body" overflows at 10 pt; the lines beyond the frame would not print',
  record: { row, key: `C-${row}`, variant },
});

describe('FindingCollector', () => {
  it('aggregates the same problem on 200 records into one finding with the first rows and a count', () => {
    const c = new FindingCollector(10);
    for (let row = 1; row <= 200; row++) c.add(overflow(row, row % 2 ? 'NS01' : 'LK02'));
    const [f, ...rest] = c.findings();
    expect(rest).toHaveLength(0);
    expect(f!.rowCount).toBe(200);
    expect(f!.rows).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(f!.keys[0]).toBe('C-1');
    expect(f!.severity).toBe('error');
    expect(f!.fix).toMatch(/Enlarge the frame/);
    expect(f!.variants.NS01).toMatchObject({ count: 100, rows: [1, 3, 5, 7, 9, 11, 13, 15, 17, 19] });
    expect(f!.template).toBe(false);
  });

  it('keeps different messages, targets and codes apart, counts a row once, and sorts errors first', () => {
    const c = new FindingCollector(10);
    c.add(overflow(1, 'A'));
    c.add(overflow(1, 'A'));
    c.add({ ...overflow(2, 'A'), target: { kind: 'element', id: 'other' } });
    c.add({ code: 'print-rgb-colour', channel: 'print', message: 'rect "x" prints the RGB value #336699, which has no CMYK build' });
    c.add({
      code: 'variant-unknown-key',
      severity: 'error',
      channel: 'data',
      message: 'dealer_id "ZZ" matches no dealer',
      record: { row: 3, key: 'k', variant: 'ZZ' },
    });
    const fs = c.findings();
    expect(fs.map((f) => [f.code, f.severity, f.rowCount])).toEqual([
      ['text-overflow', 'error', 1],
      ['text-overflow', 'error', 1],
      ['variant-unknown-key', 'error', 1],
      ['print-rgb-colour', 'warning', 0],
    ]);
    expect(fs[3]!.template).toBe(true);
    expect(summarise(fs, 3)).toEqual({ errors: 3, warnings: 1, info: 0, records: 3 });
  });
});

describe('findingsByVariant', () => {
  it('splits record findings per variant with that variant’s rows, and keeps template findings apart', () => {
    const c = new FindingCollector(2);
    for (const [row, v] of [
      [1, 'A'],
      [2, 'B'],
      [3, 'A'],
      [4, 'A'],
      [5, 'A'],
    ] as const)
      c.add(overflow(row, v));
    c.add({ code: 'swatch-delta-e', channel: 'brand', target: { kind: 'swatch', id: 'navy' }, message: 'navy drifts' });
    c.add({ code: 'missing-required-data', channel: 'data', target: { kind: 'variant', id: 'B' }, message: 'dealer "B" has no phone' });
    const g = findingsByVariant({ findings: c.findings() });
    expect(g.template.map((f) => f.code)).toEqual(['swatch-delta-e']);
    expect(g.variants.A!.map((f) => [f.code, f.rows, f.keys, f.rowCount])).toEqual([['text-overflow', [1, 3], ['C-1', 'C-3'], 4]]);
    expect(g.variants.B!.map((f) => [f.code, f.rows, f.rowCount])).toEqual([
      ['missing-required-data', [], 0],
      ['text-overflow', [2], 1],
    ]);
  });
});
