import { describe, expect, it } from 'vitest';
import { TemplateDocumentSchema, type TemplateDocumentInput } from '../model/document';
import { minimalTemplate } from '../../tests/support/minimal-template';
import { approximateCmyk } from './cmyk';
import { colorUsages, offBrandColors } from './brand-usage';

function doc(edit: (d: TemplateDocumentInput & Record<string, unknown>) => void) {
  const d = minimalTemplate();
  edit(d);
  return TemplateDocumentSchema.parse(d);
}

const withOffBrand = () =>
  doc((d) => {
    const page = d.print!.pages[0]!;
    page.elements!.push(
      { id: 'rule', type: 'line', x: 0, y: 0, width: 100, height: 0, stroke: { color: { cmyk: [0, 100, 100, 0] }, width: 1 } },
      {
        id: 'grp',
        type: 'group',
        x: 0,
        y: 0,
        width: 10,
        height: 10,
        children: [
          {
            id: 'dot',
            type: 'ellipse',
            x: 0,
            y: 0,
            width: 10,
            height: 10,
            fill: { swatch: 'navy' },
            stroke: { color: { rgb: '#15368b' }, width: 1 },
          },
        ],
      },
    );
    d.email = {
      subject: 'Hi',
      from: { name: 'Dealer', email: 'a@b.c' },
      background: { rgb: '#f0f0f0' },
      sections: [
        {
          id: 's1',
          columns: [
            {
              id: 'c1',
              blocks: [
                { id: 't', type: 'text', paragraphs: [{ runs: [{ text: 'x', color: { swatch: 'teal' } }] }] },
                { id: 'b', type: 'button', label: 'Book', href: 'https://x', background: { swatch: 'navy' }, color: { rgb: '#ffffff' } },
                { id: 'sp', type: 'spacer' },
              ],
            },
          ],
        },
      ],
    };
    d.variants!.items![0]!.swatches = { navy: 'dealer-green' };
  });

describe('brand colour enforcement', () => {
  it('lists every colour use with its path, through the element registry and the email blocks', () => {
    expect(colorUsages(withOffBrand()).map((u) => u.path)).toEqual([
      'print.pages[0].elements[0].fill',
      'print.pages[0].elements[1].style.color',
      'print.pages[0].elements[2].stroke.color',
      'print.pages[0].elements[3].children[0].fill',
      'print.pages[0].elements[3].children[0].stroke.color',
      'email.background',
      'email.sections[0].columns[0].blocks[0].paragraphs[0].runs[0].color',
      'email.sections[0].columns[0].blocks[1].background',
      'email.sections[0].columns[0].blocks[1].color',
    ]);
  });

  it('reports literal colours, unknown swatches and bad variant overrides, with the nearest brand swatch', () => {
    const found = offBrandColors(withOffBrand(), approximateCmyk);
    expect(found.map((f) => [f.path, f.reason])).toEqual([
      ['print.pages[0].elements[2].stroke.color', 'literal-color'],
      ['print.pages[0].elements[3].children[0].stroke.color', 'literal-color'],
      ['email.background', 'literal-color'],
      ['email.sections[0].columns[0].blocks[0].paragraphs[0].runs[0].color', 'unknown-swatch'],
      ['email.sections[0].columns[0].blocks[1].color', 'literal-color'],
      ['variants.items[0].swatches.navy', 'unknown-swatch'],
    ]);
    const nearNavy = found[1]!;
    expect(nearNavy.nearest?.swatch).toBe('navy');
    expect(nearNavy.nearest!.deltaE).toBeLessThan(1);
    expect(found[3]!.message).toContain('"teal"');
    expect(found[5]!.message).toMatch(/substitutes swatch "dealer-green"/);
  });

  it('finds nothing in a template that only references brand swatches', () => {
    expect(
      offBrandColors(
        doc(() => {}),
        approximateCmyk,
      ),
    ).toEqual([]);
  });
});
