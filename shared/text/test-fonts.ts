import type { BrandKit } from '../model/brand';
import type { TextElement } from '../model/elements/text';
import { TextElementSchema } from '../model/elements/text';

/** A brand kit naming the sample campaign's fonts, for tests (bytes are supplied by the test's resolver). */
export const testBrand = (fallbacks: string[] = []): BrandKit =>
  ({
    name: 'Test',
    fonts: [
      { id: 'oswald', family: 'Oswald', weight: 700, style: 'normal', asset: 'Oswald_700Bold.ttf', licence: 'OFL', emailFallback: '' },
      {
        id: 'sans',
        family: 'Source Sans 3',
        weight: 400,
        style: 'normal',
        asset: 'SourceSans3-Regular.otf',
        licence: 'OFL',
        emailFallback: '',
      },
      {
        id: 'sans-bold',
        family: 'Source Sans 3',
        weight: 700,
        style: 'normal',
        asset: 'SourceSans3-Bold.otf',
        licence: 'OFL',
        emailFallback: '',
      },
      {
        id: 'sans-it',
        family: 'Source Sans 3',
        weight: 400,
        style: 'italic',
        asset: 'SourceSans3-It.otf',
        licence: 'OFL',
        emailFallback: '',
      },
    ],
    fontFallbacks: fallbacks,
    swatches: [],
    logos: [],
    deltaEThreshold: 2,
  }) as unknown as BrandKit;

/** A text element from a partial description (schema defaults applied). */
export const textElement = (partial: Record<string, unknown>): TextElement =>
  TextElementSchema.parse({
    id: 't1',
    type: 'text',
    x: 0,
    y: 0,
    width: 200,
    height: 100,
    style: { font: 'sans', size: 12, color: { cmyk: [0, 0, 0, 100] } },
    paragraphs: [{ runs: [{ text: 'Hello' }] }],
    ...partial,
  });
