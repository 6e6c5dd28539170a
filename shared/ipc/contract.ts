import { z } from 'zod';
import type { Envelope } from './errors';
import { DECISIONS, DecisionSchema, VersionApprovalsSchema } from '../approvals/model';
import { PAGE_PRESET_IDS } from '../model/page-presets';
import { FIELD_TYPES } from '../model/data-schema';
import { VariantTableSchema } from '../data/variant-sets';

/**
 * The studio IPC contract: every channel the renderer may call, with its argument and result schemas.
 * Both transports are generated from this one object: the preload exposes one method per channel
 * (`methodName('library:list')` → `libraryList`) and the web host serves `POST /ipc/<channel>`.
 * Every channel takes one argument object; main parses it with `args` before the handler runs.
 */

/** Binary payloads cross the bridge as base64 text (the HTTP bridge is JSON; IPC uses the same shape). */
const Base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, { error: 'must be base64 text' });
const FileUpload = z.strictObject({
  fileName: z.string().min(1).max(255),
  data: Base64,
});
const Id = z.string().min(1).max(200);
const None = z.strictObject({});

export const FileDownloadSchema = z.strictObject({ fileName: z.string(), mediaType: z.string(), data: Base64 });
export type FileDownload = z.infer<typeof FileDownloadSchema>;

export const TemplateSummarySchema = z.strictObject({
  id: Id,
  name: z.string(),
  updatedAt: z.string(),
  /** Where the package was last opened from or saved to on disk, if anywhere. */
  path: z.string().nullable(),
  pages: z.number().int(),
  hasEmail: z.boolean(),
  /** True when an autosaved draft newer than the last save was recovered on open. */
  recovered: z.boolean(),
});
export type TemplateSummary = z.infer<typeof TemplateSummarySchema>;

export const LibraryItemSchema = z.strictObject({
  id: Id,
  kind: z.string(),
  name: z.string(),
  detail: z.string(),
  updatedAt: z.string(),
  /** A dataset's template (it opens with that template); null for other items. */
  templateId: Id.nullable(),
});
export type LibraryItem = z.infer<typeof LibraryItemSchema>;

export const FontInfoSchema = z.strictObject({
  id: Id,
  family: z.string(),
  weight: z.number(),
  style: z.enum(['normal', 'italic']),
  format: z.enum(['ttf', 'otf', 'woff', 'woff2']),
  glyphs: z.number().int(),
  /** The OS/2 fsType embedding permission in words. */
  embedding: z.string(),
});
export type FontInfo = z.infer<typeof FontInfoSchema>;

export const SwatchRowSchema = z.strictObject({
  id: Id,
  name: z.string(),
  spotName: z.string().nullable(),
  /** Screen colour (sRGB hex) to paint the chip with. */
  screen: z.string(),
  cmyk: z.tuple([z.number(), z.number(), z.number(), z.number()]).nullable(),
  lab: z.tuple([z.number(), z.number(), z.number()]).nullable(),
  /** ΔE2000 between each pair that exists: ink (spot Lab), CMYK build, screen (sRGB). */
  deltas: z.array(z.strictObject({ between: z.string(), deltaE: z.number(), over: z.boolean() })),
});
export type SwatchRow = z.infer<typeof SwatchRowSchema>;

export const BrandViewSchema = z.strictObject({
  name: z.string(),
  threshold: z.number(),
  fonts: z.array(z.strictObject({ id: Id, family: z.string(), weight: z.number(), style: z.string(), licence: z.string() })),
  swatches: z.array(SwatchRowSchema),
  logos: z.array(z.strictObject({ id: Id, name: z.string(), mediaType: z.string() })),
});
export type BrandView = z.infer<typeof BrandViewSchema>;

export const DataProblemSchema = z.strictObject({
  row: z.number().int().nullable(),
  column: z.string().nullable(),
  severity: z.enum(['error', 'warning']),
  message: z.string(),
});
export type DataProblem = z.infer<typeof DataProblemSchema>;

/** A column no field reads, with a typed guess for the field to create from it (shared/ops/column-guess). */
export const ColumnGuessSchema = z.strictObject({
  header: z.string(),
  name: z.string(),
  type: z.enum(FIELD_TYPES),
  required: z.boolean(),
  sample: z.union([z.string(), z.number(), z.boolean()]).optional(),
});

export const DatasetViewSchema = z.strictObject({
  id: Id,
  /** The template the data was imported for (the one whose fields read it). */
  templateId: Id,
  name: z.string(),
  rows: z.number().int(),
  columns: z.array(z.string()),
  /** schema field → source column (or null when unmapped). */
  mapping: z.record(z.string(), z.string().nullable()),
  fields: z.array(z.strictObject({ name: z.string(), type: z.string(), required: z.boolean() })),
  problems: z.array(DataProblemSchema),
  /** Columns of the file that no field reads (so they are ignored), each with a typed guess for a new field. */
  ignored: z.array(ColumnGuessSchema),
});
export type DatasetView = z.infer<typeof DatasetViewSchema>;

export const RecordViewSchema = z.strictObject({
  index: z.number().int(),
  total: z.number().int(),
  values: z.record(z.string(), z.string()),
  variant: z.strictObject({ key: z.string().nullable(), name: z.string(), fallback: z.boolean() }).nullable(),
});
export type RecordView = z.infer<typeof RecordViewSchema>;

const RecordRef = z.strictObject({ templateId: Id, datasetId: Id.nullable(), index: z.number().int().min(0) });

export const PrintProofSchema = z.strictObject({
  pdf: Base64,
  pages: z.array(
    z.strictObject({
      name: z.string(),
      /** Sizes in points; trim origin is inside the bleed. */
      trim: z.strictObject({ width: z.number(), height: z.number() }),
      bleed: z.strictObject({ top: z.number(), right: z.number(), bottom: z.number(), left: z.number() }),
    }),
  ),
  overflow: z.array(
    z.strictObject({ elementId: z.string(), page: z.number().int(), x: z.number(), y: z.number(), width: z.number(), height: z.number() }),
  ),
  millis: z.number(),
});
export type PrintProof = z.infer<typeof PrintProofSchema>;

export const EmailProofSchema = z.strictObject({
  subject: z.string(),
  preheader: z.string(),
  from: z.string(),
  to: z.string(),
  html: z.string(),
  text: z.string(),
});
export type EmailProof = z.infer<typeof EmailProofSchema>;

export const PrefsViewSchema = z.strictObject({
  serverUrl: z.string(),
  hasToken: z.boolean(),
  /** An approver token is saved (used for approval decisions; the publisher token otherwise). */
  hasApproverToken: z.boolean(),
  theme: z.enum(['system', 'light', 'dark']),
  /** How the token is stored, in words, e.g. "encrypted by the operating system (Electron safeStorage)". */
  tokenStorage: z.string(),
  encrypted: z.boolean(),
});
export type PrefsView = z.infer<typeof PrefsViewSchema>;

export const JobStartedSchema = z.strictObject({ jobId: Id });

/** A preflight finding as the review grid shows it (shared/preflight, regrouped by variant). */
export const ReviewFindingSchema = z.strictObject({
  code: z.string(),
  severity: z.enum(['error', 'warning', 'info']),
  channel: z.string(),
  message: z.string(),
  fix: z.string(),
  /** What it is about, in words: `element "headline"`, `block "cta"`, `field "email"`, `swatch "navy"`; null for the whole message. */
  element: z.string().nullable(),
  /** Records of this variant with the problem (0 for a template-level finding). */
  count: z.number().int(),
  /** Their 1-based data rows (the first 10). */
  rows: z.array(z.number().int()),
});
export type ReviewFinding = z.infer<typeof ReviewFindingSchema>;

export const ReviewTileSchema = z.strictObject({
  /** Variant key; `(fallback)` for records whose key matches no variant, `(template)` without variants. */
  key: z.string(),
  label: z.string(),
  fallback: z.boolean(),
  /** Records of the data that use this variant. */
  records: z.number().int(),
  /** Index (0-based, as data:record takes it) of the record with the longest values; null without records. */
  representative: z.number().int().nullable(),
  /** Every record index of this variant, to pick another (the tile lists up to 500, else takes a row number). */
  indexes: z.array(z.number().int()),
  findings: z.array(ReviewFindingSchema),
});
export type ReviewTile = z.infer<typeof ReviewTileSchema>;

export const ReviewGridSchema = z.strictObject({
  tiles: z.array(ReviewTileSchema),
  /** Problems of the template itself: every tile has them. */
  templateFindings: z.array(ReviewFindingSchema),
  records: z.number().int(),
  millis: z.number(),
});
export type ReviewGrid = z.infer<typeof ReviewGridSchema>;

export const ReviewApprovalsSchema = z.strictObject({
  serverUrl: z.string(),
  /** The published version under review (the server's latest); null when not published or unreachable. */
  version: z.number().int().nullable(),
  approvals: VersionApprovalsSchema.nullable(),
  /** Why there are no approvals to show, or why deciding is off, in words (no server, not published, changed…). */
  message: z.string().nullable(),
  /**
   * True when the template open in the studio is exactly the version under review (same content hash), so the
   * pages the reviewer sees are what the version produces and a decision may be recorded.
   */
  decidable: z.boolean(),
});
export type ReviewApprovals = z.infer<typeof ReviewApprovalsSchema>;

/** A dealer variant set of the library as a table, checked against the open template's brand kit. */
export const VariantSetViewSchema = z.strictObject({
  id: Id,
  name: z.string(),
  table: VariantTableSchema,
  problems: z.array(DataProblemSchema),
  /** The template's data fields, one of which names each record's dealer. */
  keyFields: z.array(z.string()),
  /** The field to key by: the template's current key field, or one named like the set's key column. */
  suggestedKeyField: z.string().nullable(),
});
export type VariantSetView = z.infer<typeof VariantSetViewSchema>;

/** The channels: name → argument and result schemas. Names are `domain:verb`. */
export const channels = {
  'app:info': {
    args: None,
    result: z.strictObject({
      version: z.string(),
      transport: z.enum(['electron', 'web']),
      userData: z.string(),
      platform: z.string(),
    }),
  },
  'library:list': { args: None, result: z.strictObject({ templates: z.array(TemplateSummarySchema), items: z.array(LibraryItemSchema) }) },
  'recent:list': { args: None, result: z.array(z.strictObject({ path: z.string(), name: z.string(), openedAt: z.string() })) },
  'template:openSample': { args: None, result: TemplateSummarySchema },
  'template:import': { args: FileUpload, result: TemplateSummarySchema },
  'template:openPath': { args: z.strictObject({ path: z.string().min(1) }), result: TemplateSummarySchema },
  'template:openDialog': { args: None, result: TemplateSummarySchema.nullable() },
  'template:get': { args: z.strictObject({ id: Id }), result: z.strictObject({ summary: TemplateSummarySchema, document: z.unknown() }) },
  /** `document` absent: save the working document as journalled (JSON over the web bridge drops an undefined key). */
  'template:save': { args: z.strictObject({ id: Id, document: z.unknown().optional() }), result: TemplateSummarySchema },
  'template:autosave': { args: z.strictObject({ id: Id, document: z.unknown() }), result: z.strictObject({ savedAt: z.string() }) },
  'template:saveAs': { args: z.strictObject({ id: Id, path: z.string().min(1).nullable() }), result: TemplateSummarySchema.nullable() },
  'template:package': { args: z.strictObject({ id: Id }), result: FileDownloadSchema },
  /** One asset's bytes (a font or an image of the package), for the canvas editor to draw with. */
  'template:asset': {
    args: z.strictObject({ templateId: Id, assetId: Id }),
    result: z.strictObject({ mediaType: z.string(), data: Base64 }),
  },
  'template:delete': { args: z.strictObject({ id: Id }), result: z.strictObject({ deleted: z.boolean() }) },
  /** File ▸ New: a new template in the library with one page size (or a custom one) and a brand kit copied from the library. */
  'template:create': {
    args: z.strictObject({
      name: z.string().trim().min(1, { error: 'give the template a name' }).max(120),
      preset: z.enum(PAGE_PRESET_IDS),
      /** Points; required for the custom preset, ignored otherwise. */
      custom: z
        .strictObject({
          width: z.number().min(36, { error: 'a page is at least 0.5 in (36 pt) wide' }).max(14_400),
          height: z.number().min(36, { error: 'a page is at least 0.5 in (36 pt) tall' }).max(14_400),
          bleed: z.number().min(0).max(72, { error: 'bleed is at most 1 in (72 pt)' }),
        })
        .nullable(),
      /** The library template whose brand kit (fonts, swatches, logos) the new template starts with; null: an empty kit. */
      brandFrom: Id.nullable(),
      /** The channels it starts with; email starts from the brand-kit starter layout. Default print. */
      channels: z.enum(['print', 'email', 'both']).optional(),
    }),
    result: TemplateSummarySchema,
  },
  'variants:list': { args: None, result: z.array(z.strictObject({ id: Id, name: z.string(), detail: z.string(), updatedAt: z.string() })) },
  'variants:import': { args: z.strictObject({ templateId: Id, file: FileUpload }), result: VariantSetViewSchema },
  'variants:get': { args: z.strictObject({ id: Id, templateId: Id }), result: VariantSetViewSchema },
  'variants:save': { args: z.strictObject({ id: Id, templateId: Id, table: VariantTableSchema }), result: VariantSetViewSchema },
  /** The set becomes the template's dealer variants, keyed by one of its data fields. */
  'variants:attach': { args: z.strictObject({ id: Id, templateId: Id, keyField: z.string().min(1) }), result: TemplateSummarySchema },
  /** The brand kits in the library (one per template), for File ▸ New. */
  'template:brandKits': {
    args: None,
    result: z.array(
      z.strictObject({
        templateId: Id,
        name: z.string(),
        templateName: z.string(),
        fonts: z.number().int(),
        swatches: z.number().int(),
        logos: z.number().int(),
      }),
    ),
  },
  'brand:get': { args: z.strictObject({ templateId: Id }), result: BrandViewSchema },
  'brand:importFont': { args: z.strictObject({ templateId: Id, file: FileUpload }), result: FontInfoSchema },
  'brand:addSwatch': {
    args: z.strictObject({
      templateId: Id,
      name: z.string().trim().min(1).max(80),
      spotName: z.string().trim().max(80).nullable(),
      lab: z.tuple([z.number().min(0).max(100), z.number().min(-128).max(128), z.number().min(-128).max(128)]).nullable(),
      cmyk: z.tuple([z.number(), z.number(), z.number(), z.number()]).nullable(),
      srgb: z
        .string()
        .regex(/^#[0-9a-fA-F]{6}$/, { error: 'sRGB must be written #rrggbb' })
        .nullable(),
    }),
    result: SwatchRowSchema,
  },
  'brand:importAse': {
    args: z.strictObject({ templateId: Id, file: FileUpload }),
    result: z.strictObject({ added: z.number().int(), skipped: z.array(z.string()) }),
  },
  'brand:importLogo': { args: z.strictObject({ templateId: Id, file: FileUpload }), result: z.strictObject({ id: Id, name: z.string() }) },
  'data:import': { args: z.strictObject({ templateId: Id, file: FileUpload }), result: DatasetViewSchema },
  'data:get': { args: z.strictObject({ datasetId: Id }), result: DatasetViewSchema },
  /** The template's datasets, most recently used first: the first is the one the template opens with. */
  'data:list': {
    args: z.strictObject({ templateId: Id }),
    result: z.strictObject({
      datasets: z.array(z.strictObject({ id: Id, name: z.string(), rows: z.number().int(), updatedAt: z.string() })),
    }),
  },
  /** Make a dataset the template's current sample data (it is then the first of data:list). */
  'data:select': { args: z.strictObject({ datasetId: Id }), result: DatasetViewSchema },
  'data:map': {
    args: z.strictObject({ datasetId: Id, mapping: z.record(z.string(), z.string().nullable()) }),
    result: DatasetViewSchema,
  },
  'data:record': { args: RecordRef, result: RecordViewSchema },
  /** The typed values of one record (as the engine binds them), for the canvas editor's own layout. */
  'data:values': {
    args: RecordRef,
    result: z.strictObject({
      row: z.number().int(),
      total: z.number().int(),
      values: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
    }),
  },
  'data:find': {
    args: z.strictObject({ datasetId: Id, query: z.string().min(1).max(200), from: z.number().int().min(0) }),
    result: z.strictObject({ index: z.number().int().nullable() }),
  },
  'preview:print': { args: RecordRef, result: PrintProofSchema },
  'preview:email': { args: RecordRef, result: EmailProofSchema },
  'export:proof': { args: RecordRef, result: FileDownloadSchema },
  'export:eml': { args: RecordRef, result: FileDownloadSchema },
  'export:batch': { args: z.strictObject({ templateId: Id, datasetId: Id }), result: JobStartedSchema },
  'export:cancel': { args: z.strictObject({ jobId: Id }), result: z.strictObject({ cancelled: z.boolean() }) },
  'export:download': { args: z.strictObject({ jobId: Id }), result: FileDownloadSchema },
  'prefs:get': { args: None, result: PrefsViewSchema },
  'prefs:set': {
    args: z.strictObject({
      serverUrl: z
        .union([z.literal(''), z.url({ protocol: /^https?$/, error: 'the server URL must start with http:// or https://' })])
        .optional(),
      token: z.string().max(4096).nullable().optional(),
      approverToken: z.string().max(4096).nullable().optional(),
      theme: z.enum(['system', 'light', 'dark']).optional(),
    }),
    result: PrefsViewSchema,
  },
  'publish:send': { args: z.strictObject({ templateId: Id }), result: JobStartedSchema },
  'review:grid': { args: z.strictObject({ templateId: Id, datasetId: Id.nullable() }), result: ReviewGridSchema },
  'review:approvals': { args: z.strictObject({ templateId: Id, datasetId: Id.nullable() }), result: ReviewApprovalsSchema },
  'review:decide': {
    args: z.strictObject({
      templateId: Id,
      datasetId: Id,
      version: z.number().int().positive(),
      variant: z.string().min(1).max(200),
      decision: z.enum(DECISIONS),
      comment: z.string().max(2000),
    }),
    result: DecisionSchema,
  },
  'review:reportCsv': { args: z.strictObject({ templateId: Id, version: z.number().int().positive() }), result: FileDownloadSchema },
  'shell:openExternal': { args: z.strictObject({ url: z.string().max(2048) }), result: z.strictObject({ opened: z.boolean() }) },
} as const satisfies Record<string, { args: z.ZodType; result: z.ZodType }>;

export type Channels = typeof channels;
export type ChannelName = keyof Channels;
export type ArgsOf<C extends ChannelName> = z.input<Channels[C]['args']>;
export type ResultOf<C extends ChannelName> = z.output<Channels[C]['result']>;

/** Events main pushes to the renderer (progress of long work, menu commands). */
export const events = {
  'job:progress': z.strictObject({
    jobId: Id,
    kind: z.enum(['batch', 'publish']),
    done: z.number(),
    total: z.number(),
    message: z.string(),
  }),
  'job:finished': z.strictObject({
    jobId: Id,
    kind: z.enum(['batch', 'publish']),
    ok: z.boolean(),
    cancelled: z.boolean(),
    message: z.string(),
    /** batch: the number of records; publish: the new version number. */
    value: z.number().nullable(),
    code: z.string().nullable(),
  }),
  /** A template was opened by main (Open Recent in the menu, a file given on the command line). */
  'template:opened': z.strictObject({ id: Id }),
  'menu:command': z.strictObject({
    command: z.enum([
      'new',
      'open',
      'save',
      'saveAs',
      'export',
      'undo',
      'redo',
      'duplicate',
      'group',
      'ungroup',
      'zoomIn',
      'zoomOut',
      'zoomReset',
      'preferences',
    ]),
  }),
} as const satisfies Record<string, z.ZodType>;

export type Events = typeof events;
export type EventName = keyof Events;
export type EventOf<E extends EventName> = z.output<Events[E]>;

/** The bridge method for a channel: `template:openSample` → `templateOpenSample`. */
export const methodName = (channel: string): string =>
  channel.replace(/[:-]([a-zA-Z])/g, (_, c: string) => c.toUpperCase()).replace(/^[A-Z]/, (c) => c.toLowerCase());

/** The subscription method for an event: `job:progress` → `onJobProgress`. */
export const eventMethodName = (event: string): string => {
  const m = methodName(event);
  return `on${m.charAt(0).toUpperCase()}${m.slice(1)}`;
};

export const channelNames = Object.keys(channels) as ChannelName[];
export const eventNames = Object.keys(events) as EventName[];

type Camel<S extends string> = S extends `${infer A}:${infer B}` ? `${A}${Capitalize<Camel<B>>}` : S;
export type MethodName<C extends ChannelName> = Camel<C>;

/** What the preload exposes as `window.studio`, typed from the contract. */
export type StudioApi = {
  [C in ChannelName as MethodName<C>]: (args: ArgsOf<C>) => Promise<Envelope<ResultOf<C>>>;
} & {
  [E in EventName as `on${Capitalize<Camel<E>>}`]: (listener: (payload: EventOf<E>) => void) => () => void;
};
