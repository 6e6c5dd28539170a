import { toPt, type LengthUnit } from '../../shared/model/units';

/** The rulers' arithmetic, without the DOM (rulers.ts draws it; ruler-ticks.test.ts checks it). */

/** Ruler thickness in CSS pixels. */
export const RULER_SIZE = 18;

export interface RulerTick {
  /** Screen position along the ruler, CSS px from the viewport's edge. */
  px: number;
  /** 2 labelled major tick, 1 half step, 0 minor. */
  level: 0 | 1 | 2;
  /** Major ticks: the distance from the trim corner in the unit. */
  label?: string;
}

/** Major steps per unit (the first whose spacing on screen is at least `minMajorPx` wins) and their subdivisions. */
const STEPS: Record<LengthUnit, { step: number; sub: number }[]> = {
  mm: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000].map((step) => ({
    step,
    sub: String(step).startsWith('2') ? 2 : String(step).startsWith('5') ? 5 : 10,
  })),
  pt: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000].map((step) => ({
    step,
    sub: String(step).startsWith('2') ? 2 : String(step).startsWith('5') ? 5 : 10,
  })),
  in: [
    { step: 0.125, sub: 1 },
    { step: 0.25, sub: 2 },
    { step: 0.5, sub: 4 },
    { step: 1, sub: 8 },
    { step: 2, sub: 2 },
    { step: 5, sub: 5 },
    { step: 10, sub: 10 },
  ],
};

/**
 * The ticks of one ruler: zero at the trim corner (the page origin, on screen at `origin` px), `zoom`
 * CSS px per point, over `length` px of ruler. Labels in the unit; steps chosen so labels never crowd
 * (a major tick every ≥ 50 px) and minor ticks never blur (≥ 4 px apart, else fewer subdivisions).
 */
export function rulerTicks(zoom: number, origin: number, length: number, unit: LengthUnit, minMajorPx = 50): RulerTick[] {
  const pxPerUnit = toPt(1, unit) * zoom;
  const steps = STEPS[unit];
  const choice = steps.find((s) => s.step * pxPerUnit >= minMajorPx) ?? steps[steps.length - 1]!;
  let sub = choice.sub;
  while (sub > 1 && (choice.step / sub) * pxPerUnit < 4) sub = sub % 2 === 0 ? sub / 2 : 1;
  const minor = choice.step / sub;
  const first = Math.floor(-origin / pxPerUnit / minor);
  const last = Math.ceil((length - origin) / pxPerUnit / minor);
  const ticks: RulerTick[] = [];
  for (let i = first; i <= last; i++) {
    const value = i * minor;
    const px = origin + value * pxPerUnit;
    const k = ((i % sub) + sub) % sub;
    if (k === 0) ticks.push({ px, level: 2, label: formatValue(value) });
    else ticks.push({ px, level: sub % 2 === 0 && k === sub / 2 ? 1 : 0 });
  }
  return ticks;
}

const formatValue = (v: number) => String(Math.round(v * 1000) / 1000);
