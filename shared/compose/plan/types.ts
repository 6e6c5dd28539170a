import type { Page } from '../../model/print';
import type { TextLayout } from '../../text/layout';

/**
 * The backend-neutral render plan: positioned items in points, page coordinates with the origin at the
 * top-left of the trim box and y pointing down. Writers (PDF now, canvas later) paint plans; they never
 * look at the template again.
 */

/** A colour resolved for printing: a spot ink (with its CMYK alternate), a process CMYK build, or sRGB. */
export type PlanColor =
  | { kind: 'spot'; name: string; cmyk: readonly [number, number, number, number]; tint: number }
  | { kind: 'cmyk'; cmyk: readonly [number, number, number, number] }
  | { kind: 'rgb'; rgb: readonly [number, number, number] };

/** Path commands; absolute coordinates. */
export type PathCmd =
  { op: 'M' | 'L'; x: number; y: number } | { op: 'C'; x1: number; y1: number; x2: number; y2: number; x: number; y: number } | { op: 'Z' };

/** 2D affine matrix [a b c d e f] as in PDF and canvas (`x' = a x + c y + e`, `y' = b x + d y + f`). */
export type Matrix = readonly [number, number, number, number, number, number];

export interface PlanStroke {
  color: PlanColor;
  width: number;
  dash?: readonly number[] | undefined;
}

export interface ShapeItem {
  kind: 'shape';
  path: PathCmd[];
  fill?: PlanColor | undefined;
  /** Non-zero (default) or even-odd filling. */
  evenOdd?: boolean;
  stroke?: PlanStroke | undefined;
}

/** Many filled rectangles in one colour (barcode modules): compact to write. */
export interface RectsItem {
  kind: 'rects';
  fill: PlanColor;
  /** x, y, width, height, repeated (in `transform` units when given: barcode modules). */
  rects: number[];
  transform?: Matrix | undefined;
}

export interface TextItem {
  kind: 'text';
  layout: TextLayout;
  /** The colour of each run, line by line (variant swatch overrides applied). */
  colors: PlanColor[][];
}

export interface ImageItem {
  kind: 'image';
  /** sha256 of the asset: one image object per distinct asset per PDF. */
  sha256: string;
  /** The image's unit square is mapped to this rectangle (may extend beyond the clip). */
  x: number;
  y: number;
  width: number;
  height: number;
  clip?: { x: number; y: number; width: number; height: number } | undefined;
}

export interface GroupItem {
  kind: 'group';
  items: PlanItem[];
  transform?: Matrix | undefined;
  opacity?: number | undefined;
  clip?: { x: number; y: number; width: number; height: number } | undefined;
}

/** Content that is the same for every record, composed once and reused (a Form XObject in PDF). */
export interface StaticItem {
  kind: 'static';
  /** Unique within the template: `<page index>:<segment index>`. */
  key: string;
  items: PlanItem[];
}

export type PlanItem = ShapeItem | RectsItem | TextItem | ImageItem | GroupItem | StaticItem;

export interface PlanPage {
  page: Page;
  pageIndex: number;
  items: PlanItem[];
}
