import { z } from 'zod';
import { ColorRefSchema } from '../color';
import { baseElementShape } from './base';

export const StrokeSchema = z.strictObject({
  color: ColorRefSchema,
  width: z.number().positive(),
  dash: z.array(z.number().min(0)).optional(),
});
export type Stroke = z.infer<typeof StrokeSchema>;

export const RectElementSchema = z.strictObject({
  ...baseElementShape,
  type: z.literal('rect'),
  fill: ColorRefSchema.optional(),
  stroke: StrokeSchema.optional(),
  cornerRadius: z.number().min(0).default(0),
});
export type RectElement = z.infer<typeof RectElementSchema>;

export const EllipseElementSchema = z.strictObject({
  ...baseElementShape,
  type: z.literal('ellipse'),
  fill: ColorRefSchema.optional(),
  stroke: StrokeSchema.optional(),
});
export type EllipseElement = z.infer<typeof EllipseElementSchema>;

/** A straight line from (x, y) to (x + width, y + height); width and height may be zero or negative. */
export const LineElementSchema = z.strictObject({
  ...baseElementShape,
  type: z.literal('line'),
  width: z.number().finite(),
  height: z.number().finite(),
  stroke: StrokeSchema,
});
export type LineElement = z.infer<typeof LineElementSchema>;

/** SVG path data in a `viewBox` coordinate space, scaled to the element's box. */
export const PathElementSchema = z.strictObject({
  ...baseElementShape,
  type: z.literal('path'),
  d: z.string().min(1),
  viewBox: z.tuple([z.number(), z.number(), z.number().positive(), z.number().positive()]).optional(),
  fill: ColorRefSchema.optional(),
  stroke: StrokeSchema.optional(),
});
export type PathElement = z.infer<typeof PathElementSchema>;
