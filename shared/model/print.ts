import { z } from 'zod';
import { AssetIdSchema, PageIdSchema } from './ids';
import { BoxSidesSchema } from './elements/base';
import { ElementSchema } from './elements/schema';

/** A print page: trim size in points, bleed outside the trim, a safe area inside it, elements in z-order (first = bottom). */
export const PageSchema = z.strictObject({
  id: PageIdSchema,
  name: z.string().min(1),
  width: z.number().positive(),
  height: z.number().positive(),
  bleed: BoxSidesSchema.default({ top: 0, right: 0, bottom: 0, left: 0 }),
  /** Inset from the trim that important content should stay inside (a guide; preflight warns). */
  safeArea: z.number().min(0).default(0),
  elements: z.array(ElementSchema).default([]),
});
export type Page = z.infer<typeof PageSchema>;

export const PrintMarksSchema = z.strictObject({
  crop: z.boolean().default(false),
  bleed: z.boolean().default(false),
  /** Distance of the marks from the trim, in points; must be at least the bleed. */
  offset: z.number().min(0).default(12),
  length: z.number().positive().default(18),
});

export const PrintChannelSchema = z.strictObject({
  pages: z.array(PageSchema).min(1, { error: 'must have at least one page' }),
  marks: PrintMarksSchema.default({ crop: false, bleed: false, offset: 12, length: 18 }),
  /** ICC output profile (asset) written as the PDF's output intent. */
  outputIntent: AssetIdSchema.optional(),
});
export type PrintChannel = z.infer<typeof PrintChannelSchema>;
