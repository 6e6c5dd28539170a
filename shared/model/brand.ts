import { z } from 'zod';
import { AssetIdSchema, FontIdSchema, LogoIdSchema } from './ids';
import { SwatchSchema } from './color';

export const FontWeightSchema = z.number().int().min(100).max(900);
export const FontStyleSchema = z.enum(['normal', 'italic']);

/** A brand font face: one file (TTF/OTF/WOFF/WOFF2) stored as a package asset. */
export const BrandFontSchema = z.strictObject({
  id: FontIdSchema,
  family: z.string().min(1),
  weight: FontWeightSchema.default(400),
  style: FontStyleSchema.default('normal'),
  asset: AssetIdSchema,
  /** Where the font comes from and under which licence it may be embedded (e.g. "SIL OFL 1.1"). */
  licence: z.string().min(1),
  /** CSS fallback stack used in email, e.g. "Helvetica, Arial, sans-serif". */
  emailFallback: z.string().default('Helvetica, Arial, sans-serif'),
});
export type BrandFont = z.infer<typeof BrandFontSchema>;

export const LogoSchema = z.strictObject({
  id: LogoIdSchema,
  name: z.string().min(1),
  asset: AssetIdSchema,
});
export type Logo = z.infer<typeof LogoSchema>;

export const BrandKitSchema = z.strictObject({
  name: z.string().min(1),
  fonts: z.array(BrandFontSchema).default([]),
  /** Fonts tried, in order, for a character the requested font lacks. */
  fontFallbacks: z.array(FontIdSchema).default([]),
  swatches: z.array(SwatchSchema).default([]),
  logos: z.array(LogoSchema).default([]),
  /** ΔE2000 above which a swatch's ink, process and screen versions are reported as drifting apart. */
  deltaEThreshold: z.number().positive().default(2),
});
export type BrandKit = z.infer<typeof BrandKitSchema>;
