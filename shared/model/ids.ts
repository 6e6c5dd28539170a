import { z } from 'zod';

/**
 * Ids are short, human-readable slugs ("brand-navy", "front", "headline"), unique within their kind.
 * They are branded so that a swatch id cannot be passed where an element id is expected.
 */
const SLUG = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const slug = () =>
  z.string().regex(SLUG, { error: 'must be an id: 1–64 letters, digits, "-", "_" or ".", starting with a letter or digit' });

export const TemplateIdSchema = slug().brand<'TemplateId'>();
export const ElementIdSchema = slug().brand<'ElementId'>();
export const PageIdSchema = slug().brand<'PageId'>();
export const SwatchIdSchema = slug().brand<'SwatchId'>();
export const FontIdSchema = slug().brand<'FontId'>();
export const AssetIdSchema = slug().brand<'AssetId'>();
export const LogoIdSchema = slug().brand<'LogoId'>();
export const BlockIdSchema = slug().brand<'BlockId'>();

export type TemplateId = z.infer<typeof TemplateIdSchema>;
export type ElementId = z.infer<typeof ElementIdSchema>;
export type PageId = z.infer<typeof PageIdSchema>;
export type SwatchId = z.infer<typeof SwatchIdSchema>;
export type FontId = z.infer<typeof FontIdSchema>;
export type AssetId = z.infer<typeof AssetIdSchema>;
export type LogoId = z.infer<typeof LogoIdSchema>;
export type BlockId = z.infer<typeof BlockIdSchema>;

/** Names used inside Liquid (data fields, rules, variant fields, the variant alias). */
export const IdentifierSchema = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/, {
  error: 'must be a name usable in Liquid: letters, digits and "_", starting with a letter or "_"',
});

/** Lowercase hex SHA-256 of an asset's bytes: its address in a template package. */
export const Sha256Schema = z.string().regex(/^[0-9a-f]{64}$/, { error: 'must be a lowercase hex SHA-256 (64 characters)' });
