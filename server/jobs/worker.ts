import { parentPort, workerData } from 'node:worker_threads';
import type { TemplateDocument } from '../../shared/model/document';
import type { DataRecord } from '../../shared/http/schemas';
import { trackingUrls } from '../tracking/sign';
import type { MessageComposer } from '../delivery/composer';
import { composerFactory } from '../delivery/composers';
import { buildMime, dkimSigner } from '../delivery/mime';
import type { EmailOutcome, FromWorker, ToWorker, WorkerInit, TaskRequest, TaskResponse } from './protocol';
import { runPrintTask } from './print-task';
import { socialIconHashes } from '../email/icons';

/**
 * Composition worker: turns records into finished RFC 5322 messages (personalised, links signed for
 * tracking, List-Unsubscribe headers, DKIM-signed when configured) or print PDFs. CPU work lives here so
 * the HTTP loop stays responsive. Compiled templates are cached per version.
 */

const init = workerData as WorkerInit;
const urls = trackingUrls(init.secret, init.publicUrl);
const sign = init.dkim ? dkimSigner(init.dkim) : undefined;

const documents = new Map<string, TemplateDocument>();
const composers = new Map<string, { composer: Promise<MessageComposer>; today: string }>();

function documentFor(task: TaskRequest): TemplateDocument | undefined {
  let doc = documents.get(task.versionId);
  if (!doc && task.document) {
    doc = JSON.parse(task.document) as TemplateDocument;
    documents.set(task.versionId, doc);
  }
  return doc;
}

async function composeEmails(task: Extract<TaskRequest, { kind: 'email' }>, doc: TemplateDocument): Promise<EmailOutcome[]> {
  let c = composers.get(task.versionId);
  if (!c || c.today !== task.today) {
    c = {
      composer: composerFactory(doc, {
        today: task.today,
        assetUrl: (sha) => `${init.publicUrl}/a/${sha}`,
        socialIcons: socialIconHashes(),
      }),
      today: task.today,
    };
    composers.set(task.versionId, c);
  }
  let composer: MessageComposer;
  try {
    composer = await c.composer;
  } catch (e) {
    // The template itself cannot be composed: every record fails with the reason (no endless retries).
    const error = `the template's email channel cannot be composed: ${e instanceof Error ? e.message : String(e)}`;
    return task.items.map((i) => ({ deliveryId: i.deliveryId, ok: false as const, error }));
  }
  const out: EmailOutcome[] = [];
  for (const item of task.items) {
    try {
      const unsubscribe = urls.unsubscribe(item.deliveryId);
      const result = composer.compose(
        typeof item.record === 'string' ? (JSON.parse(item.record) as DataRecord) : item.record,
        item.row,
        { unsubscribe_url: unsubscribe, open_pixel_url: `${urls.open(item.deliveryId)}.gif` },
        (url) => urls.click(item.deliveryId, url),
      );
      if (!result.ok) {
        out.push({ deliveryId: item.deliveryId, ok: false, error: result.reason });
        continue;
      }
      const m = result.email;
      const to = item.to ?? m.to;
      const fromDomain = m.from.address.split('@')[1] ?? 'presswork.invalid';
      const messageId = `<pw.${item.deliveryId}.${task.versionId.slice(4, 12)}@${fromDomain}>`;
      const marketing = m.category === 'marketing';
      const unsubscribeHeader = `<${unsubscribe}>${init.unsubscribeMailto ? `, <mailto:${init.unsubscribeMailto}?subject=unsubscribe>` : ''}`;
      const built = buildMime({
        from: m.from,
        to,
        ...(m.replyTo ? { replyTo: m.replyTo } : {}),
        subject: m.subject,
        html: m.html,
        text: m.text,
        messageId,
        date: new Date(),
        headers: marketing
          ? [
              ['List-Unsubscribe', unsubscribeHeader],
              ['List-Unsubscribe-Post', 'List-Unsubscribe=One-Click'],
              ['Precedence', 'bulk'],
            ]
          : [],
      });
      // A copy with its own ArrayBuffer, so it can be transferred (small Buffers share Node's pool).
      const raw = new Uint8Array(sign ? await sign(built) : built);
      out.push({
        deliveryId: item.deliveryId,
        ok: true,
        from: m.from.address,
        to,
        messageId,
        raw,
        ...(m.problems.length ? { warnings: m.problems } : {}),
      });
    } catch (e) {
      out.push({ deliveryId: item.deliveryId, ok: false, error: `composition failed: ${e instanceof Error ? e.message : String(e)}` });
    }
  }
  return out;
}

async function run(task: TaskRequest, id: number): Promise<TaskResponse | 'needs-document'> {
  const doc = documentFor(task);
  if (!doc) return 'needs-document';
  if (task.kind === 'print') {
    const flag = new Int32Array(task.cancel);
    let last = 0;
    return runPrintTask(
      task,
      doc,
      (done, row) => {
        const t = performance.now();
        if (t - last < 100) return;
        last = t;
        parentPort!.postMessage({ id, progress: { done, row } } satisfies FromWorker);
      },
      () => Atomics.load(flag, 0) === 1,
    );
  }
  return { kind: 'email', outcomes: await composeEmails(task, doc) };
}

parentPort!.on('message', (msg: ToWorker) => {
  run(msg.task, msg.id).then(
    (result) => {
      if (result === 'needs-document') {
        parentPort!.postMessage({ id: msg.id, ok: false, error: 'template document not loaded', needsDocument: true } satisfies FromWorker);
        return;
      }
      const transfer = result.kind === 'email' ? result.outcomes.flatMap((o) => (o.ok ? [o.raw.buffer as ArrayBuffer] : [])) : [];
      parentPort!.postMessage({ id: msg.id, ok: true, result } satisfies FromWorker, transfer);
    },
    (e: unknown) =>
      parentPort!.postMessage({ id: msg.id, ok: false, error: e instanceof Error ? e.message : String(e) } satisfies FromWorker),
  );
});
