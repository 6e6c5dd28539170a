import { z } from 'zod';
import { IdentifierSchema, SwatchIdSchema } from './ids';

export const VariantFieldSchema = z.strictObject({
  name: IdentifierSchema,
  type: z.enum(['text', 'url', 'email', 'phone', 'image', 'number']).default('text'),
  required: z.boolean().default(false),
  label: z.string().optional(),
});
export type VariantField = z.infer<typeof VariantFieldSchema>;

const VariantValuesSchema = z.record(z.string(), z.string());
const SwatchOverridesSchema = z.record(SwatchIdSchema, SwatchIdSchema);

/** One dealer (or location): its key in the data, and the values that replace the template's defaults. */
export const VariantSchema = z.strictObject({
  key: z.string().min(1),
  label: z.string().min(1),
  values: VariantValuesSchema.default({}),
  /** Swatch id → swatch id: this dealer prints `to` wherever the template uses `from`. */
  swatches: SwatchOverridesSchema.default({}),
});
export type Variant = z.infer<typeof VariantSchema>;

export const VariantSetSchema = z.strictObject({
  /** The data field whose value picks a record's variant. */
  keyField: IdentifierSchema,
  /** The name rules and elements use for the variant's values, e.g. `dealer.phone`. */
  alias: IdentifierSchema.default('dealer'),
  fields: z.array(VariantFieldSchema).default([]),
  items: z.array(VariantSchema).default([]),
  /** A record whose key matches no variant: use `fallback` values, skip the record, or fail it. */
  onUnknownKey: z.enum(['fallback', 'skip', 'error']).default('fallback'),
  fallback: z
    .strictObject({ label: z.string().default('Default'), values: VariantValuesSchema.default({}) })
    .default({ label: 'Default', values: {} }),
});
export type VariantSet = z.infer<typeof VariantSetSchema>;
