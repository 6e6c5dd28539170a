import { readFile } from 'node:fs/promises';
import type { TemplatePackage } from '../../shared/model/package';
import { approximateCmykTransform } from '../../shared/color/cmyk';
import { ColorError } from '../../shared/color/errors';
import type { PrintCondition } from '../../shared/color/swatch-report';
import { createLcmsEngine } from './lcms';

/** The approximate printing condition (no profile): the built-in model, labelled approximate everywhere. */
export const approximateCondition = (): PrintCondition => ({
  absolute: approximateCmykTransform('absolute'),
  relative: approximateCmykTransform('relative'),
});

/** A printing condition from ICC profile bytes, through LittleCMS. */
export async function profileCondition(bytes: Uint8Array): Promise<PrintCondition> {
  const engine = await createLcmsEngine();
  return { absolute: engine.openCmykProfile(bytes, 'absolute'), relative: engine.openCmykProfile(bytes, 'relative') };
}

/** Read an ICC profile from disk; a missing file is a ColorError (`icc-not-found`). */
export async function readProfileFile(path: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(path));
  } catch (e) {
    throw new ColorError('icc-not-found', `cannot read the ICC profile ${path}: ${(e as Error).message}`);
  }
}

/**
 * The condition for a template: the profile given on the command line, else the template's own output intent
 * (print.outputIntent asset), else the approximate model. `source` says which, for reports.
 */
export async function conditionFor(
  pkg: TemplatePackage | undefined,
  profilePath?: string,
): Promise<{ condition: PrintCondition; source: string }> {
  if (profilePath) return { condition: await profileCondition(await readProfileFile(profilePath)), source: profilePath };
  const intent = pkg?.document.print?.outputIntent;
  if (pkg && intent) {
    const asset = pkg.document.assets.find((a) => a.id === intent);
    const bytes = asset ? pkg.assets.get(asset.sha256) : undefined;
    if (!asset || !bytes)
      throw new ColorError('icc-not-found', `print.outputIntent names the asset "${intent}", which the package does not hold`);
    return { condition: await profileCondition(bytes), source: `the template's output intent (${asset.name})` };
  }
  return { condition: approximateCondition(), source: 'approximate (no profile)' };
}
