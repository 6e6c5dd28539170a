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

/**
 * A faster renderer for templates parsed by liquidjs.
 *
 * liquidjs evaluates every node through generators (so the same code can run sync and async); for the
 * shapes that personalisation uses — literal HTML, `{{ value | filters }}`, `{% if/elsif/else %}`,
 * `{% unless %}` — that costs microseconds per node. This module turns those nodes into plain closures that
 * follow liquidjs's own semantics (the same property reading with own-property-only, the same operators,
 * truthiness, stringification and filter functions, called with the same `this`). Every other node (for,
 * case, assign, capture, raw, …) is rendered by liquidjs itself in the same Context, so behaviour never
 * differs; a differential test renders the same templates both ways.
 *
 * Parsing (and so parseLimit, strictFilters) is always liquidjs's. Memory limits apply inside filters as
 * before (they use the Context's limiter); the fast nodes have no loops, so render time is linear in the
 * template size, and loops still go through liquidjs with its renderLimit.
 */

type Node = (scope: Record<string, unknown>, ctx: Context) => string;
type Eval = (scope: Record<string, unknown>, ctx: Context) => unknown;

/** Marks a tag that the fast renderer may run as "render the body, then post-process the string". */
export interface FastCaptureTag {
  readonly templates: Template[];
  readonly pwCapture: (body: string) => string;
}
const isCapture = (t: unknown): t is FastCaptureTag =>
  typeof t === 'object' && t !== null && 'pwCapture' in t && typeof (t as { pwCapture: unknown }).pwCapture === 'function';

const hasOwn = Object.prototype.hasOwnProperty;
const isComparable = (v: unknown): boolean => v instanceof Drop && typeof (v as unknown as { equals?: unknown }).equals === 'function';

function toValue(v: unknown): unknown {
  return v instanceof Drop ? (v as unknown as { valueOf(): unknown }).valueOf() : v;
}

function stringify(v: unknown): string {
  v = toValue(v);
  if (typeof v === 'string') return v;
  if (v === null || v === undefined) return '';
  if (Array.isArray(v)) return v.map(stringify).join('');
  return String(v);
}

function readProperty(obj: unknown, key: unknown, ctx: Context): unknown {
  if (obj !== null && typeof obj === 'object' && typeof (obj as { toLiquid?: unknown }).toLiquid === 'function')
    obj = (obj as { toLiquid(): unknown }).toLiquid();
  key = toValue(key);
  if (obj === null || obj === undefined) return obj;
  if (obj instanceof Drop) return toValueSync(ctx.readProperty(obj, key as string) as unknown);
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

function findScope(key: string, scope: Record<string, unknown>, ctx: Context): unknown {
  const scopes = (ctx as unknown as { scopes: Record<string, unknown>[] }).scopes;
  for (let i = scopes.length - 1; i >= 0; i--) if (key in scopes[i]!) return scopes[i];
  if (key in scope) return scope;
  return ctx.globals;
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
    const first = props[0]!;
    const rest = props.slice(1);
    return (scope, ctx) => {
      const k = toValue(first(scope, ctx));
      let v: unknown = readProperty(findScope(String(k), scope, ctx), k, ctx);
      for (const p of rest) v = readProperty(v, toValue(p(scope, ctx)), ctx);
      return v;
    };
  }
  throw new Unsupported('token');
}

const operators = defaultOperators as unknown as Record<string, (...a: unknown[]) => unknown>;
function compileOperator(op: string): (l: unknown, r: unknown, ctx: Context) => unknown {
  const slow = operators[op];
  if (!slow) throw new Unsupported(`operator ${op}`);
  const viaLiquid = (l: unknown, r: unknown, ctx: Context) => toValueSync(slow(l, r, ctx) as unknown);
  switch (op) {
    case '==':
    case '!=': {
      const neg = op === '!=';
      return (l, r, ctx) => {
        if (isComparable(l) || isComparable(r) || Array.isArray(l)) return viaLiquid(l, r, ctx);
        return neg ? toValue(l) !== toValue(r) : toValue(l) === toValue(r);
      };
    }
    case '<':
    case '>':
    case '<=':
    case '>=':
      return (l, r, ctx) => {
        if (isComparable(l) || isComparable(r)) return viaLiquid(l, r, ctx);
        const a = toValue(l) as number;
        const b = toValue(r) as number;
        return op === '<' ? a < b : op === '>' ? a > b : op === '<=' ? a <= b : a >= b;
      };
    case 'and':
      return (l, r, ctx) => isTruthy(toValue(l), ctx) && isTruthy(toValue(r), ctx);
    case 'or':
      return (l, r, ctx) => isTruthy(toValue(l), ctx) || isTruthy(toValue(r), ctx);
    default:
      return viaLiquid;
  }
}

function compileExpression(e: Expression): Eval {
  const steps: (
    | { kind: 'value'; fn: Eval }
    | { kind: 'unary'; fn: (v: unknown, ctx: Context) => unknown }
    | { kind: 'binary'; fn: (l: unknown, r: unknown, ctx: Context) => unknown }
  )[] = [];
  for (const token of e.postfix) {
    if (TypeGuards.isOperatorToken(token)) {
      if (token.operator === 'not') {
        steps.push({ kind: 'unary', fn: (v, ctx) => !isTruthy(toValue(v), ctx) });
      } else steps.push({ kind: 'binary', fn: compileOperator(token.operator) });
    } else if (TypeGuards.isRangeToken(token)) throw new Unsupported('range');
    else steps.push({ kind: 'value', fn: compileToken(token) });
  }
  if (steps.length === 1 && steps[0]!.kind === 'value') return steps[0]!.fn;
  return (scope, ctx) => {
    const stack: unknown[] = [];
    for (const s of steps) {
      if (s.kind === 'value') stack.push(s.fn(scope, ctx));
      else if (s.kind === 'unary') stack.push(s.fn(stack.pop(), ctx));
      else {
        const r = stack.pop();
        const l = stack.pop();
        stack.push(s.fn(l, r, ctx));
      }
    }
    return stack[0];
  };
}

function compileValue(v: Value, liquid: Liquid): Eval {
  const initial = compileExpression(v.initial);
  const filters = v.filters.map((f: Filter) => {
    const args = f.args.map((a) => {
      if (Array.isArray(a)) {
        const [k, tok] = a as unknown as [string, Token];
        const fn = compileToken(tok);
        return (scope: Record<string, unknown>, ctx: Context) => [k, fn(scope, ctx)];
      }
      return compileToken(a as Token);
    });
    const handler = (f as unknown as { handler: (this: unknown, ...a: unknown[]) => unknown }).handler;
    const token = (f as unknown as { token: unknown }).token;
    return (value: unknown, scope: Record<string, unknown>, ctx: Context) => {
      const argv: unknown[] = [value];
      for (const a of args) argv.push(a(scope, ctx));
      const out = handler.apply({ context: ctx, token, liquid }, argv);
      return toValueSync(out as unknown);
    };
  });
  if (filters.length === 0) return initial;
  return (scope, ctx) => {
    let val = initial(scope, ctx);
    for (const f of filters) val = f(val, scope, ctx);
    return val;
  };
}

function compileNodes(templates: readonly Template[], liquid: Liquid): Node {
  const nodes = templates.map((t) => compileNode(t, liquid));
  // Merge adjacent constant strings.
  if (nodes.length === 1) return nodes[0]!;
  return (scope, ctx) => {
    let out = '';
    for (const n of nodes) out += n(scope, ctx);
    return out;
  };
}

function compileNode(t: Template, liquid: Liquid): Node {
  const kind = (t as unknown as { token?: { kind?: number } }).token?.kind;
  if (kind === TokenKind.HTML) {
    const str = (t as unknown as { str: string }).str;
    return () => str;
  }
  try {
    if (t instanceof Output) {
      const value = compileValue((t as unknown as { value: Value }).value, liquid);
      return (scope, ctx) => stringify(value(scope, ctx));
    }
    if (t instanceof IfTag || t instanceof UnlessTag) {
      const unless = t instanceof UnlessTag;
      const tag = t as unknown as { branches: { value: Value; templates: Template[] }[]; elseTemplates?: Template[] };
      const branches = tag.branches.map((b, i) => ({
        test: compileValue(b.value, liquid),
        negate: unless && i === 0,
        body: compileNodes(b.templates, liquid),
      }));
      const otherwise = tag.elseTemplates ? compileNodes(tag.elseTemplates, liquid) : () => '';
      return (scope, ctx) => {
        for (const b of branches) {
          const v = isTruthy(toValue(b.test(scope, ctx)), ctx);
          if (b.negate ? !v : v) return b.body(scope, ctx);
        }
        return otherwise(scope, ctx);
      };
    }
    if (isCapture(t)) {
      const body = compileNodes(t.templates, liquid);
      const post = t.pwCapture;
      return (scope, ctx) => post(body(scope, ctx));
    }
  } catch (e) {
    if (!(e instanceof Unsupported)) throw e;
  }
  // Anything else: liquidjs renders this node, in the same Context.
  const single = [t];
  return (_scope, ctx) => toValueSync(liquid.renderer.renderTemplates(single, ctx) as unknown) as string;
}

/** A render function for parsed templates: the fast path where possible, liquidjs semantics throughout. */
export function fastRenderer(liquid: Liquid, templates: Template[]): (scope: Record<string, unknown>) => string {
  const root = compileNodes(templates, liquid);
  const options = liquid.options;
  return (scope) => {
    const ctx = new Context(scope, options, { sync: true }, { liquid });
    return root(scope, ctx);
  };
}
