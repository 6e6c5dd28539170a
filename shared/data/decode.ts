/**
 * Text encoding detection and streaming decoding for data files.
 *
 * Order of evidence: a byte-order mark (UTF-8, UTF-16 LE/BE) wins; without one, a run of zero bytes in
 * alternate positions means UTF-16 (LE or BE by which position); otherwise the first 64 KiB must be valid
 * UTF-8 to be read as UTF-8, and anything else is Windows-1252 (the encoding Excel on Windows writes for
 * "CSV" in Western locales; it is a superset of ISO-8859-1 for printable text).
 */

export type TextEncodingName = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';

export interface Detected {
  encoding: TextEncodingName;
  /** Bytes of byte-order mark to skip. */
  bomLength: number;
  /** The encoding was declared by the sender, not detected: bytes that do not fit it are an error, not a guess. */
  declared?: boolean;
}

export const SNIFF_BYTES = 64 * 1024;

function isValidUtf8Prefix(b: Uint8Array): boolean {
  // Ignore a multi-byte sequence cut off at the end of the sample.
  let end = b.length;
  for (let k = 1; k <= 3 && end - k >= 0; k++) {
    const c = b[end - k]!;
    if ((c & 0xc0) === 0x80) continue;
    if (c >= 0xc0) {
      const need = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
      if (need > k) end -= k;
    }
    break;
  }
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(b.subarray(0, end));
    return true;
  } catch {
    return false;
  }
}

/**
 * A declared character set (an HTTP `charset` parameter, a `--encoding` option) as one of the encodings data
 * files are read in; undefined when Presswork does not read it. Labels follow the WHATWG Encoding Standard, where
 * ISO-8859-1, Latin-1 and US-ASCII are read as Windows-1252 (their superset).
 */
export function encodingFromLabel(label: string): TextEncodingName | undefined {
  const l = label.trim().toLowerCase().replace(/^"|"$/g, '');
  if (['utf-8', 'utf8', 'unicode-1-1-utf-8'].includes(l)) return 'utf-8';
  if (['utf-16', 'utf-16le', 'utf16', 'utf16le', 'unicode', 'ucs-2'].includes(l)) return 'utf-16le';
  if (['utf-16be', 'utf16be', 'unicodefffe'].includes(l)) return 'utf-16be';
  if (
    [
      'windows-1252',
      'cp1252',
      'x-cp1252',
      'iso-8859-1',
      'iso8859-1',
      'iso_8859-1',
      'latin1',
      'l1',
      'us-ascii',
      'ascii',
      'cp819',
      'ibm819',
    ].includes(l)
  )
    return 'windows-1252';
  return undefined;
}

/** The offset of the first zero byte in text that is not UTF-16 (binary data, not a text export), or -1. */
export function binaryOffset(bytes: Uint8Array): number {
  return bytes.indexOf(0);
}

/**
 * The encoding of a file from its first bytes. A byte-order mark always wins; then a declared encoding (the
 * sender said so); then detection.
 */
export function detectEncoding(sample: Uint8Array, declared?: TextEncodingName): Detected {
  const [a, b, c] = [sample[0], sample[1], sample[2]];
  if (a === 0xef && b === 0xbb && c === 0xbf) return { encoding: 'utf-8', bomLength: 3 };
  if (a === 0xff && b === 0xfe) return { encoding: 'utf-16le', bomLength: 2 };
  if (a === 0xfe && b === 0xff) return { encoding: 'utf-16be', bomLength: 2 };
  if (declared) return { encoding: declared, bomLength: 0, declared: true };
  const n = Math.min(sample.length, 512) & ~1;
  if (n >= 4) {
    let zeroEven = 0;
    let zeroOdd = 0;
    for (let i = 0; i < n; i++) {
      if (sample[i] !== 0) continue;
      if (i % 2) zeroOdd++;
      else zeroEven++;
    }
    if (zeroOdd > n / 2 / 2 && zeroEven === 0) return { encoding: 'utf-16le', bomLength: 0 };
    if (zeroEven > n / 2 / 2 && zeroOdd === 0) return { encoding: 'utf-16be', bomLength: 0 };
  }
  return { encoding: isValidUtf8Prefix(sample.subarray(0, SNIFF_BYTES)) ? 'utf-8' : 'windows-1252', bomLength: 0 };
}

/** A streaming decoder: push byte chunks, get text; `onFallback` is called if UTF-8 turns out invalid later in the file. */
interface Decoder {
  decode(input?: Uint8Array, options?: { stream?: boolean }): string;
}

/** Bytes that cannot be text in the file's encoding (declared UTF-8 that is not, broken UTF-16): the file cannot be read. */
export class UndecodableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UndecodableError';
  }
}

export class StreamDecoder {
  private decoder: Decoder;
  private pendingOdd: Uint8Array | undefined;
  private offset = 0;
  /**
   * `onFallback` is called when detected UTF-8 turns out invalid later in the file (the rest is read as
   * Windows-1252); with `strict` (a declared encoding) that is an `UndecodableError` instead. Broken UTF-16
   * is always an `UndecodableError`.
   */
  constructor(
    public encoding: TextEncodingName,
    private readonly onFallback?: (message: string) => void,
    private readonly strict = false,
  ) {
    this.decoder = this.make(encoding);
  }
  private make(enc: TextEncodingName): Decoder {
    if (enc === 'utf-16be') return new TextDecoder('utf-16le', { fatal: true, ignoreBOM: true });
    return new TextDecoder(enc, { fatal: enc !== 'windows-1252', ignoreBOM: true });
  }
  decode(chunk: Uint8Array, final = false): string {
    let bytes = chunk;
    if (this.encoding === 'utf-16be') {
      if (this.pendingOdd) {
        const joined = new Uint8Array(this.pendingOdd.length + chunk.length);
        joined.set(this.pendingOdd);
        joined.set(chunk, this.pendingOdd.length);
        bytes = joined;
        this.pendingOdd = undefined;
      }
      const even = bytes.length & ~1;
      if (even < bytes.length) this.pendingOdd = bytes.slice(even);
      const swapped = new Uint8Array(even);
      for (let i = 0; i < even; i += 2) {
        swapped[i] = bytes[i + 1]!;
        swapped[i + 1] = bytes[i]!;
      }
      bytes = swapped;
    }
    const at = this.offset;
    this.offset += chunk.length;
    try {
      return this.decoder.decode(bytes, { stream: !final });
    } catch {
      const where = `in the bytes from offset ${at} to ${this.offset}`;
      if (this.encoding !== 'utf-8')
        throw new UndecodableError(
          `the file is not valid ${this.encoding.toUpperCase()} (a broken character ${where}); export it again as CSV UTF-8`,
        );
      if (this.strict)
        throw new UndecodableError(
          `the file was declared UTF-8 but is not (an invalid byte ${where}); declare its real encoding (for example charset=windows-1252) or save it as CSV UTF-8`,
        );
      this.onFallback?.(
        'the file is not valid UTF-8 after the first 64 KiB; the rest was read as Windows-1252 — save the file as UTF-8 to be sure',
      );
      this.encoding = 'windows-1252';
      this.decoder = this.make('windows-1252');
      return this.decoder.decode(bytes, { stream: !final });
    }
  }
}
