import type { TemplateDocument } from '../model/document';
import { EmailChannelSchema, type EmailChannel } from '../model/email';
import type { z } from 'zod';
import type { ColorRefSchema } from '../model/color';

type ColorIn = z.input<typeof ColorRefSchema>;
import type { Page } from '../model/print';
import { hexToLab } from '../color/convert';
import { freshId, type IdGenerator } from './ids';
import { usedBlockIds } from './email';
import { fieldNameProblem } from './fields';
import { fail, ok, type OpResult } from './result';

/**
 * Channels: a template carries print, email or both. Adding email starts from a starter layout built from
 * the brand kit (logo header, headline, text, button, footer with the unsubscribe link); removing a
 * channel is refused when it is the last one.
 */

/** CIE L* (0–100) of a screen colour. */
const lightness = (hex: string): number => {
  try {
    const lab = hexToLab(hex) as unknown;
    return Array.isArray(lab) ? (lab[0] as number) : (lab as { L: number }).L;
  } catch {
    return 50;
  }
};

/** The brand's accent (first swatch) and the colour to write on it (its lightest swatch, else white). */
function brandColours(doc: TemplateDocument): { accent: ColorIn; onAccent: ColorIn; muted: ColorIn } {
  const sw = doc.brand.swatches;
  const accent: ColorIn = sw[0] ? { swatch: sw[0].id } : { rgb: '#2f5bd3' };
  const lightest = [...sw].sort((a, b) => lightness(b.srgb) - lightness(a.srgb))[0];
  const onAccent: ColorIn =
    lightest && lightest.id !== sw[0]?.id && lightness(lightest.srgb) > 70 ? { swatch: lightest.id } : { rgb: '#ffffff' };
  return { accent, onAccent, muted: { rgb: '#6b7280' } };
}

/** The name of the data field holding the recipient's address, and the field to add when there is none. */
function recipient(doc: TemplateDocument): { name: string; add: boolean } {
  const existing = doc.data.fields.find((f) => f.type === 'email');
  if (existing) return { name: existing.name, add: false };
  for (const name of ['email', 'email_address', 'recipient_email']) if (!fieldNameProblem(doc, name)) return { name, add: true };
  return { name: 'email', add: false };
}

/** The email channel a new email starts with, built from the brand kit and the data fields. */
export function starterEmail(doc: TemplateDocument, idGen: IdGenerator, recipientField: string): EmailChannel {
  const c = brandColours(doc);
  const used = usedBlockIds(doc);
  const id = (prefix: string) => freshId(idGen, prefix, used) ?? prefix;
  const greetingField = doc.data.fields.find((f) => /first|vorname|given/i.test(f.name) && f.type === 'text');
  const logo = doc.brand.logos[0];
  const brandName = doc.brand.name || doc.name;
  const header = logo
    ? { id: id('logo'), type: 'image' as const, src: logo.id, alt: brandName, align: 'center' as const, width: 180 }
    : {
        id: id('brand'),
        type: 'text' as const,
        paragraphs: [{ runs: [{ text: brandName, bold: true }] }],
        size: 22,
        align: 'center' as const,
      };
  return EmailChannelSchema.parse({
    subject: doc.name,
    preheader: '',
    from: { name: brandName, email: 'hello@example.com' },
    category: 'marketing',
    recipientField,
    sections: [
      { id: id('header'), columns: [{ id: id('col'), blocks: [header] }] },
      {
        id: id('body'),
        columns: [
          {
            id: id('col'),
            blocks: [
              {
                id: id('headline'),
                type: 'text',
                paragraphs: [{ runs: [{ text: greetingField ? `Hello {{ ${greetingField.name} }},` : 'Hello,', bold: true }] }],
                size: 26,
                align: 'left',
              },
              {
                id: id('text'),
                type: 'text',
                paragraphs: [{ runs: [{ text: 'Write your message here.' }] }],
                size: 16,
                lineHeight: 1.5,
                align: 'left',
              },
              {
                id: id('button'),
                type: 'button',
                label: 'Find out more',
                href: 'https://example.com',
                background: c.accent,
                color: c.onAccent,
                align: 'left',
                borderRadius: 4,
              },
            ],
          },
        ],
      },
      {
        id: id('footer'),
        columns: [
          {
            id: id('col'),
            blocks: [
              { id: id('rule'), type: 'divider', color: c.muted, thickness: 1 },
              {
                id: id('footer-text'),
                type: 'text',
                paragraphs: [
                  {
                    runs: [{ text: `You receive this email from ${brandName}. ` }, { text: 'Unsubscribe', href: '{{ unsubscribe_url }}' }],
                  },
                ],
                size: 12,
                color: c.muted,
                align: 'center',
              },
            ],
          },
        ],
      },
    ],
  });
}

/** Give the template an email channel from the starter layout (and an email field when it has none). */
export function addEmailChannel(doc: TemplateDocument, args: { idGen: IdGenerator }): OpResult {
  if (doc.email) return fail('nothing-to-do', 'This template already has an email channel.');
  const r = recipient(doc);
  const base: TemplateDocument = r.add
    ? {
        ...doc,
        data: {
          ...doc.data,
          fields: [
            ...doc.data.fields,
            { name: r.name, type: 'email', required: true, sample: 'alex@example.com', aliases: ['E-Mail', 'Email address'] },
          ],
        },
      }
    : doc;
  const email = starterEmail(base, args.idGen, r.name);
  return ok(
    { ...base, email },
    email.sections.map((s) => s.id),
  );
}

/** Remove the email channel (refused when it is the only channel). */
export function removeEmailChannel(doc: TemplateDocument): OpResult {
  if (!doc.email) return fail('no-email-channel', 'This template has no email channel.');
  if (!doc.print) return fail('last-channel', 'The email is this template’s only channel; add a print channel before removing it.');
  const { email: _removed, ...rest } = doc;
  return ok(rest as TemplateDocument);
}

/** Give the template a print channel with one page of `size` (points) and 0.125 in bleed. */
export function addPrintChannel(
  doc: TemplateDocument,
  args: { idGen: IdGenerator; width: number; height: number; bleed?: number },
): OpResult {
  if (doc.print) return fail('nothing-to-do', 'This template already has a print channel.');
  const bleed = args.bleed ?? 9;
  const page: Page = {
    id: (freshId(args.idGen, 'page', new Set()) ?? 'page-1') as Page['id'],
    name: 'Page 1',
    width: args.width,
    height: args.height,
    bleed: { top: bleed, right: bleed, bottom: bleed, left: bleed },
    safeArea: 9,
    elements: [],
  } as Page;
  return ok({ ...doc, print: { pages: [page] } } as TemplateDocument, [page.id]);
}

/** Remove the print channel (refused when it is the only channel). */
export function removePrintChannel(doc: TemplateDocument): OpResult {
  if (!doc.print) return fail('no-print-channel', 'This template has no print channel.');
  if (!doc.email) return fail('last-channel', 'Print is this template’s only channel; add an email channel before removing it.');
  const { print: _removed, ...rest } = doc;
  return ok(rest as TemplateDocument);
}
