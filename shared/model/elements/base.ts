import { z } from 'zod';
import { ElementIdSchema } from '../ids';
import { ConditionSchema } from '../rules';

/** Fields every print element has. Position is the top-left of the element's box in page points (trim origin). */
export const baseElementShape = {
  id: ElementIdSchema,
  name: z.string().optional(),
  x: z.number().finite(),
  y: z.number().finite(),
  width: z.number().min(0),
  height: z.number().min(0),
  /** Clockwise degrees about the box centre. */
  rotation: z.number().finite().default(0),
  opacity: z.number().min(0).max(1).default(1),
  locked: z.boolean().default(false),
  hidden: z.boolean().default(false),
  /** Liquid condition; the element is printed only for records where it is true. */
  visibleIf: ConditionSchema.optional(),
};

export const BoxSidesSchema = z.strictObject({
  top: z.number().min(0).default(0),
  right: z.number().min(0).default(0),
  bottom: z.number().min(0).default(0),
  left: z.number().min(0).default(0),
});
export type BoxSides = z.infer<typeof BoxSidesSchema>;
export const zeroSides = (): BoxSides => ({ top: 0, right: 0, bottom: 0, left: 0 });
export const uniformSides = (v: number): BoxSides => ({ top: v, right: v, bottom: v, left: v });

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}
