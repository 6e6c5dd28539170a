/**
 * A streaming RFC 4180 reader: quoted fields with doubled quotes, delimiters and line breaks (CRLF, LF or CR)
 * inside quotes, and a final record without a line break. Text goes in chunk by chunk; complete records
 * come out with the physical line they started on. Lenient where Excel is: a quote inside an unquoted
 * field is kept as text (and reported), text after a closing quote is appended (and reported).
 */

export interface CsvRecord {
  cells: string[];
  /** 1-based physical line where the record starts. */
  line: number;
  /** Problems in the record's syntax (reported, not fatal). */
  warnings: string[];
  /** Cells longer than the tokenizer's limit (kept cut to limit + 1 characters): cell index → full length. */
  oversized?: Map<number, number>;
}

export const DELIMITER_CANDIDATES = [',', ';', '\t', '|'] as const;

/** Pick the delimiter that splits the first lines into the same number (>1) of cells most consistently. */
export function detectDelimiter(sample: string): string {
  const lines: string[] = [];
  let inQuotes = false;
  let start = 0;
  for (let i = 0; i < sample.length && lines.length < 20; i++) {
    const ch = sample[i];
    if (ch === '"') inQuotes = !inQuotes;
    else if (!inQuotes && (ch === '\n' || ch === '\r')) {
      if (i > start) lines.push(sample.slice(start, i));
      start = i + 1;
    }
  }
  if (lines.length === 0 && sample.length) lines.push(sample);
  let best = ',';
  let bestScore = -1;
  for (const d of DELIMITER_CANDIDATES) {
    const counts = lines.map((l) => l.replace(/"[^"]*"/g, '').split(d).length - 1);
    const first = counts[0] ?? 0;
    if (first === 0) continue;
    const agree = counts.filter((c) => c === first).length;
    const score = agree * 1000 + first;
    if (score > bestScore) {
      bestScore = score;
      best = d;
    }
  }
  return best;
}

export class CsvTokenizer {
  private cells: string[] = [];
  private field = '';
  private inQuotes = false;
  private afterQuote = false;
  private fieldStarted = false;
  private line = 1;
  private recordLine = 1;
  private pendingCR = false;
  private warnings: string[] = [];
  /** Characters the current field really has (its text stops growing past the limit). */
  private fieldSize = 0;
  private oversized: Map<number, number> | undefined;
  /**
   * `maxField`: the longest cell kept in full, in characters. A longer one is cut to maxField + 1 characters and
   * reported with its full length in `oversized`, so one 50 MB cell costs no more memory than the limit.
   */
  constructor(
    private readonly delimiter: string,
    private readonly maxField = Infinity,
  ) {}

  private append(s: string): void {
    this.fieldSize += s.length;
    const room = this.maxField + 1 - this.field.length;
    if (room <= 0) return;
    this.field += s.length > room ? s.slice(0, room) : s;
  }

  /** Feed text; returns the records completed by it. */
  push(text: string, out: CsvRecord[] = []): CsvRecord[] {
    const d = this.delimiter;
    const n = text.length;
    let i = 0;
    while (i < n) {
      const ch = text[i]!;
      if (this.pendingCR) {
        this.pendingCR = false;
        if (ch === '\n') {
          i++;
          continue;
        }
      }
      if (this.inQuotes) {
        const q = text.indexOf('"', i);
        if (q === -1) {
          this.countLines(text, i, n);
          this.append(text.slice(i));
          return out;
        }
        this.countLines(text, i, q);
        this.append(text.slice(i, q));
        if (q + 1 >= n) {
          // Can't tell yet whether this is "" (escaped) or the closing quote: keep state.
          this.inQuotes = false;
          this.afterQuote = true;
          return out;
        }
        if (text[q + 1] === '"') {
          this.append('"');
          i = q + 2;
        } else {
          this.inQuotes = false;
          this.afterQuote = true;
          i = q + 1;
        }
        continue;
      }
      if (this.afterQuote && ch === '"') {
        // The chunk ended between two quotes: it was an escaped quote.
        this.append('"');
        this.inQuotes = true;
        this.afterQuote = false;
        i++;
        continue;
      }
      if (ch === d) {
        this.endField();
        i++;
        continue;
      }
      if (ch === '\n' || ch === '\r') {
        this.endRecord(out);
        this.line++;
        this.recordLine = this.line;
        if (ch === '\r') this.pendingCR = true;
        i++;
        continue;
      }
      if (ch === '"' && !this.fieldStarted) {
        this.inQuotes = true;
        this.fieldStarted = true;
        i++;
        continue;
      }
      // Plain run up to the next special character.
      let j = i;
      while (j < n) {
        const c = text[j];
        if (c === d || c === '\n' || c === '\r' || c === '"') break;
        j++;
      }
      if (j === i) {
        // A quote inside an unquoted field (or after a closing quote): keep it as text.
        this.warnings.push(
          `line ${this.line}: a quote inside an unquoted field was kept as text; quote the whole field and double inner quotes ("")`,
        );
        this.append('"');
        this.fieldStarted = true;
        i++;
        continue;
      }
      if (this.afterQuote) {
        this.warnings.push(`line ${this.line}: text after a closing quote was appended to the field`);
        this.afterQuote = false;
      }
      this.append(text.slice(i, j));
      this.fieldStarted = true;
      i = j;
    }
    return out;
  }

  /** Call at end of input; returns the last record if the file did not end with a line break. */
  /** After `finish`: the line of a quoted field still open at the end of the file (everything after it became one value). */
  unclosedQuoteLine: number | undefined;

  finish(out: CsvRecord[] = []): CsvRecord[] {
    if (this.inQuotes) this.unclosedQuoteLine = this.recordLine;
    if (this.inQuotes) this.warnings.push(`line ${this.recordLine}: a quoted field is not closed before the end of the file`);
    if (this.fieldStarted || this.cells.length > 0 || this.inQuotes || this.afterQuote) this.endRecord(out);
    return out;
  }

  private countLines(text: string, from: number, to: number) {
    for (let k = from; k < to; k++) {
      const c = text.charCodeAt(k);
      if (c === 10) this.line++;
      else if (c === 13 && text.charCodeAt(k + 1) !== 10) this.line++;
    }
  }
  private endField() {
    if (this.fieldSize > this.maxField) (this.oversized ??= new Map()).set(this.cells.length, this.fieldSize);
    this.cells.push(this.field);
    this.field = '';
    this.fieldSize = 0;
    this.fieldStarted = false;
    this.afterQuote = false;
  }
  private endRecord(out: CsvRecord[]) {
    this.endField();
    this.inQuotes = false;
    const cells = this.cells;
    this.cells = [];
    // A blank line is not a record.
    if (!(cells.length === 1 && cells[0] === ''))
      out.push({ cells, line: this.recordLine, warnings: this.warnings, ...(this.oversized ? { oversized: this.oversized } : {}) });
    this.warnings = [];
    this.oversized = undefined;
  }
}
