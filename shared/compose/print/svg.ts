import { IDENTITY, ellipsePath, multiply, parseSvgPath, rectPath, transformPath } from '../plan/geometry';
import type { Matrix, PathCmd, PlanColor, PlanItem } from '../plan/types';

/**
 * SVG artwork → vector plan items (placed as vectors, not rasterised). Supports the shapes logos are made of
 * (path, rect, circle, ellipse, line, polyline, polygon, nested g/svg), fill/stroke from attributes, inline
 * styles and simple class rules, and transforms. Text, embedded images and gradients are refused with a
 * clear error (convert text to outlines; flatten gradients).
 */
export interface SvgArt {
  width: number;
  height: number;
  /** Maps viewBox coordinates to a width × height box at the origin. */
  viewBoxMatrix: Matrix;
  items: PlanItem[];
}

interface Style {
  fill: string;
  stroke: string;
  strokeWidth: number;
  evenOdd: boolean;
}

const NAMED: Record<string, string> = {
  black: '#000000',
  white: '#ffffff',
  red: '#ff0000',
  green: '#008000',
  blue: '#0000ff',
  gray: '#808080',
  grey: '#808080',
};

function parseAttrs(s: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of s.matchAll(/([\w:-]+)\s*=\s*("([^"]*)"|'([^']*)')/g)) out[m[1]!] = m[3] ?? m[4] ?? '';
  return out;
}

function parseTransform(s: string | undefined): Matrix {
  let m: Matrix = IDENTITY;
  if (!s) return m;
  for (const t of s.matchAll(/(matrix|translate|scale|rotate|skewX|skewY)\s*\(([^)]*)\)/g)) {
    const a = t[2]!
      .split(/[\s,]+/)
      .filter(Boolean)
      .map(Number);
    let n: Matrix;
    switch (t[1]) {
      case 'matrix':
        n = [a[0] ?? 1, a[1] ?? 0, a[2] ?? 0, a[3] ?? 1, a[4] ?? 0, a[5] ?? 0];
        break;
      case 'translate':
        n = [1, 0, 0, 1, a[0] ?? 0, a[1] ?? 0];
        break;
      case 'scale':
        n = [a[0] ?? 1, 0, 0, a[1] ?? a[0] ?? 1, 0, 0];
        break;
      case 'rotate': {
        const r = ((a[0] ?? 0) * Math.PI) / 180;
        const [cx, cy] = [a[1] ?? 0, a[2] ?? 0];
        n = multiply(multiply([1, 0, 0, 1, -cx, -cy], [Math.cos(r), Math.sin(r), -Math.sin(r), Math.cos(r), 0, 0]), [1, 0, 0, 1, cx, cy]);
        break;
      }
      case 'skewX':
        n = [1, 0, Math.tan(((a[0] ?? 0) * Math.PI) / 180), 1, 0, 0];
        break;
      default:
        n = [1, Math.tan(((a[0] ?? 0) * Math.PI) / 180), 0, 1, 0, 0];
    }
    // SVG lists transforms outermost first: the rightmost applies first.
    m = multiply(n, m);
  }
  return m;
}

const num = (v: string | undefined, d = 0) => {
  const n = parseFloat(v ?? '');
  return Number.isFinite(n) ? n : d;
};

function shapePath(tag: string, a: Record<string, string>): PathCmd[] | undefined {
  switch (tag) {
    case 'path':
      return a.d ? parseSvgPath(a.d) : undefined;
    case 'rect':
      return rectPath(num(a.x), num(a.y), num(a.width), num(a.height), num(a.rx ?? a.ry));
    case 'circle':
      return ellipsePath(num(a.cx), num(a.cy), num(a.r), num(a.r));
    case 'ellipse':
      return ellipsePath(num(a.cx), num(a.cy), num(a.rx), num(a.ry));
    case 'line':
      return [
        { op: 'M', x: num(a.x1), y: num(a.y1) },
        { op: 'L', x: num(a.x2), y: num(a.y2) },
      ];
    case 'polyline':
    case 'polygon': {
      const p = (a.points ?? '')
        .split(/[\s,]+/)
        .filter(Boolean)
        .map(Number);
      const out: PathCmd[] = [];
      for (let i = 0; i + 1 < p.length; i += 2) out.push({ op: i === 0 ? 'M' : 'L', x: p[i]!, y: p[i + 1]! });
      if (tag === 'polygon') out.push({ op: 'Z' });
      return out;
    }
    default:
      return undefined;
  }
}

export function parseSvg(src: string, color: (hex: string) => PlanColor): SvgArt {
  const text = src
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/<\?[\s\S]*?\?>/g, '')
    .replace(/<!DOCTYPE[^>]*>/gi, '');
  const classes = new Map<string, Record<string, string>>();
  for (const block of text.matchAll(/<style[^>]*>([\s\S]*?)<\/style>/g))
    for (const rule of block[1]!.replace(/<!\[CDATA\[|\]\]>/g, '').matchAll(/\.([\w-]+)\s*\{([^}]*)\}/g))
      classes.set(rule[1]!, styleDecls(rule[2]!));
  const body = text
    .replace(/<style[^>]*>[\s\S]*?<\/style>/g, '')
    .replace(/<defs[\s\S]*?<\/defs>/g, '')
    .replace(/<(title|desc|metadata)[\s\S]*?<\/\1>/g, '');

  const toColor = (v: string): PlanColor | undefined => {
    const s = v.trim().toLowerCase();
    if (s === 'none' || s === 'transparent') return undefined;
    if (s.startsWith('url(')) throw new Error('gradients and patterns are not supported; flatten them to solid colours');
    let hex = NAMED[s] ?? s;
    if (/^#[0-9a-f]{3}$/.test(hex)) hex = `#${hex[1]}${hex[1]}${hex[2]}${hex[2]}${hex[3]}${hex[3]}`;
    const rgb = /^rgb\(\s*(\d+)\s*,\s*(\d+)\s*,\s*(\d+)\s*\)$/.exec(hex);
    if (rgb) hex = `#${[rgb[1], rgb[2], rgb[3]].map((x) => Number(x).toString(16).padStart(2, '0')).join('')}`;
    if (!/^#[0-9a-f]{6}$/.test(hex)) throw new Error(`colour "${v}" is not supported; use #rrggbb`);
    return color(hex);
  };

  let width = 0;
  let height = 0;
  let vb: number[] | undefined;
  const stack: { m: Matrix; style: Style }[] = [
    { m: IDENTITY, style: { fill: '#000000', stroke: 'none', strokeWidth: 1, evenOdd: false } },
  ];
  const items: PlanItem[] = [];
  let skipDepth = 0;
  let rootSeen = false;
  for (const t of body.matchAll(/<(\/?)([\w:-]+)([^>]*?)(\/?)>/g)) {
    const closing = t[1] === '/';
    const tag = t[2]!.replace(/^svg:/, '');
    const selfClosing = t[4] === '/';
    if (closing) {
      if (skipDepth > 0) skipDepth--;
      else if (tag === 'g' || tag === 'svg' || tag === 'a') stack.pop();
      continue;
    }
    if (skipDepth > 0) {
      if (!selfClosing) skipDepth++;
      continue;
    }
    const a = parseAttrs(t[3]!);
    const parent = stack[stack.length - 1]!;
    if (a.display === 'none' || a.visibility === 'hidden') {
      if (!selfClosing) skipDepth = 1;
      continue;
    }
    const decl = {
      ...(a.class ? Object.assign({}, ...a.class.split(/\s+/).map((c) => classes.get(c) ?? {})) : {}),
      ...pick(a),
      ...(a.style ? styleDecls(a.style) : {}),
    } as Record<string, string>;
    const style: Style = {
      fill: decl.fill ?? parent.style.fill,
      stroke: decl.stroke ?? parent.style.stroke,
      strokeWidth: decl['stroke-width'] !== undefined ? num(decl['stroke-width'], 1) : parent.style.strokeWidth,
      evenOdd: decl['fill-rule'] !== undefined ? decl['fill-rule'] === 'evenodd' : parent.style.evenOdd,
    };
    if (tag === 'svg' && !rootSeen) {
      rootSeen = true;
      vb = a.viewBox?.split(/[\s,]+/).map(Number);
      width = num(a.width, vb?.[2] ?? 0);
      height = num(a.height, vb?.[3] ?? 0);
      if (!selfClosing) stack.push({ m: IDENTITY, style });
      continue;
    }
    if (tag === 'text' || tag === 'image' || tag === 'use' || tag === 'foreignObject')
      throw new Error(`<${tag}> is not supported in placed SVG art; convert text to outlines and embed shapes directly`);
    const m = multiply(parseTransform(a.transform), parent.m);
    if (tag === 'g' || tag === 'svg' || tag === 'a') {
      if (!selfClosing) stack.push({ m, style });
      continue;
    }
    const path = shapePath(tag, a);
    if (path && path.length) {
      const fill = tag === 'line' || tag === 'polyline' ? undefined : toColor(style.fill);
      const strokeColor = toColor(style.stroke);
      const scale = Math.sqrt(Math.abs(m[0] * m[3] - m[1] * m[2]));
      if (fill || strokeColor)
        items.push({
          kind: 'shape',
          path: transformPath(path, m),
          fill,
          evenOdd: style.evenOdd,
          stroke: strokeColor ? { color: strokeColor, width: style.strokeWidth * scale } : undefined,
        });
    } else if (!selfClosing && !path) skipDepth = 1;
  }
  if (!rootSeen) throw new Error('no <svg> root element');
  const [vx, vy, vw, vh] = vb && vb.length === 4 && vb[2]! > 0 && vb[3]! > 0 ? vb : [0, 0, width, height];
  if (!width || !height) {
    width = vw!;
    height = vh!;
  }
  if (!width || !height) throw new Error('the SVG has neither a size nor a viewBox');
  return { width, height, viewBoxMatrix: [width / vw!, 0, 0, height / vh!, (-vx! * width) / vw!, (-vy! * height) / vh!], items };
}

function pick(a: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of ['fill', 'stroke', 'stroke-width', 'fill-rule']) if (a[k] !== undefined) out[k] = a[k];
  return out;
}

function styleDecls(s: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const d of s.split(';')) {
    const i = d.indexOf(':');
    if (i > 0) out[d.slice(0, i).trim()] = d.slice(i + 1).trim();
  }
  return out;
}
