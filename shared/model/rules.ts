import { z } from 'zod';
import { IdentifierSchema } from './ids';

/**
 * A named value computed from a record with Liquid, e.g.
 * `greeting = "{% if first_name != blank %}Hi {{ first_name }}{% else %}Hello{% endif %}"`.
 * Rules are visible to elements and other rules under `rules.<name>`.
 */
export const RuleSchema = z.strictObject({
  name: IdentifierSchema,
  expression: z.string(),
  /** What the rule yields; `boolean` rules are true unless they render to "", "false", "0" or "no". */
  type: z.enum(['text', 'number', 'date', 'boolean', 'image', 'url']).default('text'),
  description: z.string().optional(),
});
export type Rule = z.infer<typeof RuleSchema>;

/** A visibility condition: a Liquid expression as written after `{% if … %}`, e.g. `offer_eligible and dealer.offer != blank`. */
export const ConditionSchema = z.string().min(1);
