import { TemplateDocumentSchema, type TemplateDocument } from './document';
import { formatPath, fromZodIssues, sentenceFor, type PathSegment, type ValidationIssue } from './issues';
import { walkElements, modelOf, type Ref } from './elements/registry';
import type { ColorRef } from './color';
import type { EmailBlock } from './email';
import { migrateDocument, MigrationError } from '../migrations';
import { analyzeLiquid, BUILTIN_VARIABLES, hasLiquid } from '../rules/analyze';

export type ParseResult =
  { ok: true; document: TemplateDocument; migratedFrom: number; migrations: string[] } | { ok: false; issues: ValidationIssue[] };

/**
 * The one entry point for a document arriving from outside (file, IPC, HTTP, CLI):
 * migrate older versions, parse with the schema, then check cross-references.
 * Every problem is returned with its path and a plain sentence; nothing throws for bad input.
 */
export function parseTemplateDocument(input: unknown): ParseResult {
  let migrated;
  try {
    migrated = migrateDocument(input);
  } catch (e) {
    if (e instanceof MigrationError) return { ok: false, issues: [{ path: 'formatVersion', code: e.code, message: e.message }] };
    throw e;
  }
  const parsed = TemplateDocumentSchema.safeParse(migrated.document, PARSE_OPTIONS);
  if (!parsed.success) {
    const issues = fromZodIssues(parsed.error.issues);
    const seen = new Set(issues.map((i) => `${i.path}: ${i.message}`));
    for (const extra of referenceIssuesOfValidParts(migrated.document))
      if (!seen.has(`${extra.path}: ${extra.message}`)) issues.push(extra);
    return { ok: false, issues };
  }
  const issues = checkReferences(parsed.data);
  if (issues.length) return { ok: false, issues };
  return { ok: true, document: parsed.data, migratedFrom: migrated.from, migrations: migrated.applied };
}

const PARSE_OPTIONS = { error: sentenceFor, reportInput: true } as const;

/**
 * When the document as a whole fails the schema, still report the cross-reference problems of the parts
 * that are well formed, so that one run lists every mistake. Pages and the email channel are checked
 * independently; if the brand kit, assets, data schema or rules are themselves malformed, references to
 * them cannot be judged and are not reported.
 */
function referenceIssuesOfValidParts(raw: Record<string, unknown>): ValidationIssue[] {
  const shape = TemplateDocumentSchema.shape;
  const part = <T>(
    schema: { safeParse(v: unknown, o: typeof PARSE_OPTIONS): { success: true; data: T } | { success: false } },
    v: unknown,
  ) => {
    const r = schema.safeParse(v, PARSE_OPTIONS);
    return r.success ? r.data : undefined;
  };
  const brand = part(shape.brand, raw.brand);
  const assets = part(shape.assets, raw.assets);
  const data = part(shape.data, raw.data);
  const rules = part(shape.rules, raw.rules);
  if (!brand || !assets || !data || !rules) return [];
  const variants = raw.variants === undefined ? undefined : part(shape.variants, raw.variants);
  const email = raw.email === undefined ? undefined : part(shape.email, raw.email);
  const printRaw = raw.print as { pages?: unknown } | undefined;
  const pages = Array.isArray(printRaw?.pages) ? printRaw.pages : [];
  // Keep page indices stable: a malformed page is replaced by an empty one, which has nothing to check.
  const pageSchema = shape.print.unwrap().shape.pages.element;
  const parsedPages = pages.map(
    (p, i) =>
      part(pageSchema, p) ?? {
        id: `__unparsed_${i}`,
        name: '-',
        width: 1,
        height: 1,
        bleed: { top: 0, right: 0, bottom: 0, left: 0 },
        safeArea: 0,
        elements: [],
      },
  );
  const doc = {
    format: 'presswork-template',
    formatVersion: 1,
    id: 'partial',
    name: 'partial',
    description: '',
    brand,
    assets,
    data,
    rules,
    ...(variants ? { variants } : {}),
    ...(email ? { email } : {}),
    print: { pages: parsedPages, marks: { crop: false, bleed: false, offset: 12, length: 18 } },
  } as TemplateDocument;
  return checkReferences(doc);
}

/** Parse or throw an error whose message lists every issue (for code paths that trust their input). */
export function assertTemplateDocument(input: unknown): TemplateDocument {
  const r = parseTemplateDocument(input);
  if (r.ok) return r.document;
  throw new Error(`invalid template:\n${r.issues.map((i) => `  ${i.path}: ${i.message}`).join('\n')}`);
}

/** Cross-reference checks: ids that must exist, ids that must be unique, Liquid that must name known things. */
export function checkReferences(doc: TemplateDocument): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const add = (path: readonly PathSegment[], code: string, message: string) => issues.push({ path: formatPath(path), code, message });

  const unique = (items: readonly { id: string }[], at: readonly PathSegment[], what: string) => {
    const seen = new Map<string, number>();
    items.forEach((item, i) => {
      const first = seen.get(item.id);
      if (first !== undefined)
        add(
          [...at, i, 'id'],
          'duplicate-id',
          `${what} id "${item.id}" is already used at ${formatPath([...at, first])}; ids must be unique`,
        );
      else seen.set(item.id, i);
    });
  };

  const swatchIds = new Set(doc.brand.swatches.map((s) => s.id as string));
  const fontIds = new Set(doc.brand.fonts.map((f) => f.id as string));
  const assetIds = new Set(doc.assets.map((a) => a.id as string));
  const logoIds = new Set(doc.brand.logos.map((l) => l.id as string));
  const fieldNames = new Set(doc.data.fields.map((f) => f.name));
  const ruleNames = new Set(doc.rules.map((r) => r.name));

  unique(doc.brand.swatches, ['brand', 'swatches'], 'swatch');
  unique(doc.brand.fonts, ['brand', 'fonts'], 'font');
  unique(doc.brand.logos, ['brand', 'logos'], 'logo');
  unique(doc.assets, ['assets'], 'asset');
  unique(
    doc.data.fields.map((f) => ({ id: f.name })),
    ['data', 'fields'],
    'field',
  );
  unique(
    doc.rules.map((r) => ({ id: r.name })),
    ['rules'],
    'rule',
  );

  const list = (s: Set<string>) => (s.size ? [...s].map((x) => `"${x}"`).join(', ') : '(none defined)');
  const checkSwatch = (c: ColorRef, at: readonly PathSegment[]) => {
    if ('swatch' in c && !swatchIds.has(c.swatch))
      add([...at, 'swatch'], 'unknown-swatch', `unknown swatch "${c.swatch}"; brand swatches are ${list(swatchIds)}`);
  };
  const checkFont = (f: string, at: readonly PathSegment[]) => {
    if (!fontIds.has(f)) add(at, 'unknown-font', `unknown font "${f}"; brand fonts are ${list(fontIds)}`);
  };
  const checkAsset = (a: string, at: readonly PathSegment[]) => {
    if (!assetIds.has(a)) add(at, 'unknown-asset', `unknown asset "${a}"; add the file to the package's assets list`);
  };

  // Brand kit.
  doc.brand.fonts.forEach((f, i) => checkAsset(f.asset, ['brand', 'fonts', i, 'asset']));
  doc.brand.logos.forEach((l, i) => checkAsset(l.asset, ['brand', 'logos', i, 'asset']));
  doc.brand.fontFallbacks.forEach((f, i) => checkFont(f, ['brand', 'fontFallbacks', i]));
  if (doc.print?.outputIntent) checkAsset(doc.print.outputIntent, ['print', 'outputIntent']);

  // Data schema.
  if (!fieldNames.has(doc.data.recordKey))
    add(['data', 'recordKey'], 'unknown-field', `record key "${doc.data.recordKey}" is not a field; fields are ${list(fieldNames)}`);

  // Variants.
  const variants = doc.variants;
  const variantFields = new Set(variants?.fields.map((f) => f.name) ?? []);
  if (variants) {
    if (!fieldNames.has(variants.keyField))
      add(
        ['variants', 'keyField'],
        'unknown-field',
        `variant key field "${variants.keyField}" is not a data field; fields are ${list(fieldNames)}`,
      );
    if (fieldNames.has(variants.alias))
      add(['variants', 'alias'], 'name-clash', `variant alias "${variants.alias}" is also a data field name; rename one of them`);
    unique(
      variants.items.map((v) => ({ id: v.key })),
      ['variants', 'items'],
      'variant key',
    );
    variants.items.forEach((v, i) => {
      for (const name of Object.keys(v.values))
        if (!variantFields.has(name))
          add(
            ['variants', 'items', i, 'values', name],
            'unknown-variant-field',
            `"${name}" is not a declared variant field; declare it in variants.fields`,
          );
      for (const f of variants.fields)
        if (f.required && !(v.values[f.name] ?? '').trim())
          add(['variants', 'items', i, 'values', f.name], 'missing-value', `dealer "${v.key}" has no value for required field "${f.name}"`);
      for (const [from, to] of Object.entries(v.swatches)) {
        if (!swatchIds.has(from)) add(['variants', 'items', i, 'swatches', from], 'unknown-swatch', `overrides unknown swatch "${from}"`);
        if (!swatchIds.has(to)) add(['variants', 'items', i, 'swatches', from], 'unknown-swatch', `overrides with unknown swatch "${to}"`);
      }
    });
  }
  if (ruleNames.has('rules')) add(['rules'], 'name-clash', 'a rule may not be called "rules"');

  // Liquid references.
  const checkLiquid = (source: string, kind: 'template' | 'condition', at: readonly PathSegment[]) => {
    if (kind === 'template' && !hasLiquid(source)) return;
    const a = analyzeLiquid(source, kind);
    if (!a.ok) return add(at, a.code, a.code === 'unknown-filter' ? a.error : `Liquid error: ${a.error}`);
    for (const ref of a.references) {
      const [root, second] = ref;
      if (root === undefined) continue;
      if (fieldNames.has(root) || (BUILTIN_VARIABLES as readonly string[]).includes(root)) continue;
      if (root === 'rules') {
        if (second !== undefined && second !== '*' && !ruleNames.has(second))
          add(at, 'unknown-rule', `uses rules.${second}, but there is no rule "${second}"; rules are ${list(ruleNames)}`);
        continue;
      }
      if (variants && root === variants.alias) {
        if (second !== undefined && second !== '*' && !['key', 'label'].includes(second) && !variantFields.has(second))
          add(
            at,
            'unknown-variant-field',
            `uses ${root}.${second}, but "${second}" is not a variant field; variant fields are ${list(variantFields)}`,
          );
        continue;
      }
      add(
        at,
        'unknown-field',
        `uses "${ref.join('.')}", but "${root}" is not a data field, rule or variant; fields are ${list(fieldNames)}`,
      );
    }
  };

  // Rules: references and cycles.
  const ruleDeps = new Map<string, string[]>();
  doc.rules.forEach((r, i) => {
    checkLiquid(r.expression, 'template', ['rules', i, 'expression']);
    const a = analyzeLiquid(r.expression);
    ruleDeps.set(r.name, a.ok ? a.references.filter((x) => x[0] === 'rules' && x[1]).map((x) => x[1] as string) : []);
  });
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (name: string, trail: string[]): void => {
    if (state.get(name) === 'done') return;
    if (state.get(name) === 'visiting') {
      const cycle = [...trail.slice(trail.indexOf(name)), name];
      const idx = doc.rules.findIndex((r) => r.name === name);
      add(['rules', idx, 'expression'], 'rule-cycle', `rules depend on each other in a cycle: ${cycle.join(' → ')}`);
      return;
    }
    state.set(name, 'visiting');
    for (const dep of ruleDeps.get(name) ?? []) if (ruleDeps.has(dep)) visit(dep, [...trail, name]);
    state.set(name, 'done');
  };
  for (const r of doc.rules) visit(r.name, []);

  // Print pages and elements.
  if (doc.print) {
    unique(doc.print.pages, ['print', 'pages'], 'page');
    const elementIds = new Map<string, string>();
    doc.print.pages.forEach((page, pi) => {
      for (const { element, path } of walkElements(page.elements, ['print', 'pages', pi, 'elements'])) {
        const first = elementIds.get(element.id);
        if (first) add([...path, 'id'], 'duplicate-id', `element id "${element.id}" is already used at ${first}; ids must be unique`);
        else elementIds.set(element.id, formatPath(path));
        const model = modelOf(element);
        model.colors(element).forEach((r: Ref<ColorRef>) => checkSwatch(r.value, [...path, ...r.path]));
        model.fonts(element).forEach((r) => checkFont(r.value, [...path, ...r.path]));
        model.liquid(element).forEach((l) => checkLiquid(l.source, l.kind, [...path, ...l.path]));
        if (element.type === 'image' && !hasLiquid(element.source) && !assetIds.has(element.source) && !logoIds.has(element.source))
          add(
            [...path, 'source'],
            'unknown-asset',
            `image source "${element.source}" is neither an asset nor a logo id; use an asset id, a logo id or Liquid like "{{ dealer.logo }}"`,
          );
        if (
          element.type === 'text' &&
          element.fit.mode === 'shrink' &&
          element.fit.minSize !== undefined &&
          element.fit.minSize > element.style.size
        )
          add(
            [...path, 'fit', 'minSize'],
            'bad-fit',
            `minimum size ${element.fit.minSize} is larger than the text size ${element.style.size}`,
          );
      }
    });
  }

  // Email channel.
  const email = doc.email;
  if (email) {
    checkLiquid(email.subject, 'template', ['email', 'subject']);
    checkLiquid(email.preheader, 'template', ['email', 'preheader']);
    checkLiquid(email.from.name, 'template', ['email', 'from', 'name']);
    checkLiquid(email.from.email, 'template', ['email', 'from', 'email']);
    if (!fieldNames.has(email.recipientField))
      add(['email', 'recipientField'], 'unknown-field', `recipient field "${email.recipientField}" is not a data field`);
    if (email.font) checkFont(email.font, ['email', 'font']);
    if (email.background) checkSwatch(email.background, ['email', 'background']);
    const blockIds = new Map<string, string>();
    const seenBlock = (id: string, at: PathSegment[]) => {
      const first = blockIds.get(id);
      if (first) add([...at, 'id'], 'duplicate-id', `block id "${id}" is already used at ${first}; ids must be unique`);
      else blockIds.set(id, formatPath(at));
    };
    email.sections.forEach((s, si) => {
      const sp: PathSegment[] = ['email', 'sections', si];
      seenBlock(s.id, sp);
      if (s.visibleIf) checkLiquid(s.visibleIf, 'condition', [...sp, 'visibleIf']);
      if (s.background) checkSwatch(s.background, [...sp, 'background']);
      s.columns.forEach((c, ci) => {
        seenBlock(c.id, [...sp, 'columns', ci]);
        c.blocks.forEach((b, bi) => checkEmailBlock(b, [...sp, 'columns', ci, 'blocks', bi]));
      });
    });
    function checkEmailBlock(b: EmailBlock, at: PathSegment[]) {
      seenBlock(b.id, at);
      if (b.visibleIf) checkLiquid(b.visibleIf, 'condition', [...at, 'visibleIf']);
      switch (b.type) {
        case 'text':
          if (b.font) checkFont(b.font, [...at, 'font']);
          if (b.color) checkSwatch(b.color, [...at, 'color']);
          b.paragraphs.forEach((p, pi) =>
            p.runs.forEach((r, ri) => {
              checkLiquid(r.text, 'template', [...at, 'paragraphs', pi, 'runs', ri, 'text']);
              if (r.href) checkLiquid(r.href, 'template', [...at, 'paragraphs', pi, 'runs', ri, 'href']);
              if (r.color) checkSwatch(r.color, [...at, 'paragraphs', pi, 'runs', ri, 'color']);
            }),
          );
          break;
        case 'image':
          checkLiquid(b.src, 'template', [...at, 'src']);
          checkLiquid(b.alt, 'template', [...at, 'alt']);
          if (b.href) checkLiquid(b.href, 'template', [...at, 'href']);
          break;
        case 'button':
          checkLiquid(b.label, 'template', [...at, 'label']);
          checkLiquid(b.href, 'template', [...at, 'href']);
          checkSwatch(b.background, [...at, 'background']);
          checkSwatch(b.color, [...at, 'color']);
          if (b.font) checkFont(b.font, [...at, 'font']);
          break;
        case 'divider':
          checkSwatch(b.color, [...at, 'color']);
          break;
        case 'social':
          b.links.forEach((l, li) => checkLiquid(l.href, 'template', [...at, 'links', li, 'href']));
          break;
        case 'spacer':
        case 'raw':
          break;
      }
    }
  }
  return issues;
}
