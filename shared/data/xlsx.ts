import { unzipSync } from 'fflate';

/**
 * A small XLSX (Office Open XML spreadsheet) reader: one sheet's cell values as rows of strings, numbers
 * and booleans. Shared strings, inline strings, formula results (cached values), booleans and errors are
 * read; styles are not (a date stored as a number is typed by the data schema: date fields accept Excel
 * serial numbers). Whole-file: XLSX is a zip, so it is read from memory — use CSV for millions of rows.
 */

export type XlsxCell = string | number | boolean | undefined;
export interface XlsxRow {
  /** 1-based sheet row number. */
  row: number;
  cells: XlsxCell[];
}

export class XlsxError extends Error {
  constructor(
    readonly code: 'bad-xlsx' | 'unknown-sheet',
    message: string,
  ) {
    super(message);
    this.name = 'XlsxError';
  }
}

const decodeXml = (s: string): string =>
  s.includes('&')
    ? s.replace(/&(#x[0-9a-fA-F]+|#\d+|amp|lt|gt|quot|apos);/g, (_m, e: string) => {
        switch (e) {
          case 'amp':
            return '&';
          case 'lt':
            return '<';
          case 'gt':
            return '>';
          case 'quot':
            return '"';
          case 'apos':
            return "'";
          default:
            return String.fromCodePoint(e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
        }
      })
    : s;

const attr = (tag: string, name: string): string | undefined => {
  const m = new RegExp(`\\s${name}="([^"]*)"`).exec(tag);
  return m ? decodeXml(m[1]!) : undefined;
};

/** Text of all <t> elements inside a fragment (rich-text runs are concatenated; phonetic runs skipped). */
const textOf = (xml: string): string => {
  let out = '';
  const withoutPhonetic = xml.replace(/<rPh\b[\s\S]*?<\/rPh>/g, '');
  for (const m of withoutPhonetic.matchAll(/<t(?:\s[^>]*)?>([\s\S]*?)<\/t>|<t(?:\s[^>]*)?\/>/g)) out += decodeXml(m[1] ?? '');
  return out;
};

/** Column letters → 0-based index (A → 0, Z → 25, AA → 26). */
export const columnIndex = (letters: string): number => {
  let n = 0;
  for (const ch of letters) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n - 1;
};

export function listSheets(bytes: Uint8Array): string[] {
  return readWorkbook(bytes).sheets.map((s) => s.name);
}

function readWorkbook(bytes: Uint8Array) {
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes, {
      filter: (f) =>
        f.name === 'xl/workbook.xml' ||
        f.name === 'xl/_rels/workbook.xml.rels' ||
        f.name === 'xl/sharedStrings.xml' ||
        f.name.startsWith('xl/worksheets/'),
    });
  } catch (e) {
    throw new XlsxError(
      'bad-xlsx',
      `not a readable XLSX file (${e instanceof Error ? e.message : String(e)}); save it again from Excel as .xlsx, or export CSV`,
    );
  }
  const text = (name: string) => {
    const b = files[name];
    return b ? new TextDecoder('utf-8').decode(b) : undefined;
  };
  const workbook = text('xl/workbook.xml');
  if (!workbook)
    throw new XlsxError('bad-xlsx', 'the file has no xl/workbook.xml, so it is not an XLSX workbook; export it as .xlsx or CSV');
  const rels = new Map<string, string>();
  for (const m of (text('xl/_rels/workbook.xml.rels') ?? '').matchAll(/<Relationship\b[^>]*>/g)) {
    const id = attr(m[0], 'Id');
    const target = attr(m[0], 'Target');
    if (id && target) rels.set(id, target.startsWith('/') ? target.slice(1) : `xl/${target}`);
  }
  const sheets = [...workbook.matchAll(/<sheet\b[^>]*>/g)].map((m, i) => {
    const rid = attr(m[0], 'r:id');
    return { name: attr(m[0], 'name') ?? `Sheet${i + 1}`, path: (rid && rels.get(rid)) ?? `xl/worksheets/sheet${i + 1}.xml` };
  });
  return { files, text, sheets };
}

/** Read one sheet (the first when `sheet` is not given; by name, case-insensitive). */
export function readXlsx(bytes: Uint8Array, sheet?: string): { sheet: string; rows: XlsxRow[] } {
  const { text, sheets } = readWorkbook(bytes);
  const chosen = sheet === undefined ? sheets[0] : sheets.find((s) => s.name.toLowerCase() === sheet.toLowerCase());
  if (!chosen)
    throw new XlsxError(
      'unknown-sheet',
      sheet === undefined
        ? 'the workbook has no sheets'
        : `no sheet named "${sheet}"; sheets are ${sheets.map((s) => `"${s.name}"`).join(', ')}`,
    );
  const xml = text(chosen.path);
  if (xml === undefined) throw new XlsxError('bad-xlsx', `sheet "${chosen.name}" is missing its part ${chosen.path}`);
  const shared: string[] = [];
  for (const m of (text('xl/sharedStrings.xml') ?? '').matchAll(/<si>([\s\S]*?)<\/si>|<si\/>/g)) shared.push(textOf(m[1] ?? ''));

  const rows: XlsxRow[] = [];
  let nextRow = 1;
  for (const rm of xml.matchAll(/<row\b([^>]*?)(?:\/>|>([\s\S]*?)<\/row>)/g)) {
    const r = attr(rm[1] ?? '', 'r');
    const rowNumber = r ? Number(r) : nextRow;
    nextRow = rowNumber + 1;
    const cells: XlsxCell[] = [];
    let nextCol = 0;
    for (const cm of (rm[2] ?? '').matchAll(/<c\b([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)) {
      const attrs = cm[1] ?? '';
      const ref = attr(attrs, 'r');
      const col = ref ? columnIndex(ref.replace(/\d+$/, '')) : nextCol;
      nextCol = col + 1;
      const body = cm[2] ?? '';
      const t = attr(attrs, 't') ?? 'n';
      const v = /<v>([\s\S]*?)<\/v>/.exec(body)?.[1];
      let value: XlsxCell;
      switch (t) {
        case 's':
          value = v === undefined ? undefined : shared[Number(v)];
          break;
        case 'inlineStr':
          value = textOf(/<is>([\s\S]*?)<\/is>/.exec(body)?.[1] ?? '');
          break;
        case 'str':
          value = v === undefined ? undefined : decodeXml(v);
          break;
        case 'b':
          value = v === undefined ? undefined : v.trim() === '1';
          break;
        case 'e':
          value = v === undefined ? undefined : `#ERROR ${decodeXml(v)}`;
          break;
        default:
          value = v === undefined || v.trim() === '' ? undefined : Number(v);
      }
      cells[col] = value;
    }
    rows.push({ row: rowNumber, cells });
  }
  return { sheet: chosen.name, rows };
}
