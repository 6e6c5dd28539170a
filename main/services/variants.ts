import { randomUUID } from 'node:crypto';
import { basename } from 'node:path';
import { StudioError } from '../../shared/ipc/errors';
import type { VariantSetView } from '../../shared/ipc/contract';
import {
  checkVariantTable,
  readVariantTable,
  variantSetFromTable,
  VariantTableSchema,
  type VariantProblem,
  type VariantTable,
} from '../../shared/data/variant-sets';
import { headerKey } from '../../shared/data/records';
import type { Db } from './library-db';
import type { TemplateService } from './templates';

interface Stored {
  fileName: string;
  table: VariantTable;
  /** Problems of the file itself (syntax, encoding), kept from the import. */
  fileProblems: VariantProblem[];
}

/**
 * Dealer variant sets in the library (items of kind "variant-set"): imported from CSV/XLSX, edited as a
 * table, checked per row and column against the open template's brand kit, and attached to a template
 * (they become its `variants`, keyed by one of its data fields).
 */
export class VariantSetService {
  constructor(
    private readonly db: Db,
    private readonly templates: TemplateService,
    private readonly now: () => Date,
  ) {}

  async import(templateId: string, fileName: string, bytes: Uint8Array): Promise<VariantSetView> {
    const name = basename(fileName);
    if (!/\.(csv|tsv|txt|xlsx|json)$/i.test(name))
      throw new StudioError(
        'variants-unknown-format',
        `${name}: dealer sets are read from .csv, .tsv, .xlsx or .json files; save the table in one of those.`,
      );
    const { table, problems } = await readVariantTable(bytes, name, this.templates.get(templateId).document.variants);
    if (table.items.length === 0 && problems.some((p) => p.severity === 'error'))
      throw new StudioError(
        'variants-unreadable',
        `${name} could not be read as a dealer table; fix the listed problems and import it again.`,
        problems.map((p) => p.message),
      );
    const id = randomUUID();
    const stored: Stored = { fileName: name, table, fileProblems: problems };
    this.db
      .prepare('INSERT INTO items (id, kind, name, detail, meta, data, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(
        id,
        'variant-set',
        name,
        this.detail(table),
        JSON.stringify({ keyColumn: table.keyColumn }),
        Buffer.from(JSON.stringify(stored)),
        this.now().toISOString(),
      );
    return this.view(id, templateId);
  }

  private detail = (t: VariantTable) => `${t.items.length} dealer${t.items.length === 1 ? '' : 's'} · ${t.fields.length} fields`;

  private load(id: string): Stored {
    const row = this.db.prepare("SELECT data FROM items WHERE id = ? AND kind = 'variant-set'").get(id) as { data: Buffer } | undefined;
    if (!row) throw new StudioError('unknown-variant-set', 'That dealer set is no longer in the library; import the file again.');
    return JSON.parse(row.data.toString('utf8')) as Stored;
  }

  list(): { id: string; name: string; detail: string; updatedAt: string }[] {
    return (
      this.db.prepare("SELECT id, name, detail, updated_at FROM items WHERE kind = 'variant-set' ORDER BY updated_at DESC").all() as {
        id: string;
        name: string;
        detail: string;
        updated_at: string;
      }[]
    ).map((r) => ({ id: r.id, name: r.name, detail: r.detail, updatedAt: r.updated_at }));
  }

  view(id: string, templateId: string): VariantSetView {
    const s = this.load(id);
    const doc = this.templates.get(templateId).document;
    const problems = [...s.fileProblems, ...checkVariantTable(s.table, doc.brand)];
    const fields = doc.data.fields.map((f) => f.name);
    const suggested =
      doc.variants?.keyField ??
      fields.find((f) => f === s.table.keyColumn) ??
      fields.find((f) => headerKey(f) === headerKey(s.table.keyColumn)) ??
      null;
    return { id, name: s.fileName, table: s.table, problems, keyFields: fields, suggestedKeyField: suggested };
  }

  /** Replace the table (edits in the studio); the problems are checked again. */
  save(id: string, templateId: string, table: VariantTable): VariantSetView {
    const s = this.load(id);
    const next: Stored = { ...s, table: VariantTableSchema.parse(table), fileProblems: [] };
    this.db
      .prepare('UPDATE items SET data = ?, detail = ?, updated_at = ? WHERE id = ?')
      .run(Buffer.from(JSON.stringify(next)), this.detail(next.table), this.now().toISOString(), id);
    return this.view(id, templateId);
  }

  /** The set becomes the template's variants, keyed by `keyField` (a data field); refused while it has errors. */
  attach(id: string, templateId: string, keyField: string) {
    const s = this.load(id);
    const doc = this.templates.get(templateId).document;
    if (!doc.data.fields.some((f) => f.name === keyField))
      throw new StudioError(
        'unknown-field',
        `The template has no data field "${keyField}"; pick the field whose value names the dealer (one of: ${doc.data.fields.map((f) => f.name).join(', ')}).`,
      );
    const errors = checkVariantTable(s.table, doc.brand).filter((p) => p.severity === 'error');
    if (errors.length)
      throw new StudioError(
        'variant-set-has-errors',
        `The dealer set has ${errors.length} problem${errors.length === 1 ? '' : 's'}; fix ${errors.length === 1 ? 'it' : 'them'} in the table, save, and attach again.`,
        errors.slice(0, 20).map((p) => `${p.row === null ? 'set' : `row ${p.row}`}${p.column ? `, ${p.column}` : ''}: ${p.message}`),
      );
    const variants = variantSetFromTable(s.table, keyField, doc.variants);
    try {
      return this.templates.update(templateId, (t) => ({ ...t.document, variants }));
    } catch (e) {
      if (!(e instanceof StudioError) || e.code !== 'invalid-document') throw e;
      const missing = [...new Set((e.details ?? []).map((d) => /uses \w+\.(\w+), but/.exec(d)?.[1]).filter((x): x is string => !!x))];
      throw new StudioError(
        'variant-set-incompatible',
        missing.length
          ? `The template uses dealer field${missing.length === 1 ? '' : 's'} ${missing.join(', ')} that this set does not have; add ${missing.length === 1 ? 'that column' : 'those columns'} to the set (or remove the fields from the design) and attach again.`
          : 'The set does not fit this template; correct the listed problems and attach again.',
        e.details,
      );
    }
  }
}
