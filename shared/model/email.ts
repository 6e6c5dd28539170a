import { z } from 'zod';
import { BlockIdSchema, FontIdSchema } from './ids';
import { ColorRefSchema } from './color';
import { ConditionSchema } from './rules';

/**
 * The email channel: a block tree that maps 1:1 onto MJML
 * (section → mj-section, column → mj-column, text → mj-text, image → mj-image, button → mj-button,
 * divider → mj-divider, spacer → mj-spacer, social → mj-social, raw → mj-raw).
 * Sizes are CSS pixels. Strings marked Liquid are personalised per recipient; all user text is escaped.
 */

const blockBase = {
  id: BlockIdSchema,
  visibleIf: ConditionSchema.optional(),
  /** CSS padding shorthand, e.g. "10px 25px". */
  padding: z
    .string()
    .regex(/^(\d+(\.\d+)?px\s*){1,4}$/, { error: 'must be CSS padding in px, e.g. "10px 25px"' })
    .optional(),
};

/** An inline run in email text; `text` and `href` are Liquid. */
export const EmailRunSchema = z.strictObject({
  text: z.string(),
  bold: z.boolean().optional(),
  italic: z.boolean().optional(),
  underline: z.boolean().optional(),
  href: z.string().optional(),
  color: ColorRefSchema.optional(),
});
export type EmailRun = z.infer<typeof EmailRunSchema>;

export const EmailTextBlockSchema = z.strictObject({
  ...blockBase,
  type: z.literal('text'),
  paragraphs: z.array(z.strictObject({ runs: z.array(EmailRunSchema).min(1) })).min(1),
  font: FontIdSchema.optional(),
  size: z.number().positive().default(16),
  lineHeight: z.number().positive().default(1.5),
  color: ColorRefSchema.optional(),
  align: z.enum(['left', 'center', 'right', 'justify']).default('left'),
});

export const EmailImageBlockSchema = z.strictObject({
  ...blockBase,
  type: z.literal('image'),
  /** Liquid yielding an asset id, a logo id or an absolute https URL. */
  src: z.string().min(1),
  alt: z.string().default(''),
  href: z.string().optional(),
  width: z.number().int().positive().optional(),
  align: z.enum(['left', 'center', 'right']).default('center'),
});

export const EmailButtonBlockSchema = z.strictObject({
  ...blockBase,
  type: z.literal('button'),
  label: z.string().min(1),
  href: z.string().min(1),
  background: ColorRefSchema,
  color: ColorRefSchema,
  font: FontIdSchema.optional(),
  align: z.enum(['left', 'center', 'right']).default('center'),
  borderRadius: z.number().min(0).default(4),
});

export const EmailDividerBlockSchema = z.strictObject({
  ...blockBase,
  type: z.literal('divider'),
  color: ColorRefSchema,
  thickness: z.number().positive().default(1),
});

export const EmailSpacerBlockSchema = z.strictObject({
  ...blockBase,
  type: z.literal('spacer'),
  height: z.number().positive().default(20),
});

export const EmailSocialBlockSchema = z.strictObject({
  ...blockBase,
  type: z.literal('social'),
  links: z
    .array(z.strictObject({ network: z.enum(['facebook', 'instagram', 'x', 'youtube', 'linkedin', 'web']), href: z.string().min(1) }))
    .min(1),
  align: z.enum(['left', 'center', 'right']).default('center'),
});

/** Designer-supplied HTML passed through as mj-raw. Trusted template content; never record data. */
export const EmailRawBlockSchema = z.strictObject({
  ...blockBase,
  type: z.literal('raw'),
  html: z.string(),
});

export const EMAIL_BLOCK_TYPES = ['text', 'image', 'button', 'divider', 'spacer', 'social', 'raw'] as const;
export type EmailBlockType = (typeof EMAIL_BLOCK_TYPES)[number];

export const EmailBlockSchema = z.discriminatedUnion(
  'type',
  [
    EmailTextBlockSchema,
    EmailImageBlockSchema,
    EmailButtonBlockSchema,
    EmailDividerBlockSchema,
    EmailSpacerBlockSchema,
    EmailSocialBlockSchema,
    EmailRawBlockSchema,
  ],
  { error: `is not an email block type; use one of: ${EMAIL_BLOCK_TYPES.join(', ')}` },
);
export type EmailBlock = z.infer<typeof EmailBlockSchema>;

export const EmailColumnSchema = z.strictObject({
  id: BlockIdSchema,
  /** Share of the section width in percent; columns without one split the rest evenly. */
  width: z.number().positive().max(100).optional(),
  blocks: z.array(EmailBlockSchema).default([]),
});
export type EmailColumn = z.infer<typeof EmailColumnSchema>;

export const EmailSectionSchema = z.strictObject({
  id: BlockIdSchema,
  visibleIf: ConditionSchema.optional(),
  background: ColorRefSchema.optional(),
  padding: blockBase.padding,
  columns: z.array(EmailColumnSchema).min(1).max(4, { error: 'must have at most 4 columns' }),
});
export type EmailSection = z.infer<typeof EmailSectionSchema>;

export const EmailAddressSchema = z.strictObject({
  /** Liquid, e.g. "{{ dealer.name }}". */
  name: z.string(),
  /** Liquid, e.g. "service@{{ dealer.domain }}". */
  email: z.string().min(3),
});

export const EmailChannelSchema = z.strictObject({
  subject: z.string().min(1),
  preheader: z.string().default(''),
  from: EmailAddressSchema,
  replyTo: z.string().optional(),
  /** Marketing mail carries List-Unsubscribe and must contain an unsubscribe link. */
  category: z.enum(['marketing', 'transactional']).default('marketing'),
  /** The data field holding the recipient's address. */
  recipientField: z.string().default('email'),
  width: z.number().int().min(320).max(900).default(600),
  background: ColorRefSchema.optional(),
  font: FontIdSchema.optional(),
  sections: z.array(EmailSectionSchema).min(1, { error: 'must have at least one section' }),
});
export type EmailChannel = z.infer<typeof EmailChannelSchema>;
