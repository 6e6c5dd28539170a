/** The part of lcms-wasm (LittleCMS 2.16 compiled to WebAssembly, MIT) that Presswork uses. The package ships no types. */
declare module 'lcms-wasm' {
  export interface LcmsModule {
    cmsOpenProfileFromMem(bytes: Uint8Array, size: number): number;
    cmsCloseProfile(profile: number): void;
    cmsCreateLab4Profile(whitePoint: readonly number[] | null): number;
    cmsGetColorSpaceASCII(profile: number): string | null;
    cmsGetProfileInfoASCII(profile: number, info: number, language: string, country: string): string;
    cmsCreateTransform(input: number, inputFormat: number, output: number, outputFormat: number, intent: number, flags: number): number;
    cmsDeleteTransform(transform: number): void;
    cmsDoTransform(transform: number, input: ArrayLike<number>, count: number): Float32Array;
  }
  export function instantiate(options?: {
    wasmBinary?: ArrayBuffer | Uint8Array;
    locateFile?: (name: string) => string;
  }): Promise<LcmsModule>;
  export const FLOAT_SH: (a: number) => number;
  export const COLORSPACE_SH: (s: number) => number;
  export const CHANNELS_SH: (c: number) => number;
  export const BYTES_SH: (b: number) => number;
  export const PT_Lab: number;
  export const PT_CMYK: number;
  export const cmsInfoDescription: number;
  export const INTENT_PERCEPTUAL: number;
  export const INTENT_RELATIVE_COLORIMETRIC: number;
  export const INTENT_SATURATION: number;
  export const INTENT_ABSOLUTE_COLORIMETRIC: number;
  export const cmsFLAGS_NOCACHE: number;
  export const cmsFLAGS_HIGHRESPRECALC: number;
}
