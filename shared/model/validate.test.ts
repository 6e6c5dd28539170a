import { describe, expect, it } from 'vitest';
import { parseTemplateDocument } from './validate';
import { serializeDocument } from './package';
import { minimalTemplate } from '../../tests/support/minimal-template';

const pathsOf = (input: unknown) => {
  const r = parseTemplateDocument(input);
  if (r.ok) return [];
  return r.issues.map((i) => `${i.path}: ${i.message}`);
};

describe('parseTemplateDocument', () => {
  it('accepts a valid document and fills defaults', () => {
    const r = parseTemplateDocument(minimalTemplate());
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const text = r.document.print?.pages[0]?.elements[1];
    expect(text?.type).toBe('text');
    if (text?.type !== 'text') return;
    expect(text.fit.mode).toBe('overflow');
    expect(text.leading).toBe(1.2);
    expect(r.document.brand.deltaEThreshold).toBe(2);
    expect(r.document.variants?.alias).toBe('dealer');
  });

  it('round-trips: parse → serialise → parse gives an equal document', () => {
    const first = parseTemplateDocument(minimalTemplate());
    if (!first.ok) throw new Error('fixture invalid');
    const again = parseTemplateDocument(JSON.parse(serializeDocument(first.document)));
    expect(again.ok && again.document).toEqual(first.document);
  });

  it('reports a structural mistake with its path and a plain sentence', () => {
    const doc = minimalTemplate();
    (doc.print as { pages: { elements: { style?: { size: number } }[] }[] }).pages[0]!.elements[1]!.style!.size = 0;
    expect(pathsOf(doc)).toEqual(['print.pages[0].elements[1].style.size: must be greater than 0']);
  });

  it('reports missing fields, unknown keys, bad enums and wrong types in plain words', () => {
    const doc = minimalTemplate() as Record<string, unknown>;
    const page = (doc.print as { pages: Record<string, unknown>[] }).pages[0]!;
    delete page.width;
    page.colour = 'red';
    (page.elements as Record<string, unknown>[])[1]!.align = 'middle';
    (page.elements as Record<string, unknown>[])[0]!.x = '10';
    expect(pathsOf(doc).sort()).toEqual(
      [
        'print.pages[0].colour: unknown key "colour"; check its spelling against the template format (docs/template-format.md)',
        'print.pages[0].elements[0].x: must be a number, not the text "10"',
        'print.pages[0].elements[1].align: must be one of: "left", "center", "right", "justify"',
        'print.pages[0].width: is required',
      ].sort(),
    );
  });

  it('names the allowed element types for an unknown one', () => {
    const doc = minimalTemplate();
    (doc.print as { pages: { elements: { type: string }[] }[] }).pages[0]!.elements[0]!.type = 'star';
    expect(pathsOf(doc)).toEqual([
      'print.pages[0].elements[0].type: is not an element type; use one of: text, image, rect, ellipse, line, path, barcode, group',
    ]);
  });

  it('checks cross-references: swatch, font, field, rule, variant key field, asset', () => {
    const doc = minimalTemplate() as Record<string, unknown>;
    const els = (doc.print as { pages: { elements: Record<string, unknown>[] }[] }).pages[0]!.elements;
    els[0]!.fill = { swatch: 'teal' };
    (els[1]!.style as Record<string, unknown>).font = 'headline';
    (els[1]!.paragraphs as { runs: { text: string }[] }[])[0]!.runs[0]!.text = 'Hi {{ nickname }} {{ rules.salutation }} {{ dealer.fax }}';
    (doc.variants as Record<string, unknown>).keyField = 'dealer_code';
    (doc.rules as { expression: string }[])[0]!.expression = '{{ middle_name }}';
    (doc.assets as Record<string, unknown>[]).length = 0;
    const found = pathsOf(doc);
    expect(found).toEqual(
      expect.arrayContaining([
        'brand.fonts[0].asset: unknown asset "font-body"; add the file to the package\'s assets list',
        'variants.keyField: variant key field "dealer_code" is not a data field; fields are "id", "first_name", "dealer_id"',
        'rules[0].expression: uses "middle_name", but "middle_name" is not a data field, rule or variant; fields are "id", "first_name", "dealer_id"',
        'print.pages[0].elements[0].fill.swatch: unknown swatch "teal"; brand swatches are "navy"',
        'print.pages[0].elements[1].style.font: unknown font "headline"; brand fonts are "body"',
        'print.pages[0].elements[1].paragraphs[0].runs[0].text: uses "nickname", but "nickname" is not a data field, rule or variant; fields are "id", "first_name", "dealer_id"',
        'print.pages[0].elements[1].paragraphs[0].runs[0].text: uses rules.salutation, but there is no rule "salutation"; rules are "greeting"',
        'print.pages[0].elements[1].paragraphs[0].runs[0].text: uses dealer.fax, but "fax" is not a variant field; variant fields are "phone"',
      ]),
    );
    expect(found).toHaveLength(8);
  });

  it('finds rule cycles and duplicate ids', () => {
    const doc = minimalTemplate() as Record<string, unknown>;
    doc.rules = [
      { name: 'a', expression: '{{ rules.b }}' },
      { name: 'b', expression: '{{ rules.a }}' },
    ];
    const els = (doc.print as { pages: { elements: Record<string, unknown>[] }[] }).pages[0]!.elements;
    els[1]!.id = 'bg';
    (els[1]!.paragraphs as { runs: { text: string }[] }[])[0]!.runs[0]!.text = 'x';
    expect(pathsOf(doc)).toEqual([
      'rules[0].expression: rules depend on each other in a cycle: a → b → a',
      'print.pages[0].elements[1].id: element id "bg" is already used at print.pages[0].elements[0]; ids must be unique',
    ]);
  });

  it('reports Liquid syntax errors where they are', () => {
    const doc = minimalTemplate();
    (doc.rules as { expression: string }[])[0]!.expression = '{% if first_name %}Hi';
    const [issue] = pathsOf(doc);
    expect(issue).toMatch(/^rules\[0\]\.expression: Liquid error: /);
  });

  it('refuses a document from a newer Presswork with advice', () => {
    expect(pathsOf({ ...minimalTemplate(), formatVersion: 99 })).toEqual([
      'formatVersion: this template was saved by a newer Presswork (format version 99; this one reads up to 1); update Presswork to open it',
    ]);
  });

  it('never throws on garbage', () => {
    for (const junk of [null, 42, 'x', [], {}, { format: 'presswork-template' }]) {
      const r = parseTemplateDocument(junk);
      expect(r.ok).toBe(false);
    }
  });
});
