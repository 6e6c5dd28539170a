/** fontkit ships no types; the call the studio's font check makes (shared/text declares the engine's part). */
declare module 'fontkit' {
  export function create(bytes: Uint8Array): unknown;
}
