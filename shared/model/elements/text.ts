import { z } from 'zod';
import { FontIdSchema } from '../ids';
import { ColorRefSchema } from '../color';
import { FontWeightSchema } from '../brand';
import { BoxSidesSchema, baseElementShape } from './base';

/** Character style. A run may override any part of its frame's style. */
export const TextStyleSchema = z.strictObject({
  font: FontIdSchema,
  size: z.number().positive(),
  color: ColorRefSchema,
  /** Tracking in 1/1000 em, as in InDesign. */
  tracking: z.number().min(-500).max(2000).default(0),
  underline: z.boolean().default(false),
});
export type TextStyle = z.infer<typeof TextStyleSchema>;

/** A run's overrides; `weight`/`italic` pick another face of the frame font's family from the brand kit. */
export const RunStyleSchema = z.strictObject({
  font: FontIdSchema.optional(),
  weight: FontWeightSchema.optional(),
  italic: z.boolean().optional(),
  size: z.number().positive().optional(),
  color: ColorRefSchema.optional(),
  tracking: z.number().min(-500).max(2000).optional(),
  underline: z.boolean().optional(),
});
export type RunStyle = z.infer<typeof RunStyleSchema>;

/** A run of text in one style. `text` is Liquid: `Hi {{ first_name }}`. */
export const TextRunSchema = z.strictObject({
  text: z.string(),
  style: RunStyleSchema.optional(),
});
export type TextRun = z.infer<typeof TextRunSchema>;

export const TextAlignSchema = z.enum(['left', 'center', 'right', 'justify']);
export type TextAlign = z.infer<typeof TextAlignSchema>;

export const ParagraphSchema = z.strictObject({
  runs: z.array(TextRunSchema).min(1, { error: 'must have at least one run' }),
  align: TextAlignSchema.optional(),
  spaceBefore: z.number().min(0).default(0),
  spaceAfter: z.number().min(0).default(0),
  /** Liquid condition; the paragraph is left out for records where it is false. */
  visibleIf: z.string().min(1).optional(),
});
export type Paragraph = z.infer<typeof ParagraphSchema>;

/**
 * What happens when the text does not fit the frame:
 * - overflow: text is cut at the frame and the overflow is reported;
 * - shrink: copy-fit, the size is reduced (never below `minSize`) until it fits; if it still does not, it is reported;
 * - clip: text is cut at the frame silently (use for decorative text only).
 */
export const FitSchema = z.strictObject({
  mode: z.enum(['overflow', 'shrink', 'clip']).default('overflow'),
  minSize: z.number().positive().optional(),
});
export type Fit = z.infer<typeof FitSchema>;

export const TextElementSchema = z.strictObject({
  ...baseElementShape,
  type: z.literal('text'),
  style: TextStyleSchema,
  paragraphs: z.array(ParagraphSchema).min(1, { error: 'must have at least one paragraph' }),
  align: TextAlignSchema.default('left'),
  verticalAlign: z.enum(['top', 'middle', 'bottom']).default('top'),
  /** Line height as a multiple of the font size. */
  leading: z.number().positive().default(1.2),
  padding: BoxSidesSchema.default({ top: 0, right: 0, bottom: 0, left: 0 }),
  fit: FitSchema.default({ mode: 'overflow' }),
});
export type TextElement = z.infer<typeof TextElementSchema>;
