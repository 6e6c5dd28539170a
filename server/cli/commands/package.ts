import type { Command } from 'commander';
import { writeFile, rename } from 'node:fs/promises';
import { writeTemplatePackage, type TemplatePackage } from '../../../shared/model/package';
import { api } from '../../../shared/http/routes';
import { MissingAssetsSchema, PublishResultSchema } from '../../../shared/http/schemas';
import { checkTemplateAssetsLoading } from '../../../shared/compose/asset-check';
import { formatIssues, loadTemplateOrReport, writeErr, writeOut } from '../output';
import { reportServerError, serverClient, serverTarget, type ServerTarget } from '../server-client';

export interface PublishOutcome {
  templateId: string;
  version: number;
  created: boolean;
  assetsUploaded: number;
  assetsAlreadyThere: number;
  bytesUploaded: number;
}

/**
 * Publish by content hash: ask the server which assets it lacks, upload only those, then publish the
 * document. Re-publishing an unchanged template sends no asset bytes at all. Failures are ServerErrors.
 */
export async function publishPackage(pkg: TemplatePackage, target: ServerTarget): Promise<PublishOutcome> {
  const send = serverClient(target, 'publisher', 'publish');
  const call = async (method: string, path: string, body: string | Uint8Array, contentType: string) =>
    (await send(method, path, body, contentType)).json;

  const hashes = [...pkg.assets.keys()];
  const missing = MissingAssetsSchema.parse(
    await call('POST', api.findMissingAssets.path, JSON.stringify({ sha256: hashes }), 'application/json'),
  ).missing;
  let bytesUploaded = 0;
  for (const sha of missing) {
    const bytes = pkg.assets.get(sha);
    if (!bytes) continue;
    await call('PUT', api.putAsset.path.replace(':sha256', sha), bytes, 'application/octet-stream');
    bytesUploaded += bytes.length;
  }
  const published = PublishResultSchema.parse(
    await call('POST', api.publishVersion.path, JSON.stringify({ document: pkg.document }), 'application/json'),
  );
  return {
    templateId: published.version.templateId,
    version: published.version.version,
    created: published.created,
    assetsUploaded: missing.length,
    assetsAlreadyThere: hashes.length - missing.length,
    bytesUploaded,
  };
}

export function registerPackage(program: Command): void {
  program
    .command('pack')
    .description('write a template folder as a .zip package (template.json + assets stored once by content hash)')
    .argument('<template>', 'a template folder (or a package to rewrite)')
    .requiredOption('--out <file.zip>', 'the package to write')
    .action(async (path: string, opts: { out: string }) => {
      const pkg = await loadTemplateOrReport(path);
      if (!pkg) return;
      const bytes = writeTemplatePackage(pkg);
      const tmp = `${opts.out}.part`;
      await writeFile(tmp, bytes);
      await rename(tmp, opts.out);
      writeOut(`${opts.out}: ${bytes.length} bytes, ${pkg.document.assets.length} assets (${pkg.assets.size} distinct files)`);
    });

  program
    .command('publish')
    .description('publish a template to a Presswork server as a new immutable version (uploads only assets the server lacks)')
    .argument('<template>', 'template folder or .zip package')
    .option('--server <url>', 'server base URL (default: $PRESSWORK_SERVER or http://127.0.0.1:8787)')
    .option('--token <token>', 'publisher token (default: $PRESSWORK_TOKEN)')
    .option('--json', 'print the result as JSON')
    .action(async (path: string, opts: { server?: string; token?: string; json?: boolean }) => {
      const target = serverTarget(opts, 'publish', 'publisher');
      if (!target) return;
      const pkg = await loadTemplateOrReport(path);
      if (!pkg) return;
      // The server refuses unusable assets too; checking here names each file before anything is uploaded.
      const assetIssues = await checkTemplateAssetsLoading(pkg.document, pkg.assets);
      if (assetIssues.length) {
        writeErr(formatIssues(path, assetIssues));
        process.exitCode = 2;
        return;
      }
      try {
        const out = await publishPackage(pkg, target);
        if (opts.json) writeOut(JSON.stringify(out, null, 2));
        else
          writeOut(
            `${out.templateId}: ${out.created ? 'published as' : 'unchanged, already'} version ${out.version} on ${target.url} ` +
              `(${out.assetsUploaded} asset${out.assetsUploaded === 1 ? '' : 's'} uploaded, ${out.bytesUploaded} bytes; ${out.assetsAlreadyThere} already there)`,
          );
      } catch (e) {
        reportServerError('publish', e);
      }
    });
}
