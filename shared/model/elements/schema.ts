import { z } from 'zod';
import { baseElementShape } from './base';
import { TextElementSchema, type TextElement } from './text';
import { ImageElementSchema, type ImageElement } from './image';
import {
  EllipseElementSchema,
  LineElementSchema,
  PathElementSchema,
  RectElementSchema,
  type EllipseElement,
  type LineElement,
  type PathElement,
  type RectElement,
} from './shapes';
import { BarcodeElementSchema, type BarcodeElement } from './barcode';

export const ELEMENT_TYPES = ['text', 'image', 'rect', 'ellipse', 'line', 'path', 'barcode', 'group'] as const;
export type ElementType = (typeof ELEMENT_TYPES)[number];

type BaseFields = z.infer<z.ZodObject<typeof baseElementShape>>;
/** A group positions its children relative to the group's own box. */
export interface GroupElement extends BaseFields {
  type: 'group';
  children: Element[];
}
export type Element = TextElement | ImageElement | RectElement | EllipseElement | LineElement | PathElement | BarcodeElement | GroupElement;

export const GroupElementSchema: z.ZodType<GroupElement, unknown> = z.strictObject({
  ...baseElementShape,
  type: z.literal('group'),
  get children() {
    return z.array(ElementSchema);
  },
}) as unknown as z.ZodType<GroupElement, unknown>;

export const ElementSchema: z.ZodType<Element, unknown> = z.lazy(() =>
  z.discriminatedUnion(
    'type',
    [
      TextElementSchema,
      ImageElementSchema,
      RectElementSchema,
      EllipseElementSchema,
      LineElementSchema,
      PathElementSchema,
      BarcodeElementSchema,
      GroupElementSchema as unknown as typeof RectElementSchema,
    ],
    { error: `is not an element type; use one of: ${ELEMENT_TYPES.join(', ')}` },
  ),
) as unknown as z.ZodType<Element, unknown>;

export type ElementOfType<K extends ElementType> = Extract<Element, { type: K }>;
