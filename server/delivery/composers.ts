import { compileRules } from '../../shared/rules/engine';
import { prepareEmail } from '../../shared/compose/email/compose';
import { compileMjml } from '../email/mjml';
import { isEmailAddress } from '../../shared/links/address';
import { quoteValue } from '../../shared/model/issues';
import type { ComposerFactory } from './composer';

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * Email composition through the shared email engine: the template's MJML is compiled once per version
 * (per dealer palette); each record is a Liquid render. Delivery supplies the per-recipient built-ins
 * (the signed one-click unsubscribe URL), rewrites ordinary links for click tracking (unsubscribe and
 * view-online links stay direct), and adds the open pixel before </body>.
 */
export const composerFactory: ComposerFactory = async (doc, env) => {
  const email = doc.email;
  if (!email) throw new Error(`template "${doc.id}" has no email channel`);
  const rules = compileRules(doc, { today: env.today });
  const sha = new Map<string, string>(doc.assets.map((a) => [a.id, a.sha256]));
  const prepared = await prepareEmail(doc, rules, {
    compileMjml: (mjml) => compileMjml(mjml),
    assetUrl: (id) => {
      const h = sha.get(id);
      return h ? env.assetUrl(h) : undefined;
    },
    iconUrl: (network) => {
      const h = env.socialIcons?.[network];
      return h ? env.assetUrl(h) : undefined;
    },
  });
  return {
    compose(record, row, builtins, rewriteLink) {
      // A message repeats its links (logo, button, footer: 8 links, 3 URLs in the sample); a tracked URL is
      // the same for the same recipient and target, so each distinct URL is signed once per message.
      const tracked = new Map<string, string>();
      const track = (url: string): string => {
        let t = tracked.get(url);
        if (t === undefined) {
          t = rewriteLink(url);
          tracked.set(url, t);
        }
        return t;
      };
      const r = prepared.compose(record, row, {
        builtins: { unsubscribe_url: builtins.unsubscribe_url },
        rewriteLink: (url, link) => (link.kind === 'link' && /^https?:\/\//i.test(url) ? track(url) : url),
      });
      if (!r.ok) return { ok: false, reason: r.reason };
      const m = r.email;
      const to = (m.to ?? '').trim();
      if (!isEmailAddress(to)) return { ok: false, reason: `${email.recipientField} ${quoteValue(to)} is not an email address` };
      if (m.replyTo !== undefined && !isEmailAddress(m.replyTo))
        return {
          ok: false,
          reason: `email.replyTo renders ${quoteValue(m.replyTo)}, which is not an email address; fix the template or the data it uses`,
        };
      const pixel = `<img src="${esc(builtins.open_pixel_url)}" width="1" height="1" alt="" style="display:block;border:0;width:1px;height:1px">`;
      // Before the last </body> (one search from the end, no regular expression over the whole message).
      const at = m.html.lastIndexOf('</body>');
      const html = at >= 0 ? `${m.html.slice(0, at)}${pixel}${m.html.slice(at)}` : m.html + pixel;
      return {
        ok: true,
        email: {
          to,
          from: { name: m.from.name, address: m.from.email },
          ...(m.replyTo ? { replyTo: m.replyTo } : {}),
          subject: m.subject,
          html,
          text: m.text,
          category: m.category,
          problems: m.problems.map((p) => p.message),
        },
      };
    },
  };
};
