import { z } from 'zod';
import { SwatchIdSchema } from './ids';

/** CIE L*a*b* (D50): L in 0..100, a and b in -128..127. */
export const LabSchema = z.tuple([z.number().min(0).max(100), z.number().min(-128).max(128), z.number().min(-128).max(128)]);
export type Lab = z.infer<typeof LabSchema>;

/** A CMYK build in percent (0..100 for each ink). */
const percent = z.number().min(0).max(100);
export const CmykSchema = z.tuple([percent, percent, percent, percent]);
export type Cmyk = z.infer<typeof CmykSchema>;

/** sRGB as #rrggbb. */
export const HexColorSchema = z
  .string()
  .regex(/^#[0-9a-fA-F]{6}$/, { error: 'must be a hex colour like "#1a2b3c"' })
  .transform((s) => s.toLowerCase());
export type HexColor = z.infer<typeof HexColorSchema>;

/**
 * A swatch is one brand colour across media: an optional spot ink (e.g. a Pantone reference) with its
 * Lab value, the CMYK build used for process printing, and the sRGB value used on screens and in email.
 */
export const SwatchSchema = z.strictObject({
  id: SwatchIdSchema,
  name: z.string().min(1),
  spot: z
    .strictObject({
      name: z.string().min(1).max(127),
      lab: LabSchema,
    })
    .optional(),
  cmyk: CmykSchema,
  srgb: HexColorSchema,
});
export type Swatch = z.infer<typeof SwatchSchema>;

const tint = z.number().min(0).max(100).default(100);

/**
 * How an element names a colour. Brand colours are referenced by swatch id (never copied);
 * literal CMYK or sRGB values are allowed but preflight reports them as off-brand.
 */
export const ColorRefSchema = z.union(
  [z.strictObject({ swatch: SwatchIdSchema, tint }), z.strictObject({ cmyk: CmykSchema, tint }), z.strictObject({ rgb: HexColorSchema })],
  { error: 'must be a colour: {"swatch": "<swatch id>"}, {"cmyk": [c, m, y, k]} or {"rgb": "#rrggbb"}' },
);
export type ColorRef = z.infer<typeof ColorRefSchema>;

export const isSwatchRef = (c: ColorRef): c is Extract<ColorRef, { swatch: unknown }> => 'swatch' in c;
