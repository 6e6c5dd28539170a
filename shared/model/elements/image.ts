import { z } from 'zod';
import { baseElementShape } from './base';
import { ColorRefSchema } from '../color';

/**
 * An image frame. `source` is Liquid that yields an asset id, a logo id, or an image field's value,
 * e.g. `logo-presswork` (static) or `{{ dealer.logo }}` (per record).
 */
export const ImageElementSchema = z.strictObject({
  ...baseElementShape,
  type: z.literal('image'),
  source: z.string().min(1),
  fit: z.enum(['contain', 'cover', 'fill']).default('contain'),
  /** Point of the image kept in view when cropping (cover), 0..1 from the top-left. */
  focal: z.strictObject({ x: z.number().min(0).max(1), y: z.number().min(0).max(1) }).default({ x: 0.5, y: 0.5 }),
  background: ColorRefSchema.optional(),
});
export type ImageElement = z.infer<typeof ImageElementSchema>;
