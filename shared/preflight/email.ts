import type { PreparedEmail } from '../compose/email/compose';
import { isValidEmail } from '../data/typing';
import type { TemplateDocument } from '../model/document';
import type { EmailBlock } from '../model/email';
import { formatPath } from '../model/issues';
import type { BoundRecord } from '../rules/engine';
import type { FindingTarget, Occurrence } from './report';

/**
 * Email checks for one record, on the message the email composer really renders (the precompiled
 * template from the Node side): recipient, unsubscribe link in marketing mail, HTML weight, and image
 * sources that resolve to nothing (the composer silently leaves such an image empty).
 */

type Emit = (o: Omit<Occurrence, 'channel' | 'record'>) => void;

/** Per-recipient built-ins for preflight: recognisable URLs, so the rendered HTML shows whether they are used. */
export const PREFLIGHT_BUILTINS = {
  unsubscribe_url: 'https://preflight.invalid/unsubscribe',
  view_online_url: 'https://preflight.invalid/view',
} as const;

export interface EmailCheckOptions {
  /** HTML bytes above which the email is reported (Gmail clips at 102 KB). */
  weightLimit: number;
}

export interface EmailChecker {
  /** `addressReported`: the data reader already reported this record's address as unreadable. */
  checkRecord(bound: BoundRecord, emit: Emit, addressReported?: boolean): void;
}

interface ImageBlock {
  block: Extract<EmailBlock, { type: 'image' }>;
  target: FindingTarget;
  conditions: string[];
}

const kb = (bytes: number) => `${Math.round(bytes / 1024)} KB`;

export function createEmailChecker(doc: TemplateDocument, prepared: PreparedEmail, options: EmailCheckOptions): EmailChecker {
  const email = doc.email;
  if (!email) throw new Error('the template has no email channel');
  const images: ImageBlock[] = [];
  email.sections.forEach((section, si) =>
    section.columns.forEach((col, ci) =>
      col.blocks.forEach((block, bi) => {
        if (block.type !== 'image') return;
        const path = formatPath(['email', 'sections', si, 'columns', ci, 'blocks', bi]);
        const conditions = [section.visibleIf, block.visibleIf].filter((c): c is string => c !== undefined);
        images.push({ block, target: { kind: 'block', id: block.id, path }, conditions });
      }),
    ),
  );
  const assetIds = new Set<string>(doc.assets.map((a) => a.id));
  const logoAssets = new Map<string, string>(doc.brand.logos.map((l) => [l.id, l.asset]));
  // The email composer's own resolution: an absolute https URL, an asset id, or a logo id.
  const resolves = (src: string) => /^https:\/\//i.test(src) || assetIds.has(src) || assetIds.has(logoAssets.get(src) ?? '');
  const recipientField = doc.data.fields.find((f) => f.name === email.recipientField);
  const recipientTarget: FindingTarget = { kind: 'field', id: email.recipientField };
  const encoder = new TextEncoder();

  return {
    checkRecord(bound, emit, addressReported = false) {
      for (const img of images) {
        if (img.conditions.some((c) => !bound.condition(c))) continue;
        const src = bound.text(img.block.src).trim();
        if (resolves(src)) continue;
        emit({
          code: 'image-not-found',
          target: img.target,
          message: src
            ? `image block "${img.block.id}": "${src}" is not an asset, logo or https URL; the email would show no image`
            : `image block "${img.block.id}": the image source is empty for this record; the email would show no image`,
        });
      }
      const r = prepared.render(bound);
      if (!r.ok) {
        emit({ code: 'compose-failed', message: r.reason });
        return;
      }
      const m = r.email;
      if (addressReported) {
        // One finding per cause: the invalid address is already reported.
      } else if (!m.to)
        emit({
          code: 'email-no-address',
          target: recipientTarget,
          message: `"${email.recipientField}" is empty; this record cannot be emailed`,
        });
      // Fields typed "email" are checked when the data is read; other recipient fields are checked here.
      else if (recipientField?.type !== 'email' && !isValidEmail(m.to))
        emit({ code: 'email-invalid-address', target: recipientTarget, message: `"${email.recipientField}" is not a valid email address` });
      if (m.category === 'marketing' && !m.html.includes(PREFLIGHT_BUILTINS.unsubscribe_url))
        emit({
          code: 'email-unsubscribe-missing',
          message: 'this marketing email shows no unsubscribe link ({{ unsubscribe_url }}) to the recipient',
        });
      const bytes = encoder.encode(m.html).length;
      if (bytes > options.weightLimit)
        emit({
          code: 'email-too-heavy',
          message: `the email's HTML is above the ${kb(options.weightLimit)} limit; Gmail clips messages with more than 102 KB of HTML and hides the rest behind "View entire message"`,
        });
    },
  };
}
