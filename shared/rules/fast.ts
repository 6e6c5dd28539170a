import {
  Context,
  defaultOperators,
  Drop,
  IfTag,
  isTruthy,
  Output,
  TokenKind,
  toValueSync,
  TypeGuards,
  UnlessTag,
  type Expression,
  type Filter,
  type Liquid,
  type Template,
  type Token,
  type Value,
} from 'liquidjs';
import { escapeOutput } from './liquid';

/**
 * A faster renderer for templates parsed by liquidjs: a template is compiled once into a flat program of
 * literal strings and value slots, and rendering is concatenation.
 *
 * liquidjs evaluates every node through generators (so the same code can run sync and async); for the
 * shapes that personalisation uses — literal HTML, `{{ value | filters }}`, `{% if/elsif/else %}`,
 * `{% unless %}`, and capture-style block tags (FastCaptureTag) — that costs microseconds per node. This
 * module turns those nodes into plain closures that follow liquidjs's own semantics (the same property
 * reading with own-property-only, the same operators, truthiness, stringification and filter functions,
 * called with the same `this`). Every other node (for, case, assign, capture, raw, …) is rendered by
 * liquidjs itself in the same Context, so behaviour never differs; differential tests render the same
 * templates both ways.
 *
 * Slots: templates compiled against one SlotTable (e.g. a message's HTML, text part and headers) share
 * the value of each distinct `{{ expression | filters }}` per render: it is computed once per recipient and
 * escaped (HTML) or not (text) where it is used. Sharing is switched off for the whole table as soon as one
 * of its templates holds a node that liquidjs renders (assign, capture, for … may change what a name means).
 *
 * Parsing (and so parseLimit, strictFilters) is always liquidjs's. Memory limits apply inside filters as
 * before (they use the Context's limiter); the fast nodes have no loops, so render time is linear in the
 * template size, and loops still go through liquidjs with its renderLimit. The liquidjs Context is made
 * only when something needs it (a filter call, a node liquidjs renders).
 */

/** One render: the scope, the lazily made liquidjs Context, and the slot values computed so far. */
class Frame {
  private context: Context | undefined;
  constructor(
    readonly scope: Record<string, unknown>,
    readonly liquid: Liquid,
    readonly memo: unknown[] | undefined,
  ) {}
  get ctx(): Context {
    return (this.context ??= new Context(this.scope, this.liquid.options, { sync: true }, { liquid: this.liquid }));
  }
  /** The scopes liquidjs nodes may have written to (assign, capture, for), or undefined when none ran. */
  get scopes(): Record<string, unknown>[] | undefined {
    return this.context && (this.context as unknown as { scopes: Record<string, unknown>[] }).scopes;
  }
}

/** `this` for a filter call, as liquidjs gives it ({ context, token, liquid }); the Context is made on first use. */
class FilterThis {
  constructor(
    private readonly frame: Frame,
    readonly token: unknown,
    readonly liquid: Liquid,
  ) {}
  get context(): Context {
    return this.frame.ctx;
  }
}

type Node = (f: Frame) => string;
type Eval = (f: Frame) => unknown;
type Part = string | Node;

/** Marks a tag that the fast renderer may run as "render the body, then post-process the string". */
export interface FastCaptureTag {
  readonly templates: Template[];
  readonly pwCapture: (body: string) => string;
  /**
   * Optional, for tags in HTML-escaping engines: post-processing of the body as plain text (literals
   * unescaped, values not escaped), returning the HTML to write. pwCapture(b) must equal
   * pwCaptureText(unescapeHtml(b)); the compiler then renders the body without escaping and unescaping.
   */
  readonly pwCaptureText?: (text: string) => string;
  /** Exact inverse of the engine's escaping: decodes &amp; &lt; &gt; &quot; &#34; &#39; (required with pwCaptureText). */
  readonly pwUnescape?: (html: string) => string;
}
const isCapture = (t: unknown): t is FastCaptureTag =>
  typeof t === 'object' && t !== null && 'pwCapture' in t && typeof (t as { pwCapture: unknown }).pwCapture === 'function';

/** Values of the expressions shared by several templates rendered for the same scope (see the module note). */
export class SlotTable {
  private readonly keys = new Map<string, number>();
  /** True once a template compiled against this table holds a node liquidjs renders: no sharing then. */
  volatile = false;
  slot(key: string): number {
    let i = this.keys.get(key);
    if (i === undefined) this.keys.set(key, (i = this.keys.size));
    return i;
  }
  get size(): number {
    return this.keys.size;
  }
  /** A fresh memo for one render (one recipient); pass it to every template of the table. */
  memo(): unknown[] | undefined {
    return this.volatile ? undefined : new Array<unknown>(this.keys.size).fill(UNSET);
  }
}
const UNSET = Symbol('unset');

const hasOwn = Object.prototype.hasOwnProperty;
const isComparable = (v: unknown): boolean => v instanceof Drop && typeof (v as unknown as { equals?: unknown }).equals === 'function';

function toValue(v: unknown): unknown {
  return v instanceof Drop ? (v as unknown as { valueOf(): unknown }).valueOf() : v;
}

function stringify(v: unknown): string {
  if (typeof v === 'string') return v;
  v = toValue(v);
  if (typeof v === 'string') return v;
  if (v === null || v === undefined) return '';
  if (Array.isArray(v)) return v.map(stringify).join('');
  return String(v);
}

function readProperty(obj: unknown, key: unknown, f: Frame): unknown {
  if (obj === null || obj === undefined) return obj;
  if (typeof obj === 'object' && typeof (obj as { toLiquid?: unknown }).toLiquid === 'function')
    obj = (obj as { toLiquid(): unknown }).toLiquid();
  key = toValue(key);
  if (obj === null || obj === undefined) return obj;
  if (obj instanceof Drop) return toValueSync(f.ctx.readProperty(obj, key as string) as unknown);
  if (Array.isArray(obj) && typeof key === 'number') {
    const i = key < 0 ? obj.length + key : key;
    return hasOwn.call(obj, i) ? obj[i] : undefined;
  }
  const o = obj as Record<string, unknown>;
  const value = hasOwn.call(o, key as string) ? o[key as string] : undefined;
  if (typeof value === 'function') return (value as () => unknown).call(obj);
  if (key === 'size') {
    if (hasOwn.call(o, 'size') || o.size !== undefined) return o.size;
    if (Array.isArray(obj) || typeof obj === 'string') return (obj as { length: number }).length;
    if (typeof obj === 'object') return Object.keys(obj).length;
    return undefined;
  }
  if (key === 'first') return Array.isArray(obj) ? (hasOwn.call(obj, 0) ? obj[0] : undefined) : value;
  if (key === 'last') return Array.isArray(obj) ? (hasOwn.call(obj, obj.length - 1) ? obj[obj.length - 1] : undefined) : value;
  return value;
}

function findScope(key: string, f: Frame): unknown {
  const scopes = f.scopes;
  if (scopes) for (let i = scopes.length - 1; i >= 0; i--) if (key in scopes[i]!) return scopes[i];
  if (key in f.scope) return f.scope;
  // What Context.globals holds when the render options name none (ours never do).
  return f.liquid.options.globals;
}

class Unsupported extends Error {}

function compileToken(token: Token): Eval {
  if ('content' in token) {
    const c = (token as { content: unknown }).content;
    return () => c;
  }
  if (TypeGuards.isPropertyAccessToken(token)) {
    if (token.variable) throw new Unsupported('computed variable');
    const props = token.props.map((p) => compileToken(p as Token));
    if (props.length === 0) throw new Unsupported('empty access');
    const literal = token.props.every((p) => 'content' in p);
    if (literal) {
      // The common case: a.b.c with literal names.
      const keys = token.props.map((p) => toValue((p as unknown as { content: unknown }).content));
      const first = String(keys[0]);
      const head = keys[0];
      const rest = keys.slice(1);
      return (f) => {
        const s = f.scopes === undefined && first in f.scope ? f.scope : findScope(first, f);
        let v = readProperty(s, head, f);
        for (let i = 0; i < rest.length; i++) v = readProperty(v, rest[i], f);
        return v;
      };
    }
    const first = props[0]!;
    const rest = props.slice(1);
    return (f) => {
      const k = toValue(first(f));
      let v: unknown = readProperty(findScope(String(k), f), k, f);
      for (const p of rest) v = readProperty(v, toValue(p(f)), f);
      return v;
    };
  }
  throw new Unsupported('token');
}

const operators = defaultOperators as unknown as Record<string, (...a: unknown[]) => unknown>;
function compileOperator(op: string): (l: unknown, r: unknown, f: Frame) => unknown {
  const slow = operators[op];
  if (!slow) throw new Unsupported(`operator ${op}`);
  const viaLiquid = (l: unknown, r: unknown, f: Frame) => toValueSync(slow(l, r, f.ctx) as unknown);
  switch (op) {
    case '==':
    case '!=': {
      const neg = op === '!=';
      return (l, r, f) => {
        if (isComparable(l) || isComparable(r) || Array.isArray(l)) return viaLiquid(l, r, f);
        return neg ? toValue(l) !== toValue(r) : toValue(l) === toValue(r);
      };
    }
    case '<':
    case '>':
    case '<=':
    case '>=':
      return (l, r, f) => {
        if (isComparable(l) || isComparable(r)) return viaLiquid(l, r, f);
        const a = toValue(l) as number;
        const b = toValue(r) as number;
        return op === '<' ? a < b : op === '>' ? a > b : op === '<=' ? a <= b : a >= b;
      };
    case 'and':
      return (l, r, f) => truthy(l, f) && truthy(r, f);
    case 'or':
      return (l, r, f) => truthy(l, f) || truthy(r, f);
    default:
      return viaLiquid;
  }
}

/** liquidjs's isTruthy: with jsTruthy off (the default) only false, null and undefined are falsy. */
function truthy(v: unknown, f: Frame): boolean {
  v = toValue(v);
  if (f.liquid.options.jsTruthy) return isTruthy(v, f.ctx);
  return v !== false && v !== null && v !== undefined;
}

function compileExpression(e: Expression): Eval {
  const steps: (
    | { kind: 'value'; fn: Eval }
    | { kind: 'unary'; fn: (v: unknown, f: Frame) => unknown }
    | { kind: 'binary'; fn: (l: unknown, r: unknown, f: Frame) => unknown }
  )[] = [];
  for (const token of e.postfix) {
    if (TypeGuards.isOperatorToken(token)) {
      if (token.operator === 'not') {
        steps.push({ kind: 'unary', fn: (v, f) => !truthy(v, f) });
      } else steps.push({ kind: 'binary', fn: compileOperator(token.operator) });
    } else if (TypeGuards.isRangeToken(token)) throw new Unsupported('range');
    else steps.push({ kind: 'value', fn: compileToken(token) });
  }
  if (steps.length === 1 && steps[0]!.kind === 'value') return steps[0]!.fn;
  if (steps.length === 3 && steps[0]!.kind === 'value' && steps[1]!.kind === 'value' && steps[2]!.kind === 'binary') {
    const [l, r, op] = [steps[0]!.fn, steps[1]!.fn, steps[2]!.fn];
    return (f) => op(l(f), r(f), f);
  }
  return (f) => {
    const stack: unknown[] = [];
    for (const s of steps) {
      if (s.kind === 'value') stack.push(s.fn(f));
      else if (s.kind === 'unary') stack.push(s.fn(stack.pop(), f));
      else {
        const r = stack.pop();
        const l = stack.pop();
        stack.push(s.fn(l, r, f));
      }
    }
    return stack[0];
  };
}

type FilterHandler = (this: unknown, ...a: unknown[]) => unknown;
const settle = (out: unknown): unknown => (typeof out === 'object' && out !== null ? toValueSync(out as unknown) : out);

function compileFilters(filters: readonly Filter[], liquid: Liquid): ((value: unknown, f: Frame) => unknown)[] {
  return filters.map((flt: Filter) => {
    const args = flt.args.map((a) => {
      if (Array.isArray(a)) {
        const [k, tok] = a as unknown as [string, Token];
        const fn = compileToken(tok);
        return (f: Frame) => [k, fn(f)];
      }
      return compileToken(a as Token);
    });
    const handler = (flt as unknown as { handler: FilterHandler }).handler;
    const token = (flt as unknown as { token: unknown }).token;
    if (args.length === 0) return (value: unknown, f: Frame) => settle(handler.call(new FilterThis(f, token, liquid), value));
    if (args.length === 1) {
      const a0 = args[0]!;
      return (value: unknown, f: Frame) => settle(handler.call(new FilterThis(f, token, liquid), value, a0(f)));
    }
    return (value: unknown, f: Frame) => {
      const argv: unknown[] = [value];
      for (const a of args) argv.push(a(f));
      return settle(handler.apply(new FilterThis(f, token, liquid), argv));
    };
  });
}

function chain(initial: Eval, filters: ((value: unknown, f: Frame) => unknown)[]): Eval {
  if (filters.length === 0) return initial;
  if (filters.length === 1) {
    const f0 = filters[0]!;
    return (f) => f0(initial(f), f);
  }
  return (f) => {
    let val = initial(f);
    for (let i = 0; i < filters.length; i++) val = filters[i]!(val, f);
    return val;
  };
}

function compileValue(v: Value, liquid: Liquid): Eval {
  return chain(compileExpression(v.initial), compileFilters(v.filters, liquid));
}

interface Compiler {
  liquid: Liquid;
  slots: SlotTable | undefined;
  /** Inside a text-mode capture body of an escaping engine: literals unescaped, the output escape dropped. */
  unescape: ((html: string) => string) | undefined;
}

/** An output node: its value (shared through the slot table when there is one), escaped as the engine does. */
function compileOutput(t: Output, c: Compiler): Node {
  const value = (t as unknown as { value: Value }).value;
  const filters = [...value.filters];
  const outputEscape = c.liquid.options.outputEscape as FilterHandler | undefined;
  const last = filters[filters.length - 1] as unknown as { handler?: unknown } | undefined;
  const escapes = outputEscape !== undefined && last?.handler === outputEscape;
  if (escapes) filters.pop();
  else if (c.unescape) throw new Unsupported('unescaped output in an escaped body');
  let ev = chain(compileExpression(value.initial), compileFilters(filters, c.liquid));
  const slots = c.slots;
  const content = (t as unknown as { token: { content?: unknown } }).token.content;
  if (slots && typeof content === 'string') {
    const i = slots.slot(content.trim());
    const compute = ev;
    ev = (f) => {
      const memo = f.memo;
      if (memo === undefined) return compute(f);
      let v = memo[i];
      if (v === UNSET) memo[i] = v = compute(f);
      return v;
    };
  }
  const e = ev;
  if (!escapes) return (f) => stringify(e(f));
  // The engine's escape, as liquidjs applies it (the last filter); our own escapeOutput ignores `this`.
  const esc: (v: unknown, f: Frame) => unknown =
    outputEscape === escapeOutput ? (v) => escapeOutput(v) : compileFilters([last as unknown as Filter], c.liquid)[0]!;
  const unescape = c.unescape;
  if (!unescape) return (f) => stringify(esc(e(f), f));
  // Text-mode body: a string's escape round-trips to itself; other values go the long way.
  return (f) => {
    const v = e(f);
    return typeof v === 'string' ? v : unescape(stringify(esc(v, f)));
  };
}

/** Concatenate parts, merging adjacent literals. */
function sequence(parts: Part[]): Node {
  const merged: Part[] = [];
  for (const p of parts) {
    const prev = merged[merged.length - 1];
    if (typeof p === 'string' && typeof prev === 'string') merged[merged.length - 1] = prev + p;
    else if (p !== '') merged.push(p);
  }
  if (merged.length === 0) return () => '';
  if (merged.length === 1) {
    const only = merged[0]!;
    return typeof only === 'string' ? () => only : only;
  }
  const n = merged.length;
  return (f) => {
    let out = '';
    for (let i = 0; i < n; i++) {
      const p = merged[i]!;
      out += typeof p === 'string' ? p : p(f);
    }
    return out;
  };
}

/**
 * A literal may be unescaped on its own (rather than after concatenation) only when every `&` in it starts
 * one of the entities unescapeHtml decodes; otherwise an entity could span a literal and a value.
 */
const UNCLEAN = /&(?!(?:amp|lt|gt|quot|#34|#39);)/;

function compileParts(templates: readonly Template[], c: Compiler, out: Part[]): void {
  for (const t of templates) {
    const kind = (t as unknown as { token?: { kind?: number } }).token?.kind;
    if (kind === TokenKind.HTML) {
      const str = (t as unknown as { str: string }).str;
      if (c.unescape && UNCLEAN.test(str)) throw new Unsupported('literal with a bare ampersand in an escaped body');
      out.push(c.unescape ? c.unescape(str) : str);
    } else out.push(compileNode(t, c));
  }
}

function compileNodes(templates: readonly Template[], c: Compiler): Node {
  const parts: Part[] = [];
  compileParts(templates, c, parts);
  return sequence(parts);
}

function compileNode(t: Template, c: Compiler): Node {
  try {
    if (t instanceof Output) return compileOutput(t, c);
    if (t instanceof IfTag || t instanceof UnlessTag) {
      const unless = t instanceof UnlessTag;
      const tag = t as unknown as { branches: { value: Value; templates: Template[] }[]; elseTemplates?: Template[] };
      const branches = tag.branches.map((b, i) => ({
        test: compileValue(b.value, c.liquid),
        negate: unless && i === 0,
        body: compileNodes(b.templates, c),
      }));
      const otherwise = tag.elseTemplates ? compileNodes(tag.elseTemplates, c) : () => '';
      if (branches.length === 1) {
        const { test, negate, body } = branches[0]!;
        return (f) => (truthy(test(f), f) !== negate ? body(f) : otherwise(f));
      }
      return (f) => {
        for (const b of branches) if (truthy(b.test(f), f) !== b.negate) return b.body(f);
        return otherwise(f);
      };
    }
    if (isCapture(t)) {
      if (t.pwCaptureText && t.pwUnescape && !c.unescape) {
        try {
          const body = compileNodes(t.templates, { ...c, unescape: t.pwUnescape });
          const post = t.pwCaptureText;
          return (f) => post(body(f));
        } catch (e) {
          if (!(e instanceof Unsupported)) throw e;
        }
      }
      if (c.unescape) throw new Unsupported('nested capture in an escaped body');
      const body = compileNodes(t.templates, c);
      const post = t.pwCapture;
      return (f) => post(body(f));
    }
  } catch (e) {
    if (!(e instanceof Unsupported) || c.unescape) throw e;
  }
  // Anything else: liquidjs renders this node, in the same Context. Inside a text-mode body that cannot be
  // done piecewise (its output is escaped HTML), so the whole capture falls back (see compileNode above).
  if (c.unescape) throw new Unsupported('liquidjs node in an escaped body');
  if (c.slots) c.slots.volatile = true;
  const single = [t];
  const liquid = c.liquid;
  return (f) => toValueSync(liquid.renderer.renderTemplates(single, f.ctx) as unknown) as string;
}

/** A compiled template: render(scope, memo?) where memo comes from the SlotTable it was compiled against. */
export type CompiledTemplate = (scope: Record<string, unknown>, memo?: unknown[]) => string;

/** Compile parsed templates into a program; with `slots`, expression values are shared with the table's other templates. */
export function compileTemplate(liquid: Liquid, templates: Template[], options: { slots?: SlotTable } = {}): CompiledTemplate {
  const root = compileNodes(templates, { liquid, slots: options.slots, unescape: undefined });
  return (scope, memo) => root(new Frame(scope, liquid, memo));
}

/** A render function for parsed templates: the fast path where possible, liquidjs semantics throughout. */
export function fastRenderer(liquid: Liquid, templates: Template[]): (scope: Record<string, unknown>) => string {
  const render = compileTemplate(liquid, templates);
  return (scope) => render(scope);
}
