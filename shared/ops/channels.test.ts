import { describe, expect, it } from 'vitest';
import { checkReferences, parseTemplateDocument } from '../model/validate';
import type { TemplateDocument } from '../model/document';
import { addEmailChannel, addPrintChannel, counterIds, removeEmailChannel, removePrintChannel, type OpResult } from './index';
import { opsTestDocument } from './testing';

const must = (r: OpResult): TemplateDocument => {
  if (!r.ok) throw new Error(r.error.message);
  return r.doc;
};

describe('channels', () => {
  it('adds email from the brand-kit starter: logo header, headline, text, button, footer with unsubscribe', () => {
    const { email: _e, ...printOnly } = opsTestDocument();
    const doc = printOnly as TemplateDocument;
    const next = must(addEmailChannel(doc, { idGen: counterIds() }));
    const email = next.email!;
    expect(email.recipientField).toBe('email');
    const blocks = email.sections.flatMap((s) => s.columns.flatMap((c) => c.blocks));
    expect(blocks.map((b) => b.type)).toEqual(['text', 'text', 'text', 'button', 'divider', 'text']);
    const button = blocks.find((b) => b.type === 'button');
    expect(button?.type === 'button' && button.background).toEqual({ swatch: 'navy', tint: 100 });
    const footer = blocks.at(-1)!;
    expect(footer.type === 'text' && footer.paragraphs[0]!.runs.some((r) => r.href === '{{ unsubscribe_url }}')).toBe(true);
    // A valid document with no reference problems; ids are unique.
    expect(parseTemplateDocument(JSON.parse(JSON.stringify(next))).ok).toBe(true);
    expect(checkReferences(next)).toEqual([]);
    expect(addEmailChannel(next, { idGen: counterIds() }).ok).toBe(false);
  });

  it('uses the first logo as the header and adds an email field when the data has none', () => {
    const { email: _e, ...rest } = opsTestDocument();
    const doc = {
      ...rest,
      data: { ...rest.data, fields: rest.data.fields.filter((f) => f.type !== 'email') },
      assets: [...rest.assets, { id: 'logo-file', name: 'logo.png', mediaType: 'image/png', sha256: 'b'.repeat(64), bytes: 3 }],
      brand: { ...rest.brand, logos: [{ id: 'main-logo', name: 'Main', asset: 'logo-file' }] },
    } as TemplateDocument;
    const next = must(addEmailChannel(doc, { idGen: counterIds() }));
    expect(next.data.fields.find((f) => f.name === 'email')).toMatchObject({ type: 'email', required: true, sample: 'alex@example.com' });
    const first = next.email!.sections[0]!.columns[0]!.blocks[0]!;
    expect(first.type === 'image' && first.src).toBe('main-logo');
    expect(checkReferences(next)).toEqual([]);
  });

  it('removes a channel only when another remains, and adds print back', () => {
    const doc = opsTestDocument();
    const emailOnly = must(removePrintChannel(doc));
    expect(emailOnly.print).toBeUndefined();
    expect(removeEmailChannel(emailOnly)).toMatchObject({ ok: false, error: { code: 'last-channel' } });
    const both = must(addPrintChannel(emailOnly, { idGen: counterIds(), width: 648, height: 432 }));
    expect(both.print!.pages[0]).toMatchObject({ width: 648, height: 432, bleed: { top: 9, right: 9, bottom: 9, left: 9 } });
    const printOnly = must(removeEmailChannel(both));
    expect(printOnly.email).toBeUndefined();
    expect(removePrintChannel(printOnly)).toMatchObject({ ok: false, error: { code: 'last-channel' } });
  });
});
