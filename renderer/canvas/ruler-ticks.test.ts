import { describe, expect, it } from 'vitest';
import { rulerTicks } from './ruler-ticks';

const majors = (t: ReturnType<typeof rulerTicks>) => t.filter((x) => x.level === 2);

describe('ruler ticks', () => {
  it('zero sits at the trim corner and follows pan; labels are distances in the unit', () => {
    // 100% zoom (96/72 px per pt), trim corner 40 px from the ruler's start.
    const zoom = 96 / 72;
    const t = rulerTicks(zoom, 40, 800, 'in');
    const zero = t.find((x) => x.label === '0')!;
    expect(zero.px).toBeCloseTo(40);
    // 1 in = 96 px at 100%: a major tick per inch with eighths between.
    const one = t.find((x) => x.label === '1')!;
    expect(one.px).toBeCloseTo(136);
    expect(t.filter((x) => x.px > 40 && x.px < 136)).toHaveLength(7);
    expect(t.find((x) => x.px > 87 && x.px < 89)?.level).toBe(1); // the half inch is longer
    // Ticks left of the corner are negative distances.
    expect(majors(rulerTicks(zoom, 200, 800, 'in')).map((x) => x.label)).toContain('-1');
  });

  it('mm and pt steps grow as the zoom shrinks, so labels never crowd (≥ 50 px apart)', () => {
    for (const unit of ['mm', 'pt', 'in'] as const)
      for (const zoom of [0.1, 0.3, 1, 96 / 72, 4, 12]) {
        const m = majors(rulerTicks(zoom, 10, 1200, unit));
        for (let i = 1; i < m.length; i++) expect(m[i]!.px - m[i - 1]!.px).toBeGreaterThanOrEqual(49.9);
        const all = rulerTicks(zoom, 10, 1200, unit);
        for (let i = 1; i < all.length; i++) expect(all[i]!.px - all[i - 1]!.px).toBeGreaterThanOrEqual(3.9);
      }
    // At 100%, 1 mm is 3.78 px: majors every 20 mm (75.6 px), minor ticks every 10 mm.
    const mm = rulerTicks(96 / 72, 0, 1000, 'mm');
    expect(
      majors(mm)
        .slice(0, 3)
        .map((x) => x.label),
    ).toEqual(['0', '20', '40']);
    expect(mm[1]!.px).toBeCloseTo(37.8, 1);
    // 6 in (432 pt) on a pt ruler at 100%: a major tick at 400.
    expect(majors(rulerTicks(96 / 72, 0, 1000, 'pt')).map((x) => x.label)).toContain('400');
  });
});
