import { compileRules, type BoundRecord } from '../../shared/rules/engine';
import type { TemplateDocument } from '../../shared/model/document';
import type { EmailBlock } from '../../shared/model/email';
import { EMAIL_RE, type ComposerFactory, type ComposeResult } from './composer';

/**
 * A plain, table-based HTML renderer of the email channel, used by delivery when the MJML email engine
 * (server/email) is not available. It honours the block tree, visibility conditions, swatches, logos and
 * links, escapes every personalised string, and produces the plain-text part from the same blocks.
 */

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export const basicComposer: ComposerFactory = (doc, env) => {
  const email = doc.email;
  if (!email) throw new Error(`template "${doc.id}" has no email channel`);
  const rules = compileRules(doc, { today: env.today });
  const swatch = new Map<string, string>(doc.brand.swatches.map((s) => [s.id, s.srgb]));
  const assetSha = new Map<string, string>(doc.assets.map((a) => [a.id, a.sha256]));
  const logoAsset = new Map<string, string>(doc.brand.logos.map((l) => [l.id, l.asset]));
  const color = (ref: unknown, fallback: string): string => {
    if (ref && typeof ref === 'object' && 'swatch' in ref && typeof ref.swatch === 'string') return swatch.get(ref.swatch) ?? fallback;
    if (ref && typeof ref === 'object' && 'srgb' in ref && typeof ref.srgb === 'string') return ref.srgb;
    return fallback;
  };
  const imageUrl = (src: string): string | undefined => {
    if (/^https?:\/\//.test(src)) return src;
    const asset = logoAsset.get(src) ?? src;
    const sha = assetSha.get(asset);
    return sha ? env.assetUrl(sha) : undefined;
  };

  const block = (b: EmailBlock, r: BoundRecord, link: (u: string) => string, text: string[]): string => {
    if (b.visibleIf && !r.condition(b.visibleIf)) return '';
    const pad = b.padding ?? '10px 25px';
    switch (b.type) {
      case 'text': {
        const paras = b.paragraphs.map((p) => {
          let plain = '';
          const html = p.runs
            .map((run) => {
              const t = r.text(run.text);
              plain += t;
              let h = esc(t);
              if (run.bold) h = `<strong>${h}</strong>`;
              if (run.italic) h = `<em>${h}</em>`;
              if (run.underline) h = `<u>${h}</u>`;
              if (run.color) h = `<span style="color:${color(run.color, 'inherit')}">${h}</span>`;
              if (run.href) {
                const href = r.text(run.href);
                plain += ` (${href})`;
                h = `<a href="${esc(link(href))}">${h}</a>`;
              }
              return h;
            })
            .join('');
          text.push(plain);
          return `<p style="margin:0 0 0.6em">${html}</p>`;
        });
        return `<tr><td style="padding:${pad};font-size:${b.size}px;line-height:${b.lineHeight};color:${color(b.color, '#222222')};text-align:${b.align}">${paras.join('')}</td></tr>`;
      }
      case 'image': {
        const url = imageUrl(r.text(b.src));
        if (!url) return '';
        const alt = r.text(b.alt);
        let img = `<img src="${esc(url)}" alt="${esc(alt)}"${b.width ? ` width="${b.width}"` : ''} style="display:block;border:0;max-width:100%">`;
        if (b.href) img = `<a href="${esc(link(r.text(b.href)))}">${img}</a>`;
        return `<tr><td style="padding:${pad}" align="${b.align}">${img}</td></tr>`;
      }
      case 'button': {
        const href = r.text(b.href);
        const label = r.text(b.label);
        text.push(`${label}: ${href}`);
        return `<tr><td style="padding:${pad}" align="${b.align}"><a href="${esc(link(href))}" style="display:inline-block;padding:12px 24px;border-radius:${b.borderRadius}px;background:${color(b.background, '#333333')};color:${color(b.color, '#ffffff')};text-decoration:none;font-weight:bold">${esc(label)}</a></td></tr>`;
      }
      case 'divider':
        return `<tr><td style="padding:${pad}"><hr style="border:0;border-top:${b.thickness}px solid ${color(b.color, '#cccccc')}"></td></tr>`;
      case 'spacer':
        return `<tr><td style="height:${b.height}px;line-height:${b.height}px">&nbsp;</td></tr>`;
      case 'social':
        return `<tr><td style="padding:${pad}" align="${b.align}">${b.links
          .map((l) => `<a href="${esc(link(r.text(l.href)))}" style="margin:0 6px">${esc(l.network)}</a>`)
          .join('')}</td></tr>`;
      case 'raw':
        return `<tr><td>${b.html}</td></tr>`;
    }
  };

  return {
    compose(record, row, builtins, rewriteLink): ComposeResult {
      const bound = rules.bind({ ...record, unsubscribe_url: builtins.unsubscribe_url }, row);
      if (!bound.ok) return { ok: false, reason: bound.reason };
      const r = bound.bound;
      const to = String(record[email.recipientField] ?? '').trim();
      if (!EMAIL_RE.test(to)) return { ok: false, reason: `${email.recipientField} "${to}" is not an email address` };
      const link = (url: string) => (/^https?:\/\//i.test(url) ? rewriteLink(url) : url);
      const text: string[] = [];
      const sections = email.sections
        .filter((s) => !s.visibleIf || r.condition(s.visibleIf))
        .map((s) => {
          const cols = s.columns
            .map(
              (c) =>
                `<td valign="top" width="${c.width ?? Math.floor(100 / s.columns.length)}%"><table role="presentation" width="100%" cellspacing="0" cellpadding="0">${c.blocks.map((b) => block(b, r, link, text)).join('')}</table></td>`,
            )
            .join('');
          return `<tr><td style="background:${color(s.background, 'transparent')};padding:${s.padding ?? '0'}"><table role="presentation" width="100%" cellspacing="0" cellpadding="0"><tr>${cols}</tr></table></td></tr>`;
        })
        .join('');
      const subject = r.text(email.subject).replace(/\s+/g, ' ').trim();
      const preheader = r.text(email.preheader);
      const unsubscribe =
        email.category === 'marketing'
          ? `<tr><td style="padding:20px 25px;font-size:12px;color:#777777;text-align:center"><a href="${esc(builtins.unsubscribe_url)}">Unsubscribe</a></td></tr>`
          : '';
      if (email.category === 'marketing') text.push(`Unsubscribe: ${builtins.unsubscribe_url}`);
      const html = `<!doctype html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${esc(subject)}</title></head><body style="margin:0;background:${color(email.background, '#ffffff')}"><div style="display:none;max-height:0;overflow:hidden">${esc(preheader)}</div><table role="presentation" align="center" width="${email.width}" cellspacing="0" cellpadding="0" style="max-width:100%;font-family:Helvetica,Arial,sans-serif">${sections}${unsubscribe}</table><img src="${esc(builtins.open_pixel_url)}" width="1" height="1" alt="" style="display:block;border:0"></body></html>`;
      return {
        ok: true,
        email: {
          to,
          from: { name: r.text(email.from.name), address: r.text(email.from.email).trim() },
          ...(email.replyTo ? { replyTo: r.text(email.replyTo) } : {}),
          subject,
          html,
          text: text.join('\n\n'),
          category: email.category,
        },
      };
    },
  };
};
