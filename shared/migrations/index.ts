import { CURRENT_FORMAT_VERSION } from '../model/document';

/**
 * Document migrations: ordered, named steps, each producing the next format version from the one before.
 * A step never mutates its input; it returns a new value. Every step has an old-version fixture under
 * `tests/fixtures/migrations/` and a test that migrates it and parses the result.
 */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export interface Migration {
  /** Stable, descriptive id, e.g. `0001-page-bleed-number-to-sides`. Never renamed once released. */
  id: string;
  /** The format version this step produces; it runs on documents older than that. */
  to: number;
  up(doc: JsonObject): JsonObject;
}

const isObject = (v: Json | undefined): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Apply `fn` to every print element (including group children), returning new objects. */
const mapElements = (doc: JsonObject, fn: (el: JsonObject) => JsonObject): JsonObject => {
  const walk = (els: Json | undefined): Json =>
    Array.isArray(els)
      ? els.map((el) => {
          if (!isObject(el)) return el;
          const next = fn(el);
          return Array.isArray(next.children) ? { ...next, children: walk(next.children) } : next;
        })
      : (els ?? []);
  const print = doc.print;
  if (!isObject(print) || !Array.isArray(print.pages)) return doc;
  return {
    ...doc,
    print: { ...print, pages: print.pages.map((p) => (isObject(p) ? { ...p, elements: walk(p.elements) } : p)) },
  };
};

export const migrations: readonly Migration[] = [
  {
    id: '0001-page-bleed-number-to-sides',
    to: 1,
    up: (doc) => {
      const print = doc.print;
      if (!isObject(print) || !Array.isArray(print.pages)) return doc;
      const pages = print.pages.map((p) =>
        isObject(p) && typeof p.bleed === 'number' ? { ...p, bleed: { top: p.bleed, right: p.bleed, bottom: p.bleed, left: p.bleed } } : p,
      );
      return { ...doc, print: { ...print, pages } };
    },
  },
  {
    id: '0001-text-string-to-paragraphs',
    to: 1,
    up: (doc) =>
      mapElements(doc, (el) => {
        if (el.type !== 'text' || typeof el.text !== 'string') return el;
        const { text, ...rest } = el;
        return { ...rest, paragraphs: text.split('\n').map((line) => ({ runs: [{ text: line }] })) };
      }),
  },
  {
    id: '0001-swatch-hex-renamed-srgb',
    to: 1,
    up: (doc) => {
      const brand = doc.brand;
      if (!isObject(brand) || !Array.isArray(brand.swatches)) return doc;
      const swatches = brand.swatches.map((s) => {
        if (!isObject(s) || s.hex === undefined) return s;
        const { hex, ...rest } = s;
        return { ...rest, srgb: hex };
      });
      return { ...doc, brand: { ...brand, swatches } };
    },
  },
];

export class MigrationError extends Error {
  constructor(
    message: string,
    readonly code: 'not-a-template' | 'too-new' | 'bad-version',
  ) {
    super(message);
  }
}

export interface MigrationResult {
  document: JsonObject;
  from: number;
  applied: string[];
}

/** Bring a document of any older format version up to the current one. */
export function migrateDocument(input: unknown, steps: readonly Migration[] = migrations): MigrationResult {
  if (!isObject(input as Json)) throw new MigrationError('the document must be a JSON object', 'not-a-template');
  const doc = input as JsonObject;
  const version = doc.formatVersion ?? 0;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 0) {
    throw new MigrationError('formatVersion must be a whole number', 'bad-version');
  }
  if (version > CURRENT_FORMAT_VERSION) {
    throw new MigrationError(
      `this template was saved by a newer Presswork (format version ${version}; this one reads up to ${CURRENT_FORMAT_VERSION}); update Presswork to open it`,
      'too-new',
    );
  }
  let current = doc;
  const applied: string[] = [];
  for (const step of steps) {
    if (step.to <= version) continue;
    current = step.up(current);
    applied.push(step.id);
  }
  if (applied.length) current = { ...current, formatVersion: CURRENT_FORMAT_VERSION };
  return { document: current, from: version, applied };
}
