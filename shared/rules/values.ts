import { Drop } from 'liquidjs';

/**
 * Typed rule values (see docs/data-and-rules.md, "Rule types").
 *
 * A `boolean` rule's value is a BooleanRuleValue: false when the rule renders empty, `false`, `0` or `no`
 * (any case, trimmed), true otherwise. It is a Liquid Drop so that every reader agrees on it — liquidjs and
 * the compiled fast path (shared/rules/fast.ts) both take its truthiness from valueOf() and both hand
 * comparisons to equals() — in print and email conditions alike:
 *   rules.has_offer              true or false
 *   rules.has_offer == 'yes'     compares as a yes/no word (templates written against the rendered text keep working)
 *   rules.has_offer == true      compares as a boolean
 *   {{ rules.has_offer }}        prints true or false
 */

const FALSE_TEXT = new Set(['', 'false', '0', 'no']);
const TRUE_TEXT = new Set(['true', '1', 'yes']);

/** Boolean reading of rendered text: "", "false", "0", "no" (any case, trimmed) are false. */
export const truthyText = (s: string): boolean => !FALSE_TEXT.has(s.trim().toLowerCase());

export class BooleanRuleValue extends Drop {
  constructor(
    readonly value: boolean,
    /** The text the rule rendered (trimmed), for messages. */
    readonly text: string,
  ) {
    super();
  }
  static fromText(rendered: string): BooleanRuleValue {
    const t = rendered.trim();
    return new BooleanRuleValue(truthyText(t), t);
  }
  override valueOf(): boolean {
    return this.value;
  }
  override toString(): string {
    return String(this.value);
  }
  toJSON(): boolean {
    return this.value;
  }
  equals(other: unknown): boolean {
    if (other instanceof BooleanRuleValue) return other.value === this.value;
    if (other instanceof Drop && typeof (other as { equals?: unknown }).equals === 'function')
      return (other as unknown as { equals(v: unknown): boolean }).equals(this.value);
    if (typeof other === 'boolean') return other === this.value;
    if (typeof other === 'number') return (other !== 0) === this.value;
    if (typeof other === 'string') {
      const w = other.trim().toLowerCase();
      if (FALSE_TEXT.has(w)) return !this.value;
      if (TRUE_TEXT.has(w)) return this.value;
      return w === this.text.toLowerCase();
    }
    return false;
  }
  // Ordering has no meaning for yes/no; Liquid needs the methods to treat the value as comparable.
  gt(): boolean {
    return false;
  }
  lt(): boolean {
    return false;
  }
  geq(other: unknown): boolean {
    return this.equals(other);
  }
  leq(other: unknown): boolean {
    return this.equals(other);
  }
}
