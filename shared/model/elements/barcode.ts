import { z } from 'zod';
import { ColorRefSchema } from '../color';
import { baseElementShape } from './base';

/** A barcode drawn as vectors. `data` is Liquid, e.g. `https://dealer.example/r/{{ customer_id }}`. */
export const BarcodeElementSchema = z.strictObject({
  ...baseElementShape,
  type: z.literal('barcode'),
  symbology: z.enum(['qr', 'code128', 'ean13']),
  data: z.string().min(1),
  color: ColorRefSchema,
  background: ColorRefSchema.optional(),
  /** QR error correction level. */
  errorCorrection: z.enum(['L', 'M', 'Q', 'H']).default('M'),
  /** Quiet zone in modules (QR) or narrow bars (1D). */
  quietZone: z.number().int().min(0).max(20).default(2),
  /** Print the human-readable digits under 1D codes. */
  showText: z.boolean().default(true),
});
export type BarcodeElement = z.infer<typeof BarcodeElementSchema>;
