import { z } from 'zod';
import { AssetIdSchema, Sha256Schema, TemplateIdSchema } from './ids';
import { BrandKitSchema } from './brand';
import { DataSchemaSchema } from './data-schema';
import { RuleSchema } from './rules';
import { VariantSetSchema } from './variants';
import { PrintChannelSchema } from './print';
import { EmailChannelSchema } from './email';

/** The format version this code writes. Older documents are brought up to it by `shared/migrations`. */
export const CURRENT_FORMAT_VERSION = 1;
export const FORMAT_ID = 'presswork-template';

/** A file in the package (font, image, ICC profile). Stored once, at `assets/<sha256>`, whatever its name. */
export const AssetSchema = z.strictObject({
  id: AssetIdSchema,
  /** The original file name, kept for people and for export. */
  name: z.string().min(1),
  mediaType: z.string().regex(/^[a-z]+\/[a-z0-9.+-]+$/, { error: 'must be a media type like "image/png"' }),
  sha256: Sha256Schema,
  bytes: z.number().int().min(0),
  /** Pixel size for raster images (used for effective-resolution checks). */
  pixels: z.strictObject({ width: z.number().int().positive(), height: z.number().int().positive() }).optional(),
});
export type Asset = z.infer<typeof AssetSchema>;

export const TemplateDocumentSchema = z
  .strictObject({
    format: z.literal(FORMAT_ID, { error: `must be "${FORMAT_ID}"` }),
    formatVersion: z.literal(CURRENT_FORMAT_VERSION, {
      error: `must be ${CURRENT_FORMAT_VERSION} (older versions are migrated on load; newer ones need a newer Presswork)`,
    }),
    id: TemplateIdSchema,
    name: z.string().min(1),
    description: z.string().default(''),
    brand: BrandKitSchema,
    assets: z.array(AssetSchema).default([]),
    data: DataSchemaSchema,
    rules: z.array(RuleSchema).default([]),
    variants: VariantSetSchema.optional(),
    print: PrintChannelSchema.optional(),
    email: EmailChannelSchema.optional(),
  })
  .refine((d) => d.print !== undefined || d.email !== undefined, {
    error: 'a template needs a print channel, an email channel, or both',
    path: ['print'],
  });
export type TemplateDocument = z.infer<typeof TemplateDocumentSchema>;
export type TemplateDocumentInput = z.input<typeof TemplateDocumentSchema>;
