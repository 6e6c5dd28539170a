import type { Command } from 'commander';
import { writeFile, rename } from 'node:fs/promises';
import { writeTemplatePackage, type TemplatePackage } from '../../../shared/model/package';
import { api } from '../../../shared/http/routes';
import { MissingAssetsSchema, PublishResultSchema } from '../../../shared/http/schemas';
import { loadTemplateOrReport, writeErr, writeOut } from '../output';

export class PublishError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

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
 * document. Re-publishing an unchanged template sends no asset bytes at all.
 */
export async function publishPackage(pkg: TemplatePackage, server: string, token: string): Promise<PublishOutcome> {
  const base = server.replace(/\/+$/, '');
  const call = async (method: string, path: string, body: string | Uint8Array, contentType: string): Promise<unknown> => {
    let res: Response;
    try {
      res = await fetch(`${base}${path}`, { method, body, headers: { authorization: `Bearer ${token}`, 'content-type': contentType } });
    } catch (e) {
      throw new PublishError(
        `cannot reach the server at ${base} (${(e as Error).cause instanceof Error ? ((e as Error).cause as Error).message : (e as Error).message}); is "presswork serve" running there?`,
        'offline',
      );
    }
    const text = await res.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    if (res.ok) return json;
    const err = (json as { error?: { code?: string; message?: string; details?: { path: string; message: string }[] } } | undefined)?.error;
    const details = err?.details?.map((d) => `\n  ${d.path}: ${d.message}`).join('') ?? '';
    if (res.status === 401)
      throw new PublishError(
        `the server refused the token (${err?.message ?? 'unauthorised'}); create one with "presswork token create --role publisher"`,
        'bad-token',
      );
    if (res.status === 403)
      throw new PublishError(
        `this token may not publish (${err?.message ?? 'forbidden'}); use a token with the publisher role`,
        'forbidden',
      );
    throw new PublishError(
      `${method} ${path} failed with ${res.status}: ${err?.message ?? text.slice(0, 200)}${details}`,
      err?.code ?? `http-${res.status}`,
    );
  };

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
      const server = opts.server ?? process.env.PRESSWORK_SERVER ?? 'http://127.0.0.1:8787';
      const token = opts.token ?? process.env.PRESSWORK_TOKEN;
      if (!token) {
        writeErr(
          'presswork publish needs a publisher token: pass --token or set PRESSWORK_TOKEN (create one with "presswork token create --role publisher")',
        );
        process.exitCode = 2;
        return;
      }
      const pkg = await loadTemplateOrReport(path);
      if (!pkg) return;
      try {
        const out = await publishPackage(pkg, server, token);
        if (opts.json) writeOut(JSON.stringify(out, null, 2));
        else
          writeOut(
            `${out.templateId}: ${out.created ? 'published as' : 'unchanged, already'} version ${out.version} on ${server} ` +
              `(${out.assetsUploaded} asset${out.assetsUploaded === 1 ? '' : 's'} uploaded, ${out.bytesUploaded} bytes; ${out.assetsAlreadyThere} already there)`,
          );
      } catch (e) {
        if (!(e instanceof PublishError)) throw e;
        writeErr(`presswork publish: ${e.message}`);
        process.exitCode = e.code === 'offline' ? 1 : 2;
      }
    });
}
