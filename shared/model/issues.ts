import type { z } from 'zod';

/** One problem in a document: where it is and what to do about it. */
export interface ValidationIssue {
  /** Dotted path with indices, e.g. `print.pages[0].elements[3].style.size`. */
  path: string;
  message: string;
  code: string;
}

export type PathSegment = string | number | symbol;

export function formatPath(path: readonly PathSegment[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else {
      const s = String(seg);
      out += /^[A-Za-z_$][\w$]*$/.test(s) ? (out ? `.${s}` : s) : `[${JSON.stringify(s)}]`;
    }
  }
  return out || '(document)';
}

const describe = (v: unknown): string => {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'string') return `the text ${JSON.stringify(v.length > 40 ? `${v.slice(0, 37)}...` : v)}`;
  if (typeof v === 'object') return 'an object';
  return `${typeof v === 'number' ? 'the number' : typeof v} ${String(v)}`;
};

const EXPECTED: Record<string, string> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  object: 'an object',
  array: 'a list',
  tuple: 'a list',
  record: 'an object',
  literal: 'a fixed value',
};

const plural = (n: number | bigint, word: string) => `${n} ${word}${Number(n) === 1 ? '' : 's'}`;

/**
 * Plain sentences for zod's built-in checks. Messages written into the schemas themselves take precedence
 * (zod consults a parse-time error map only where the schema has none).
 */
export const sentenceFor = (iss: z.core.$ZodRawIssue): string | undefined => {
  switch (iss.code) {
    case 'invalid_type':
      if (iss.input === undefined) return 'is required';
      return `must be ${EXPECTED[iss.expected] ?? iss.expected}, not ${describe(iss.input)}`;
    case 'too_small': {
      const min = iss.minimum;
      if (iss.origin === 'string') return Number(min) <= 1 ? 'must not be empty' : `must be at least ${plural(min, 'character')}`;
      if (iss.origin === 'array' || iss.origin === 'set') return `must have at least ${plural(min, 'item')}`;
      return iss.inclusive ? `must be at least ${min}` : `must be greater than ${min}`;
    }
    case 'too_big': {
      const max = iss.maximum;
      if (iss.origin === 'string') return `must be at most ${plural(max, 'character')}`;
      if (iss.origin === 'array' || iss.origin === 'set') return `must have at most ${plural(max, 'item')}`;
      return iss.inclusive ? `must be at most ${max}` : `must be less than ${max}`;
    }
    case 'invalid_value':
      return iss.values.length === 1
        ? `must be ${JSON.stringify(iss.values[0])}`
        : `must be one of: ${iss.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'invalid_format':
      return `is not in the expected format (${iss.format})`;
    case 'not_multiple_of':
      return `must be a multiple of ${String(iss.divisor)}`;
    case 'invalid_union':
      return 'does not match any of the allowed forms';
    case 'invalid_key':
      return 'has an invalid key';
    default:
      return undefined;
  }
};

/** Turn zod's issues into ours: one per problem, unknown keys reported one by one at their own path. */
export function fromZodIssues(issues: readonly z.core.$ZodIssue[]): ValidationIssue[] {
  const out: ValidationIssue[] = [];
  for (const iss of issues) {
    if (iss.code === 'unrecognized_keys') {
      for (const key of iss.keys) {
        out.push({
          path: formatPath([...iss.path, key]),
          code: 'unknown-key',
          message: `unknown key "${key}"; check its spelling against the template format (docs/template-format.md)`,
        });
      }
      continue;
    }
    out.push({ path: formatPath(iss.path), code: iss.code, message: iss.message });
  }
  return out;
}

export const issueToString = (i: ValidationIssue): string => `${i.path}: ${i.message}`;

/**
 * A value quoted inside a message: JSON-quoted (so `"`, `\` and control characters are escaped and a
 * line break cannot split the message), cut to `max` characters. Markup such as `<` stays as it is:
 * messages are text, and every screen that shows them escapes them.
 */
export const quoteValue = (v: string, max = 60): string => JSON.stringify(v.length > max ? `${v.slice(0, max - 3)}...` : v);
