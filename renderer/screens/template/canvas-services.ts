import type { TemplateDocument } from '../../../shared/model/document';
import { FontLibrary } from '../../../shared/text/fonts';
import type { TextResolver } from '../../../shared/text/layout';
import { compileRules, type BoundRecord, type CompiledRules } from '../../../shared/rules/engine';
import type { CanvasServices } from '../../canvas';
import type { Bridge } from '../../bridge';
import { base64ToBytes } from '../../ui';

type Values = Record<string, string | number | boolean>;

/** What the field-names view shows for `{{ expression }}`: the expression in guillemets; tags drop out. */
export function fieldNamesText(source: string): string {
  return source
    .replace(/\{%-?[\s\S]*?-?%\}/g, '')
    .replace(/\{\{-?\s*([\s\S]*?)\s*-?\}\}/g, (_, expr: string) => `«${expr.split('|')[0]!.trim()}»`);
}

const FIELD_NAMES: TextResolver = { text: fieldNamesText, condition: () => true };

/** Find the asset an image source names, as the PDF painter does: asset id, logo id, or a file name. */
export function assetForSource(doc: TemplateDocument, source: string) {
  const byId = doc.assets.find((a) => a.id === source);
  if (byId) return byId;
  const logo = doc.brand.logos.find((l) => l.id === source);
  if (logo) return doc.assets.find((a) => a.id === logo.asset);
  return doc.assets.find((a) => a.name === source || a.name.endsWith(`/${source}`));
}

/**
 * The canvas's view of the engine for one open template: the brand fonts (bytes from main, one
 * FontLibrary per brand kit, as the PDF composer builds one per job), the current record bound through
 * shared/rules (the same binding the PDF uses, from the typed values main parsed), and image URLs for
 * assets. Everything the canvas asks for is synchronous; what is not loaded yet is fetched and `changed`
 * is called when it arrives, so the view redraws.
 */
export class StudioCanvasServices implements CanvasServices {
  private fontLib: { brand: TemplateDocument['brand']; lib: FontLibrary } | undefined;
  private readonly bytes = new Map<string, Uint8Array>();
  private readonly urls = new Map<string, string>();
  private readonly pending = new Set<string>();
  private readonly values = new Map<number, { row: number; values: Values }>();
  private compiled: { key: readonly unknown[]; rules: CompiledRules } | undefined;
  private readonly bound = new WeakMap<CompiledRules, Map<number, BoundRecord | undefined>>();
  /** The latest problem binding a record or loading an asset (shown by the shell). */
  problem: string | undefined;

  constructor(
    private readonly bridge: Bridge,
    private readonly templateId: string,
    private readonly getDoc: () => TemplateDocument,
    private readonly today: string,
  ) {}

  private readonly listeners = new Set<() => void>();
  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  };
  private changed(): void {
    for (const l of [...this.listeners]) l();
  }

  /** Fetch the fonts of the brand kit (once each); resolves when all are in. */
  async loadFonts(): Promise<void> {
    const doc = this.getDoc();
    await Promise.all(doc.brand.fonts.map((f) => this.loadAsset(f.asset)));
    this.fontLib = undefined;
    this.changed();
  }

  /** Fetch and keep the typed values of record `index`; resolves when the canvas can show it. */
  async loadRecord(datasetId: string | null, index: number): Promise<void> {
    if (this.values.has(index)) return;
    const r = await this.bridge.call('data:values', { templateId: this.templateId, datasetId, index });
    this.values.set(index, { row: r.row, values: r.values });
    this.changed();
  }

  /** Forget loaded records (another dataset was chosen). */
  resetRecords(): void {
    this.values.clear();
    this.compiled = undefined;
  }

  get fonts(): FontLibrary | undefined {
    const doc = this.getDoc();
    if (doc.brand.fonts.some((f) => !this.bytes.has(f.asset))) return undefined;
    if (!this.fontLib || this.fontLib.brand !== doc.brand) {
      const assetById = new Map(doc.assets.map((a) => [a.id as string, a]));
      this.fontLib = {
        brand: doc.brand,
        lib: new FontLibrary(doc.brand, (f) => this.bytes.get(f.asset) ?? this.bytes.get(assetById.get(f.asset)?.id ?? '')),
      };
    }
    return this.fontLib.lib;
  }

  private rules(): CompiledRules {
    const doc = this.getDoc();
    const key = [doc.rules, doc.variants, doc.data, doc.brand];
    if (!this.compiled || this.compiled.key.some((k, i) => k !== key[i]))
      this.compiled = { key, rules: compileRules(doc, { today: this.today }) };
    return this.compiled.rules;
  }

  /** The bound record for `index` (undefined until loaded, or when it cannot be bound: see `problem`). */
  record(index: number): BoundRecord | undefined {
    const v = this.values.get(index);
    if (!v) return undefined;
    let rules: CompiledRules;
    try {
      rules = this.rules();
    } catch (e) {
      this.problem = e instanceof Error ? e.message : String(e);
      return undefined;
    }
    let cache = this.bound.get(rules);
    if (!cache) this.bound.set(rules, (cache = new Map()));
    if (!cache.has(index)) {
      const b = rules.bind(v.values, v.row);
      if (!b.ok) this.problem = `Record ${index + 1}: ${b.reason}`;
      cache.set(index, b.ok ? b.bound : undefined);
    }
    return cache.get(index);
  }

  resolver = (recordIndex: number, showFieldNames: boolean): TextResolver => {
    if (showFieldNames) return FIELD_NAMES;
    return this.record(recordIndex) ?? FIELD_NAMES;
  };

  imageUrl = (source: string, recordIndex: number): string | undefined => {
    const doc = this.getDoc();
    let resolved = source;
    if (source.includes('{')) {
      const b = this.record(recordIndex);
      if (!b) return undefined;
      try {
        resolved = b.text(source).trim();
      } catch {
        return undefined;
      }
    }
    const asset = assetForSource(doc, resolved);
    if (!asset) return undefined;
    const url = this.urls.get(asset.id);
    if (url) return url;
    void this.loadAsset(asset.id).then(() => this.changed());
    return undefined;
  };

  private async loadAsset(assetId: string): Promise<void> {
    if (this.bytes.has(assetId) || this.pending.has(assetId)) return;
    this.pending.add(assetId);
    try {
      const a = await this.bridge.call('template:asset', { templateId: this.templateId, assetId });
      const bytes = base64ToBytes(a.data);
      this.bytes.set(assetId, bytes);
      if (a.mediaType.startsWith('image/')) this.urls.set(assetId, URL.createObjectURL(new Blob([bytes], { type: a.mediaType })));
    } catch (e) {
      this.problem = e instanceof Error ? e.message : String(e);
    } finally {
      this.pending.delete(assetId);
    }
  }

  dispose(): void {
    for (const u of this.urls.values()) URL.revokeObjectURL(u);
    this.urls.clear();
  }
}
