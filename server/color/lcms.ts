import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import {
  BYTES_SH,
  CHANNELS_SH,
  COLORSPACE_SH,
  FLOAT_SH,
  INTENT_ABSOLUTE_COLORIMETRIC,
  INTENT_PERCEPTUAL,
  INTENT_RELATIVE_COLORIMETRIC,
  INTENT_SATURATION,
  PT_CMYK,
  PT_Lab,
  cmsFLAGS_HIGHRESPRECALC,
  cmsFLAGS_NOCACHE,
  cmsInfoDescription,
  instantiate,
  type LcmsModule,
} from 'lcms-wasm';
import type { Cmyk, Lab } from '../../shared/model/color';
import type { CmykTransform, IccEngine, RenderingIntent } from '../../shared/color/cmyk';
import { ColorError } from '../../shared/color/errors';
import { readIccInfo } from '../../shared/color/icc-info';

const TYPE_Lab_FLT = FLOAT_SH(1) | COLORSPACE_SH(PT_Lab) | CHANNELS_SH(3) | BYTES_SH(4);
const TYPE_CMYK_FLT = FLOAT_SH(1) | COLORSPACE_SH(PT_CMYK) | CHANNELS_SH(4) | BYTES_SH(4);

const INTENTS: Record<RenderingIntent, number> = {
  perceptual: INTENT_PERCEPTUAL,
  relative: INTENT_RELATIVE_COLORIMETRIC,
  saturation: INTENT_SATURATION,
  absolute: INTENT_ABSOLUTE_COLORIMETRIC,
};

let loading: Promise<LcmsModule> | undefined;

/** Instantiate LittleCMS once per process, from the .wasm file shipped in the lcms-wasm package. */
function lcmsModule(): Promise<LcmsModule> {
  loading ??= (async () => {
    const wasmPath = createRequire(import.meta.url).resolve('lcms-wasm/dist/lcms.wasm');
    const wasmBinary = new Uint8Array(await readFile(wasmPath));
    return instantiate({ wasmBinary });
  })();
  return loading;
}

/**
 * An IccEngine backed by LittleCMS 2.16 (lcms-wasm). Transforms are float Lab (D50) ↔ float CMYK (0..100),
 * with high-resolution precalculation. Profiles and transforms live for the life of the process: the CLI and
 * the server open a handful of press profiles, not one per request.
 */
export async function createLcmsEngine(): Promise<IccEngine> {
  const lcms = await lcmsModule();
  const labProfile = lcms.cmsCreateLab4Profile(null);
  return {
    openCmykProfile(bytes: Uint8Array, intent: RenderingIntent = 'absolute'): CmykTransform {
      const info = readIccInfo(bytes);
      if (info.colorSpace !== 'CMYK') {
        throw new ColorError(
          'icc-not-cmyk',
          `the profile "${info.description}" describes ${info.colorSpace} data; a press output profile must be CMYK (e.g. FOGRA39, GRACoL, PSO Coated v3)`,
          16,
        );
      }
      const profile = lcms.cmsOpenProfileFromMem(bytes, bytes.byteLength);
      if (!profile)
        throw new ColorError('icc-invalid', `LittleCMS could not open the profile "${info.description}"; check the file is not damaged`);
      const flags = cmsFLAGS_NOCACHE | cmsFLAGS_HIGHRESPRECALC;
      const toCmyk = lcms.cmsCreateTransform(labProfile, TYPE_Lab_FLT, profile, TYPE_CMYK_FLT, INTENTS[intent], flags);
      const toLab = lcms.cmsCreateTransform(profile, TYPE_CMYK_FLT, labProfile, TYPE_Lab_FLT, INTENTS[intent], flags);
      if (!toCmyk || !toLab) {
        throw new ColorError(
          'icc-no-transform',
          `the profile "${info.description}" has no tables for the ${intent} intent in both directions; try --intent relative`,
        );
      }
      const description = info.description || lcms.cmsGetProfileInfoASCII(profile, cmsInfoDescription, 'en', 'US');
      return {
        approximate: false,
        description,
        cmykToLab(cmyk: Cmyk): Lab {
          const out = lcms.cmsDoTransform(toLab, cmyk, 1);
          return [out[0] ?? 0, out[1] ?? 0, out[2] ?? 0];
        },
        labToCmyk(lab: Lab): Cmyk {
          const out = lcms.cmsDoTransform(toCmyk, lab, 1);
          const c = (i: number) => Math.min(100, Math.max(0, out[i] ?? 0));
          return [c(0), c(1), c(2), c(3)];
        },
      };
    },
  };
}
