import { z } from 'zod';
import { IdentifierSchema } from './ids';

export const FIELD_TYPES = ['text', 'number', 'money', 'date', 'email', 'url', 'image', 'boolean'] as const;
export const FieldTypeSchema = z.enum(FIELD_TYPES);
export type FieldType = z.infer<typeof FieldTypeSchema>;

/** One column of the campaign's data. `sample` is shown in the studio before data is loaded. */
export const DataFieldSchema = z.strictObject({
  name: IdentifierSchema,
  type: FieldTypeSchema.default('text'),
  label: z.string().optional(),
  required: z.boolean().default(false),
  sample: z.union([z.string(), z.number(), z.boolean()]).optional(),
  /** Alternative column headers that map to this field when data is imported. */
  aliases: z.array(z.string()).default([]),
  description: z.string().optional(),
});
export type DataField = z.infer<typeof DataFieldSchema>;

export const DataSchemaSchema = z.strictObject({
  fields: z.array(DataFieldSchema).min(1, { error: 'must declare at least one field' }),
  /** The field that identifies a record (customer id); used in reports and file names. */
  recordKey: IdentifierSchema,
  /** BCP 47 locale for parsing and formatting numbers, money and dates. */
  locale: z.string().min(2).default('en-US'),
  /** ISO 4217 currency for money fields. */
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/, { error: 'must be an ISO 4217 code like "USD"' })
    .default('USD'),
});
export type DataSchema = z.infer<typeof DataSchemaSchema>;
