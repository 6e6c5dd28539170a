import type { create } from 'fontkit';
import { checkFont, FontCheckError } from '../../shared/text/font-check';
import { StudioError } from '../../shared/ipc/errors';

export interface InspectedFont {
  family: string;
  subfamily: string;
  weight: number;
  style: 'normal' | 'italic';
  format: 'ttf' | 'otf' | 'woff' | 'woff2';
  mediaType: string;
  glyphs: number;
  fsType: number;
  embedding: string;
}

/** OS/2 fsType, in words (OpenType spec, OS/2 table). */
export function describeFsType(fsType: number): { embeddable: boolean; subsettable: boolean; words: string } {
  const restricted = (fsType & 0x000f) === 0x0002;
  const noSubset = (fsType & 0x0100) !== 0;
  const bitmapOnly = (fsType & 0x0200) !== 0;
  const kind =
    (fsType & 0x000f) === 0
      ? 'installable embedding'
      : restricted
        ? 'restricted licence embedding (may not be embedded)'
        : fsType & 0x0008
          ? 'editable embedding'
          : fsType & 0x0004
            ? 'preview & print embedding'
            : 'unknown embedding bits';
  return {
    embeddable: !restricted && !bitmapOnly,
    subsettable: !noSubset,
    words: `${kind}${noSubset ? '; no subsetting' : ''}${bitmapOnly ? '; bitmap embedding only' : ''} (fsType 0x${fsType.toString(16).padStart(4, '0')})`,
  };
}

const sniffFormat = (b: Uint8Array): InspectedFont['format'] | undefined => {
  const tag = String.fromCharCode(b[0] ?? 0, b[1] ?? 0, b[2] ?? 0, b[3] ?? 0);
  if (tag === 'wOFF') return 'woff';
  if (tag === 'wOF2') return 'woff2';
  if (tag === 'OTTO') return 'otf';
  if (tag === 'true' || (b[0] === 0 && b[1] === 1 && b[2] === 0 && b[3] === 0)) return 'ttf';
  return undefined;
};

const MEDIA: Record<InspectedFont['format'], string> = { ttf: 'font/ttf', otf: 'font/otf', woff: 'font/woff', woff2: 'font/woff2' };

/**
 * Open a font with fontkit and check it can be used: a known format, glyphs, and OS/2 embedding bits that
 * allow embedding a subset in a PDF. Every refusal says why and what to do.
 */
export function inspectFont(fileName: string, bytes: Uint8Array): InspectedFont {
  const format = sniffFormat(bytes);
  if (!format)
    throw new StudioError(
      'font-unknown-format',
      `${fileName} is not a TTF, OTF, WOFF or WOFF2 font (its first bytes are not a font signature); export the font again or use another file.`,
    );
  let font: ReturnType<typeof create>;
  try {
    // The same full check as `presswork validate`: tables, checksums, outlines, shaping and a subset.
    font = checkFont(bytes, 'full');
  } catch (e) {
    throw new StudioError(
      'font-broken',
      `${fileName} looks like a ${format.toUpperCase()} font but cannot be read (${e instanceof FontCheckError ? e.problem : (e as Error).message}); the file is damaged — download it again.`,
    );
  }
  const f = font as unknown as {
    familyName: string;
    subfamilyName?: string;
    numGlyphs: number;
    italicAngle: number;
    'OS/2'?: { fsType?: number | Record<string, boolean>; usWeightClass?: number; fsSelection?: { italic?: boolean } };
  };
  let os2: NonNullable<(typeof f)['OS/2']> | undefined;
  try {
    os2 = f['OS/2'];
  } catch (e) {
    throw new StudioError('font-broken', `${fileName} has a damaged OS/2 table (${(e as Error).message}); the file cannot be used.`);
  }
  if (!f.familyName || !f.numGlyphs)
    throw new StudioError('font-broken', `${fileName} has no family name or no glyphs; it is not a usable font.`);
  // fontkit decodes fsType as a bitfield object in some versions; rebuild the number from the raw bits.
  let fsType = 0;
  const raw = os2?.fsType;
  if (typeof raw === 'number') fsType = raw;
  else if (raw && typeof raw === 'object') {
    const bits: [string, number][] = [
      ['noEmbedding', 0x2],
      ['viewOnly', 0x4],
      ['editable', 0x8],
      ['noSubsetting', 0x100],
      ['bitmapOnly', 0x200],
    ];
    for (const [k, v] of bits) if (raw[k]) fsType |= v;
  }
  const fs = describeFsType(fsType);
  if (!fs.embeddable)
    throw new StudioError(
      'font-restricted',
      `${f.familyName} (${fileName}) is licensed with ${fs.words}: it may not be embedded in PDFs, so Presswork cannot use it. Ask the foundry for a licence that allows embedding, or choose another font.`,
    );
  if (!fs.subsettable)
    throw new StudioError(
      'font-no-subset',
      `${f.familyName} (${fileName}) forbids subsetting (${fs.words}); Presswork embeds subsets in every PDF. Use a version of the font that allows subsetting.`,
    );
  const weight =
    os2?.usWeightClass && os2.usWeightClass >= 100 && os2.usWeightClass <= 900 ? Math.round(os2.usWeightClass / 100) * 100 : 400;
  const italic = (os2?.fsSelection?.italic ?? false) || f.italicAngle !== 0 || /italic|oblique/i.test(f.subfamilyName ?? '');
  return {
    family: f.familyName,
    subfamily: f.subfamilyName ?? '',
    weight,
    style: italic ? 'italic' : 'normal',
    format,
    mediaType: MEDIA[format],
    glyphs: f.numGlyphs,
    fsType,
    embedding: fs.words,
  };
}
