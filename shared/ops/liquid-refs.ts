import type { TemplateDocument } from '../model/document';
import type { EmailBlock } from '../model/email';
import { modelOf, walkElements } from '../model/elements/registry';
import { createSafeLiquid } from '../rules/liquid';
import { conditionAsTemplate, hasLiquid } from '../rules/analyze';

/**
 * Every place in a document that holds Liquid, with a readable name for people, and a precise rewrite of
 * the variables a source reads (used by field and rule renames). Positions come from liquidjs's own static
 * analysis, so strings, loop variables and `assign`ed names are never touched.
 */

export type DocPath = (string | number)[];

export interface LiquidPlace {
  path: DocPath;
  source: string;
  kind: 'template' | 'condition';
  /** Where this is, for people: `text "Headline" on page Front`, `rule greeting`, `email subject`. */
  where: string;
}

const quote = (s: string, max = 30) => `"${s.length > max ? `${s.slice(0, max - 1)}…` : s}"`;

/** Every Liquid source in the document, in document order (rules, print, email). */
export function liquidPlaces(doc: TemplateDocument): LiquidPlace[] {
  const out: LiquidPlace[] = [];
  const add = (path: DocPath, source: string | undefined, kind: 'template' | 'condition', where: string) => {
    if (source !== undefined && source !== '') out.push({ path, source, kind, where });
  };
  doc.rules.forEach((r, i) => add(['rules', i, 'expression'], r.expression, 'template', `rule ${r.name}`));
  doc.print?.pages.forEach((page, pi) => {
    for (const { element, path } of walkElements(page.elements, ['print', 'pages', pi, 'elements'])) {
      const model = modelOf(element);
      const name = element.name ? quote(element.name) : element.id;
      for (const l of model.liquid(element))
        add([...path, ...l.path], l.source, l.kind, `${model.label.toLowerCase()} ${name} on page ${page.name ?? pi + 1}`);
    }
  });
  const email = doc.email;
  if (email) {
    add(['email', 'subject'], email.subject, 'template', 'email subject');
    add(['email', 'preheader'], email.preheader, 'template', 'email preheader');
    add(['email', 'from', 'name'], email.from.name, 'template', 'email sender name');
    add(['email', 'from', 'email'], email.from.email, 'template', 'email sender address');
    email.sections.forEach((s, si) => {
      const sp: DocPath = ['email', 'sections', si];
      add([...sp, 'visibleIf'], s.visibleIf, 'condition', `email section ${si + 1} (shown if)`);
      s.columns.forEach((c, ci) =>
        c.blocks.forEach((b, bi) => {
          const at: DocPath = [...sp, 'columns', ci, 'blocks', bi];
          const where = `email ${b.type} block in section ${si + 1}`;
          add([...at, 'visibleIf'], b.visibleIf, 'condition', `${where} (shown if)`);
          for (const [p, src] of emailBlockLiquid(b)) add([...at, ...p], src, 'template', where);
        }),
      );
    });
  }
  return out;
}

function emailBlockLiquid(b: EmailBlock): [DocPath, string | undefined][] {
  switch (b.type) {
    case 'text':
      return b.paragraphs.flatMap((p, pi) =>
        p.runs.flatMap((r, ri): [DocPath, string | undefined][] => [
          [['paragraphs', pi, 'runs', ri, 'text'], r.text],
          [['paragraphs', pi, 'runs', ri, 'href'], r.href],
        ]),
      );
    case 'image':
      return [
        [['src'], b.src],
        [['alt'], b.alt],
        [['href'], b.href],
      ];
    case 'button':
      return [
        [['label'], b.label],
        [['href'], b.href],
      ];
    case 'social':
      return b.links.map((l, li): [DocPath, string] => [['links', li, 'href'], l.href]);
    case 'divider':
    case 'spacer':
    case 'raw':
      return [];
  }
}

// The engine's own configuration, so what parses here parses when composing.
const analyzer = createSafeLiquid({ today: '2000-01-01', locale: 'en-US', currency: 'USD' });

interface Occurrence {
  /** Offset in the source of the first character to replace. */
  start: number;
  end: number;
}

/** Where a condition starts inside the template it is wrapped in (`{% if ` → 6). */
const CONDITION_PREFIX = conditionAsTemplate('\u0000').indexOf('\u0000');

function offsetOf(text: string, row: number, col: number): number {
  let offset = 0;
  for (let r = 1; r < row; r++) {
    const nl = text.indexOf('\n', offset);
    if (nl < 0) return -1;
    offset = nl + 1;
  }
  return offset + col - 1;
}

const IDENT = /[A-Za-z0-9_]/;

/**
 * Where a source reads the variable `path` (`['first_name']`, or `['rules', 'greeting']` for a rule): the
 * ranges of its last segment. `null` when the source is not valid Liquid.
 */
export function findVariable(source: string, kind: 'template' | 'condition', path: readonly string[]): Occurrence[] | null {
  if (kind === 'template' && !hasLiquid(source)) return [];
  const text = kind === 'condition' ? conditionAsTemplate(source) : source;
  const shift = kind === 'condition' ? CONDITION_PREFIX : 0;
  let globals: Record<string, { segments: unknown[]; location: { row: number; col: number } }[]>;
  try {
    globals = analyzer.analyzeSync(analyzer.parse(text)).globals as typeof globals;
  } catch {
    return null;
  }
  const [root, second] = path;
  if (root === undefined) return [];
  const out: Occurrence[] = [];
  for (const v of globals[root] ?? []) {
    if (second !== undefined && v.segments[1] !== second) continue;
    const start = offsetOf(text, v.location.row, v.location.col);
    if (start < 0 || text.slice(start, start + root.length) !== root || IDENT.test(text[start + root.length] ?? '')) continue;
    if (second === undefined) {
      out.push({ start: start - shift, end: start - shift + root.length });
      continue;
    }
    // `rules.greeting`, `rules . greeting` or `rules["greeting"]`.
    const rest = text.slice(start + root.length);
    const m = /^\s*(?:\.\s*|\[\s*["'])/.exec(rest);
    if (!m) continue;
    const at = start + root.length + m[0].length;
    if (text.slice(at, at + second.length) !== second || IDENT.test(text[at + second.length] ?? '')) continue;
    out.push({ start: at - shift, end: at - shift + second.length });
  }
  return out;
}

/** The source with every read of `path` renamed (its last segment becomes `to`); `null` when not valid Liquid. */
export function renameVariable(source: string, kind: 'template' | 'condition', path: readonly string[], to: string): string | null {
  const found = findVariable(source, kind, path);
  if (found === null) return null;
  let out = source;
  for (const o of [...found].sort((a, b) => b.start - a.start)) out = out.slice(0, o.start) + to + out.slice(o.end);
  return out;
}

/** A copy of `value` with `path` set to `next`; only the objects along the path are copied. */
export function setIn<T>(value: T, path: readonly (string | number)[], next: unknown): T {
  if (path.length === 0) return next as T;
  const [head, ...rest] = path as [string | number, ...(string | number)[]];
  if (Array.isArray(value)) {
    const copy = [...value] as unknown[];
    copy[head as number] = setIn(copy[head as number], rest, next);
    return copy as T;
  }
  const obj = value as Record<string | number, unknown>;
  return { ...obj, [head]: setIn(obj[head], rest, next) } as T;
}
