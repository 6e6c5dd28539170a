import type { ColorRef } from '../color';
import type { ElementId, FontId } from '../ids';
import type { Box } from './base';
import { uniformSides } from './base';
import type { Element, ElementOfType, ElementType } from './schema';

/** A reference found inside an element, with its path relative to the element. */
export interface Ref<T> {
  path: (string | number)[];
  value: T;
}

/** Liquid found in an element: a template (`Hi {{ first_name }}`) or a condition (`has_offer and dealer.key`). */
export interface LiquidSource {
  path: (string | number)[];
  source: string;
  kind: 'template' | 'condition';
}

/**
 * The model layer of one element type: defaults for a new element and what it references.
 * Other layers (canvas adapter, PDF painter, property panel) keep registries of the same shape.
 */
export interface ElementModel<K extends ElementType> {
  type: K;
  label: string;
  create(id: ElementId, box: Box, defaults: CreateDefaults): ElementOfType<K>;
  colors(el: ElementOfType<K>): Ref<ColorRef>[];
  fonts(el: ElementOfType<K>): Ref<FontId>[];
  liquid(el: ElementOfType<K>): LiquidSource[];
  children(el: ElementOfType<K>): Element[];
}

export interface CreateDefaults {
  font: FontId;
  color: ColorRef;
}

const base = (id: ElementId, box: Box) => ({
  id,
  x: box.x,
  y: box.y,
  width: box.width,
  height: box.height,
  rotation: 0,
  opacity: 1,
  locked: false,
  hidden: false,
});

const none = () => [];
const visibility = (el: Element): LiquidSource[] =>
  el.visibleIf === undefined ? [] : [{ path: ['visibleIf'], source: el.visibleIf, kind: 'condition' }];

const strokeAndFill = (el: { fill?: ColorRef | undefined; stroke?: { color: ColorRef } | undefined }): Ref<ColorRef>[] => [
  ...(el.fill ? [{ path: ['fill'], value: el.fill }] : []),
  ...(el.stroke ? [{ path: ['stroke', 'color'], value: el.stroke.color }] : []),
];

export const elementModels = {
  text: {
    type: 'text',
    label: 'Text frame',
    create: (id, box, d) => ({
      ...base(id, box),
      type: 'text',
      style: { font: d.font, size: 12, color: d.color, tracking: 0, underline: false },
      paragraphs: [{ runs: [{ text: 'Text' }], spaceBefore: 0, spaceAfter: 0 }],
      align: 'left',
      verticalAlign: 'top',
      leading: 1.2,
      padding: uniformSides(0),
      fit: { mode: 'overflow' },
    }),
    colors: (el) => [
      { path: ['style', 'color'], value: el.style.color },
      ...el.paragraphs.flatMap((p, pi) =>
        p.runs.flatMap((r, ri) =>
          r.style?.color ? [{ path: ['paragraphs', pi, 'runs', ri, 'style', 'color'], value: r.style.color }] : [],
        ),
      ),
    ],
    fonts: (el) => [
      { path: ['style', 'font'], value: el.style.font },
      ...el.paragraphs.flatMap((p, pi) =>
        p.runs.flatMap((r, ri) => (r.style?.font ? [{ path: ['paragraphs', pi, 'runs', ri, 'style', 'font'], value: r.style.font }] : [])),
      ),
    ],
    liquid: (el) => [
      ...visibility(el),
      ...el.paragraphs.flatMap((p, pi) => [
        ...(p.visibleIf ? [{ path: ['paragraphs', pi, 'visibleIf'], source: p.visibleIf, kind: 'condition' as const }] : []),
        ...p.runs.map((r, ri) => ({ path: ['paragraphs', pi, 'runs', ri, 'text'], source: r.text, kind: 'template' as const })),
      ]),
    ],
    children: none,
  },
  image: {
    type: 'image',
    label: 'Image frame',
    create: (id, box) => ({ ...base(id, box), type: 'image', source: '', fit: 'contain', focal: { x: 0.5, y: 0.5 } }),
    colors: (el) => (el.background ? [{ path: ['background'], value: el.background }] : []),
    fonts: none,
    liquid: (el) => [...visibility(el), { path: ['source'], source: el.source, kind: 'template' }],
    children: none,
  },
  rect: {
    type: 'rect',
    label: 'Rectangle',
    create: (id, box, d) => ({ ...base(id, box), type: 'rect', fill: d.color, cornerRadius: 0 }),
    colors: strokeAndFill,
    fonts: none,
    liquid: visibility,
    children: none,
  },
  ellipse: {
    type: 'ellipse',
    label: 'Ellipse',
    create: (id, box, d) => ({ ...base(id, box), type: 'ellipse', fill: d.color }),
    colors: strokeAndFill,
    fonts: none,
    liquid: visibility,
    children: none,
  },
  line: {
    type: 'line',
    label: 'Line',
    create: (id, box, d) => ({ ...base(id, box), type: 'line', stroke: { color: d.color, width: 1 } }),
    colors: (el) => [{ path: ['stroke', 'color'], value: el.stroke.color }],
    fonts: none,
    liquid: visibility,
    children: none,
  },
  path: {
    type: 'path',
    label: 'Path',
    create: (id, box, d) => ({
      ...base(id, box),
      type: 'path',
      d: `M0 0 L${box.width} 0 L${box.width} ${box.height} Z`,
      fill: d.color,
    }),
    colors: strokeAndFill,
    fonts: none,
    liquid: visibility,
    children: none,
  },
  barcode: {
    type: 'barcode',
    label: 'Barcode / QR',
    create: (id, box, d) => ({
      ...base(id, box),
      type: 'barcode',
      symbology: 'qr',
      data: 'https://example.com',
      color: d.color,
      errorCorrection: 'M',
      quietZone: 2,
      showText: true,
    }),
    colors: (el) => [{ path: ['color'], value: el.color }, ...(el.background ? [{ path: ['background'], value: el.background }] : [])],
    fonts: none,
    liquid: (el) => [...visibility(el), { path: ['data'], source: el.data, kind: 'template' }],
    children: none,
  },
  group: {
    type: 'group',
    label: 'Group',
    create: (id, box) => ({ ...base(id, box), type: 'group', children: [] }),
    colors: none,
    fonts: none,
    liquid: visibility,
    children: (el) => el.children,
  },
} satisfies { [K in ElementType]: ElementModel<K> };

/** Look up the model of an element, typed by its own type. */
export function modelOf<K extends ElementType>(el: ElementOfType<K>): ElementModel<K> {
  return elementModels[el.type as K] as unknown as ElementModel<K>;
}

/** Every element in a tree, depth-first, with its path from the list it sits in. */
export function* walkElements(
  elements: readonly Element[],
  path: (string | number)[] = [],
): Generator<{ element: Element; path: (string | number)[] }> {
  for (const [i, element] of elements.entries()) {
    const here = [...path, i];
    yield { element, path: here };
    const kids = modelOf(element).children(element);
    if (kids.length) yield* walkElements(kids, [...here, 'children']);
  }
}
