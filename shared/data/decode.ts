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

export function detectEncoding(sample: Uint8Array): Detected {
  const [a, b, c] = [sample[0], sample[1], sample[2]];
  if (a === 0xef && b === 0xbb && c === 0xbf) return { encoding: 'utf-8', bomLength: 3 };
  if (a === 0xff && b === 0xfe) return { encoding: 'utf-16le', bomLength: 2 };
  if (a === 0xfe && b === 0xff) return { encoding: 'utf-16be', bomLength: 2 };
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

export class StreamDecoder {
  private decoder: Decoder;
  private pendingOdd: Uint8Array | undefined;
  constructor(
    public encoding: TextEncodingName,
    private readonly onFallback?: (message: string) => void,
  ) {
    this.decoder = this.make(encoding);
  }
  private make(enc: TextEncodingName): Decoder {
    if (enc === 'utf-16be') return new TextDecoder('utf-16le', { ignoreBOM: true });
    return new TextDecoder(enc, { fatal: enc === 'utf-8', ignoreBOM: true });
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
    try {
      return this.decoder.decode(bytes, { stream: !final });
    } catch {
      this.onFallback?.(
        'the file is not valid UTF-8 after the first 64 KiB; the rest was read as Windows-1252 — save the file as UTF-8 to be sure',
      );
      this.encoding = 'windows-1252';
      this.decoder = this.make('windows-1252');
      return this.decoder.decode(bytes, { stream: !final });
    }
  }
}
