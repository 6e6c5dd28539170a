import { inToPt, mmToPt } from './units';

/**
 * The page sizes File ▸ New offers, in points (trim size; bleed outside it). Postcards are landscape and
 * get a front and a back; sheets get one page. Custom takes the designer's own width, height and bleed.
 */
export const PAGE_PRESETS = {
  letter: { label: 'US Letter (8.5 × 11 in)', width: inToPt(8.5), height: inToPt(11), bleed: inToPt(0.125), pages: ['Page 1'] },
  a4: { label: 'A4 (210 × 297 mm)', width: mmToPt(210), height: mmToPt(297), bleed: mmToPt(3), pages: ['Page 1'] },
  'postcard-6x9': { label: 'Postcard 6 × 9 in', width: inToPt(9), height: inToPt(6), bleed: inToPt(0.125), pages: ['Front', 'Back'] },
  'postcard-4x6': { label: 'Postcard 4 × 6 in', width: inToPt(6), height: inToPt(4), bleed: inToPt(0.125), pages: ['Front', 'Back'] },
} as const;

export type PagePreset = keyof typeof PAGE_PRESETS | 'custom';
export const PAGE_PRESET_IDS = [...(Object.keys(PAGE_PRESETS) as (keyof typeof PAGE_PRESETS)[]), 'custom'] as const;
