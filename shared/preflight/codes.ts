/**
 * The preflight finding codes: what each means, its severity, and the one-sentence fix shown with it.
 * docs/preflight.md documents the same table for people; a test holds the two in step.
 *
 * Severity:
 * - error: blocks production (the record would print or send wrongly, or not at all);
 * - warning: production works, but a person should look (quality, brand, deliverability);
 * - info: worth knowing, nothing is wrong.
 */

export type Severity = 'error' | 'warning' | 'info';

export const FINDING_CODES = [
  'text-overflow',
  'copyfit-min-size',
  'text-clipped',
  'missing-glyph',
  'image-not-found',
  'image-low-resolution',
  'print-rgb-colour',
  'off-brand-colour',
  'swatch-delta-e',
  'missing-required-data',
  'data-error',
  'data-warning',
  'variant-unknown-key',
  'compose-failed',
  'unsafe-link',
  'email-invalid-address',
  'email-no-address',
  'email-unsubscribe-missing',
  'email-too-heavy',
] as const;
export type FindingCode = (typeof FINDING_CODES)[number];

export interface CodeInfo {
  /** The usual severity; a few codes depend on the job (documented in `note`). */
  severity: Severity;
  title: string;
  /** How to fix it, one sentence (each finding may give a more specific one). */
  fix: string;
  note?: string;
}

export const CODE_INFO: { readonly [K in FindingCode]: CodeInfo } = {
  'text-overflow': {
    severity: 'error',
    title: 'Text does not fit its frame',
    fix: 'Enlarge the frame, shorten the text or rule, or set fit to shrink with a lower minimum size.',
    note: 'Overflow mode with text beyond the frame, or shrink mode that still does not fit at the minimum size: text would be lost.',
  },
  'copyfit-min-size': {
    severity: 'warning',
    title: 'Copy-fit stopped at the minimum size',
    fix: 'Check that the text is still legible at this size, or enlarge the frame so it needs less shrinking.',
  },
  'text-clipped': {
    severity: 'info',
    title: 'Text cut by a clip frame',
    fix: 'Nothing to do if the frame is decorative; otherwise change its fit mode to shrink or overflow so the loss is caught.',
  },
  'missing-glyph': {
    severity: 'error',
    title: 'A character no brand font can draw',
    fix: 'Add a fallback font that has the character to brand.fontFallbacks, or correct the data.',
  },
  'image-not-found': {
    severity: 'error',
    title: 'Image not found',
    fix: 'Add the image to the template package (as an asset or logo), or correct the data or variant value that names it.',
  },
  'image-low-resolution': {
    severity: 'warning',
    title: 'Image below the print resolution',
    fix: 'Replace the image with one that has more pixels, or place it smaller.',
  },
  'print-rgb-colour': {
    severity: 'warning',
    title: 'RGB-only colour in print',
    fix: 'Use a brand swatch (which has a CMYK build) or a CMYK value; the printer would convert the RGB value unpredictably.',
  },
  'off-brand-colour': {
    severity: 'warning',
    title: 'Colour not from the brand kit',
    fix: 'Reference a brand swatch instead of a literal colour, or add the colour to the brand kit.',
  },
  'swatch-delta-e': {
    severity: 'warning',
    title: 'Swatch versions differ more than the brand allows',
    fix: 'Adjust the swatch CMYK build or sRGB value towards the suggestion, or accept the difference by raising brand.deltaEThreshold.',
  },
  'missing-required-data': {
    severity: 'error',
    title: 'Required data is missing',
    fix: 'Fill in the value in the data file (or the variant), or make the field optional in the data schema.',
  },
  'data-error': {
    severity: 'error',
    title: 'Unreadable data',
    fix: 'Correct the value in the data file; the record is not produced until it reads.',
  },
  'data-warning': {
    severity: 'warning',
    title: 'Data read with a warning',
    fix: 'Check the data file at the place named; the value was read, but maybe not as meant.',
  },
  'variant-unknown-key': {
    severity: 'warning',
    title: 'Record matches no variant',
    fix: 'Add the key to the template variants or correct the key in the data.',
    note: 'Warning when the template falls back to its default variant; error when variants.onUnknownKey is "error"; warning ("skipped") for "skip".',
  },
  'compose-failed': {
    severity: 'error',
    title: 'Record cannot be composed',
    fix: 'Correct the element or the data named in the message.',
  },
  'unsafe-link': {
    severity: 'error',
    title: 'Link refused by the URL policy',
    fix: 'Correct the value so it is an http, https, mailto or tel address; until then the email is sent without this link.',
    note: 'Every value that lands in a link or image source is checked, whatever its field type: javascript:, data:, vbscript:, relative addresses and control characters are refused.',
  },
  'email-invalid-address': {
    severity: 'error',
    title: 'Invalid recipient address',
    fix: 'Correct the address in the data file.',
    note: 'Error when the email channel is checked and the field is the recipient field; warning otherwise.',
  },
  'email-no-address': {
    severity: 'warning',
    title: 'No recipient address',
    fix: 'Add an address to send this record by email; otherwise it goes to print only.',
  },
  'email-unsubscribe-missing': {
    severity: 'error',
    title: 'Marketing email without an unsubscribe link',
    fix: 'Add a link or button whose href is {{ unsubscribe_url }} (shown to every recipient), or mark the email transactional if it is.',
  },
  'email-too-heavy': {
    severity: 'warning',
    title: 'Email HTML too large',
    fix: 'Shorten the content or move it to a linked page; Gmail clips messages whose HTML is above 102 KB and hides the rest (including the unsubscribe link).',
  },
};
