import type { TemplateDocument } from '../../model/document';
import type { BrandFont } from '../../model/brand';
import type { EmailBlock, EmailChannel, EmailRun, EmailSection } from '../../model/email';
import type { ColorRef } from '../../model/color';
import { escapeHtml, splitLiquid } from './escape';
import type { Palette } from './palette';

/**
 * The email channel's block tree → MJML (for one palette) and → a plain-text Liquid template.
 *
 * Every piece of Liquid in the tree is replaced by an opaque token (`PWLQ00012Q`: letters and digits only)
 * before MJML sees it, so neither MJML's parser, its minifier nor its CSS inliner can alter `{{ }}`; the
 * tokens are put back into the compiled HTML afterwards (`restoreLiquid`), which checks that every token
 * survived exactly once. Designer-written literal text is HTML-escaped here; record values are escaped
 * at render time by the HTML Liquid engine (outputEscape), so no data is ever treated as markup or Liquid.
 *
 * Links are wrapped in `{% pwlink "<id>" "<kind>" %}…{% endpwlink %}` (HTML and text alike): at render time
 * the caller's link rewriter sees every link with its id and kind (click tracking, unsubscribe). Image
 * sources are wrapped in `{% pwasset %}…{% endpwasset %}`, which turns asset and logo ids into URLs.
 */

export interface AssetUrls {
  /** URL for a package asset (fonts, images), or undefined when the asset cannot be linked. */
  assetUrl(assetId: string): string | undefined;
  /**
   * URL of Presswork's own icon for a social network (assets/email-icons, served by the host: the
   * server's public URL, the CLI's asset base, or inlined). Without one, a social block is written as text
   * links: a message never loads an icon from a third party.
   */
  iconUrl?(network: SocialNetwork): string | undefined;
}

export type SocialNetwork = Extract<EmailBlock, { type: 'social' }>['links'][number]['network'];

/** The words a reader (and a screen reader, as `alt`) sees for each network. */
export const SOCIAL_LABELS: Record<SocialNetwork, string> = {
  facebook: 'Facebook',
  instagram: 'Instagram',
  x: 'X',
  youtube: 'YouTube',
  linkedin: 'LinkedIn',
  web: 'Website',
};

/** Text blocks' default padding (CSS): no space above, 12px below, and the same 25px sides as MJML's images and buttons. */
export const TEXT_BLOCK_PADDING = '0 25px 12px 25px';

const RTL_LANGUAGES = new Set(['ar', 'arc', 'ckb', 'dv', 'fa', 'he', 'iw', 'ks', 'ku', 'ps', 'sd', 'syr', 'ug', 'ur', 'yi']);
/** The HTML `lang` and `dir` for a BCP 47 locale (the template's data locale). */
export function htmlLanguage(locale: string): { lang: string; dir: 'ltr' | 'rtl' } {
  const lang = /^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$/.test(locale) ? locale : 'und';
  const primary = lang.split('-')[0]!.toLowerCase();
  return { lang, dir: RTL_LANGUAGES.has(primary) || /-(Arab|Hebr|Thaa|Syrc)\b/i.test(lang) ? 'rtl' : 'ltr' };
}

export const TOKEN_RE = /PWLQ(\d{5})Q/g;
const tokenFor = (i: number) => `PWLQ${String(i).padStart(5, '0')}Q`;

export type LinkKind = 'link' | 'unsubscribe' | 'view-online';
export const linkKindOf = (href: string): LinkKind =>
  /\bunsubscribe_url\b/.test(href) ? 'unsubscribe' : /\bview_online_url\b/.test(href) ? 'view-online' : 'link';

class Tokens {
  readonly sources: string[] = [];
  add(liquid: string): string {
    this.sources.push(liquid);
    return tokenFor(this.sources.length - 1);
  }
}

const q = (s: string) => JSON.stringify(s);

/** Liquid source for an HTML text position: literals escaped, Liquid kept (tokenised). */
function htmlText(source: string, tokens: Tokens): string {
  return splitLiquid(source)
    .map((s) => (s.liquid ? tokens.add(s.text) : escapeHtml(s.text)))
    .join('');
}
/** Liquid source for an HTML attribute, escaped the same way, as one token. */
function htmlAttr(source: string, tokens: Tokens): string {
  const parts = splitLiquid(source);
  if (!parts.some((p) => p.liquid)) return escapeHtml(source);
  return tokens.add(parts.map((s) => (s.liquid ? s.text : escapeHtml(s.text))).join(''));
}
/** A link: one token holding the pwlink block around the (escaped) href source. */
function htmlLink(href: string, id: string, tokens: Tokens): string {
  const body = splitLiquid(href)
    .map((s) => (s.liquid ? s.text : escapeHtml(s.text)))
    .join('');
  return tokens.add(`{% pwlink ${q(id)} ${q(linkKindOf(href))} %}${body}{% endpwlink %}`);
}
function htmlAsset(src: string, id: string, tokens: Tokens): string {
  const body = splitLiquid(src)
    .map((s) => (s.liquid ? s.text : escapeHtml(s.text)))
    .join('');
  return tokens.add(`{% pwasset ${q(id)} %}${body}{% endpwasset %}`);
}

/**
 * A raw block's HTML with every href/src attribute that holds Liquid routed through the same tags as the
 * other blocks (pwlink: URL policy and click tracking; pwasset: asset ids and the image policy). The
 * literal parts are the designer's HTML already, so they are kept as written (the tags unescape the
 * rendered value and escape the result). Other Liquid is tokenised so MJML cannot touch it.
 */
function rawHtml(html: string, id: string, tokens: Tokens): string {
  let n = 0;
  const out: string[] = [];
  let last = 0;
  const re = /(\s(href|src)\s*=\s*)(?:"([^"]*)"|'([^']*)')/gi;
  for (const m of html.matchAll(re)) {
    const value = m[3] ?? m[4] ?? '';
    if (!value.includes('{{') && !value.includes('{%')) continue;
    out.push(html.slice(last, m.index), m[1]!);
    const body = value;
    const tag =
      m[2]!.toLowerCase() === 'href'
        ? `{% pwlink ${q(`${id}.${++n}`)} ${q(linkKindOf(value))} %}${body}{% endpwlink %}`
        : `{% pwasset ${q(`${id}.${++n}`)} %}${body}{% endpwasset %}`;
    out.push(`"${tokens.add(tag)}"`);
    last = m.index + m[0].length;
  }
  out.push(html.slice(last));
  return splitLiquid(out.join(''))
    .map((s) => (s.liquid ? tokens.add(s.text) : s.text))
    .join('');
}

export function fontStack(fonts: readonly BrandFont[], id: string | undefined): string | undefined {
  const f = fonts.find((x) => x.id === id);
  return f ? `'${f.family.replace(/'/g, '')}', ${f.emailFallback}` : undefined;
}

const FORMAT: Record<string, string> = {
  'font/ttf': 'truetype',
  'font/otf': 'opentype',
  'font/woff': 'woff',
  'font/woff2': 'woff2',
  'application/font-woff': 'woff',
  'application/x-font-ttf': 'truetype',
};

/** @font-face rules for the brand fonts the email uses (and their sibling faces of the same family). */
export function fontFaces(doc: TemplateDocument, urls: AssetUrls): string {
  const email = doc.email;
  if (!email) return '';
  const used = new Set<string>();
  if (email.font) used.add(email.font);
  forEachBlock(email, (b) => {
    if ((b.type === 'text' || b.type === 'button') && b.font) used.add(b.font);
  });
  const families = new Set(doc.brand.fonts.filter((f) => used.has(f.id)).map((f) => f.family));
  const rules: string[] = [];
  for (const f of doc.brand.fonts) {
    if (!families.has(f.family)) continue;
    const asset = doc.assets.find((a) => a.id === f.asset);
    const url = asset && urls.assetUrl(asset.id);
    if (!url) continue;
    const fmt = FORMAT[asset.mediaType] ?? 'truetype';
    rules.push(
      `@font-face { font-family: '${f.family.replace(/'/g, '')}'; font-style: ${f.style}; font-weight: ${f.weight}; src: url('${url.replace(/'/g, '%27')}') format('${fmt}'); }`,
    );
  }
  return rules.join('\n');
}

export function forEachBlock(email: EmailChannel, fn: (b: EmailBlock, section: EmailSection) => void): void {
  for (const s of email.sections) for (const c of s.columns) for (const b of c.blocks) fn(b, s);
}

export interface BuiltMjml {
  mjml: string;
  /** Token index → Liquid source to put back into the compiled HTML. */
  tokens: string[];
}

export function buildMjml(doc: TemplateDocument, palette: Palette, urls: AssetUrls): BuiltMjml {
  const email = doc.email;
  if (!email) throw new Error('the template has no email channel');
  const tokens = new Tokens();
  const fonts = doc.brand.fonts;
  const defaultStack = fontStack(fonts, email.font) ?? 'Helvetica, Arial, sans-serif';
  const color = (c: ColorRef | undefined) => palette(c);
  // Attribute values are double-quoted: escape &, <, > and " only, so font stacks keep their single quotes.
  const attr = (name: string, value: string | number | undefined) =>
    value === undefined || value === ''
      ? ''
      : ` ${name}="${String(value).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')}"`;
  const raw = (liquid: string) => `<mj-raw>${tokens.add(liquid)}</mj-raw>`;

  const run = (r: EmailRun, linkId: string): string => {
    let inner = htmlText(r.text, tokens);
    const styles: string[] = [];
    if (r.bold) inner = `<strong>${inner}</strong>`;
    if (r.italic) inner = `<em>${inner}</em>`;
    const c = color(r.color);
    if (r.href) {
      styles.push(`color:${c ?? 'inherit'}`, `text-decoration:${r.underline ? 'underline' : 'none'}`);
      return `<a href="${htmlLink(r.href, linkId, tokens)}" target="_blank" style="${styles.join(';')}">${inner}</a>`;
    }
    if (r.underline) styles.push('text-decoration:underline');
    if (c) styles.push(`color:${c}`);
    return styles.length ? `<span style="${styles.join(';')}">${inner}</span>` : inner;
  };

  const block = (b: EmailBlock): string => {
    const pad = attr('padding', b.padding);
    switch (b.type) {
      case 'text': {
        let links = 0;
        const paras = b.paragraphs.map((p, i) => {
          const margin = i === b.paragraphs.length - 1 ? '0' : `0 0 ${Math.round(b.size * 0.75)}px 0`;
          return `<p style="margin:${margin}">${p.runs.map((r) => run(r, r.href ? `${b.id}.${++links}` : b.id)).join('')}</p>`;
        });
        return `<mj-text${attr('font-family', fontStack(fonts, b.font) ?? defaultStack)}${attr('font-size', `${b.size}px`)}${attr('line-height', String(b.lineHeight))}${attr('color', color(b.color))}${attr('align', b.align)}${pad}>${paras.join('')}</mj-text>`;
      }
      case 'image':
        return `<mj-image src="${htmlAsset(b.src, b.id, tokens)}" alt="${htmlAttr(b.alt, tokens)}"${b.href ? ` href="${htmlLink(b.href, b.id, tokens)}"` : ''}${attr('width', b.width ? `${b.width}px` : undefined)}${attr('align', b.align)}${pad} />`;
      case 'button':
        return `<mj-button href="${htmlLink(b.href, b.id, tokens)}"${attr('background-color', color(b.background))}${attr('color', color(b.color))}${attr('font-family', fontStack(fonts, b.font) ?? defaultStack)}${attr('align', b.align)}${attr('border-radius', `${b.borderRadius}px`)}${pad}>${htmlText(b.label, tokens)}</mj-button>`;
      case 'divider':
        return `<mj-divider${attr('border-color', color(b.color))}${attr('border-width', `${b.thickness}px`)}${pad} />`;
      case 'spacer':
        return `<mj-spacer${attr('height', `${b.height}px`)}${pad} />`;
      case 'social': {
        // Presswork's own icons (urls.iconUrl) under names MJML does not know, so MJML adds neither its
        // third-party icon URLs nor its "share" wrappers around the link; without icons, text links.
        const icons = b.links.map((l) => urls.iconUrl?.(l.network));
        if (icons.some((u) => !u))
          return `<mj-text${attr('align', b.align)}${attr('padding', b.padding ?? '10px 25px')}>${b.links
            .map(
              (l, i) =>
                `<a href="${htmlLink(l.href, `${b.id}.${i + 1}`, tokens)}" target="_blank">${escapeHtml(SOCIAL_LABELS[l.network])}</a>`,
            )
            .join(' &middot; ')}</mj-text>`;
        return `<mj-social mode="horizontal"${attr('align', b.align)}${pad}>${b.links
          .map(
            (l, i) =>
              `<mj-social-element name="pw-${l.network}" src="${escapeHtml(icons[i]!)}" alt="${escapeHtml(SOCIAL_LABELS[l.network])}" title="${escapeHtml(SOCIAL_LABELS[l.network])}" background-color="transparent" icon-size="24px" href="${htmlLink(l.href, `${b.id}.${i + 1}`, tokens)}"></mj-social-element>`,
          )
          .join('')}</mj-social>`;
      }
      case 'raw':
        // Designer HTML (trusted template content), with its Liquid tokenised so MJML cannot touch it and
        // Liquid inside href/src attributes put through the URL policy like every other link.
        return `<mj-raw>${rawHtml(b.html, b.id, tokens)}</mj-raw>`;
    }
  };

  const guarded = (visibleIf: string | undefined, inner: string) =>
    visibleIf ? `${raw(`{% if ${visibleIf} %}`)}${inner}${raw('{% endif %}')}` : inner;

  const sections = email.sections.map((s) => {
    const widths = s.columns.map((c) => c.width);
    const given = widths.reduce<number>((a, w) => a + (w ?? 0), 0);
    const free = widths.filter((w) => w === undefined).length;
    const cols = s.columns.map((c) => {
      const w = c.width ?? (free ? Math.max(0, 100 - given) / free : undefined);
      return `<mj-column${attr('width', w !== undefined ? `${+w.toFixed(4)}%` : undefined)}>${c.blocks.map((b) => guarded(b.visibleIf, block(b))).join('')}</mj-column>`;
    });
    return guarded(
      s.visibleIf,
      `<mj-section${attr('background-color', color(s.background))}${attr('padding', s.padding)}>${cols.join('')}</mj-section>`,
    );
  });

  const faces = fontFaces(doc, urls);
  const { lang, dir } = htmlLanguage(doc.data.locale);
  const mjml = [
    `<mjml lang="${lang}" dir="${dir}">`,
    '<mj-head>',
    `<mj-title>${htmlText(email.subject, tokens)}</mj-title>`,
    email.preheader ? `<mj-preview>${htmlText(email.preheader, tokens)}</mj-preview>` : '',
    `<mj-attributes><mj-all font-family="${defaultStack.replace(/"/g, "'")}" /><mj-text padding="${TEXT_BLOCK_PADDING}" /></mj-attributes>`,
    faces ? `<mj-style>${faces}</mj-style>` : '',
    '</mj-head>',
    `<mj-body${attr('width', `${email.width}px`)}${attr('background-color', color(email.background))}>`,
    ...sections,
    '</mj-body>',
    '</mjml>',
  ].join('\n');
  return { mjml, tokens: tokens.sources };
}

/** Put the Liquid back into compiled HTML; throws if MJML dropped or duplicated a token. */
export function restoreLiquid(html: string, tokens: readonly string[]): string {
  const seen = new Array<number>(tokens.length).fill(0);
  const out = html.replace(TOKEN_RE, (_m, n: string) => {
    const i = Number(n);
    seen[i] = (seen[i] ?? 0) + 1;
    return tokens[i] ?? '';
  });
  const lost = seen.flatMap((c, i) => (c >= 1 ? [] : [`${tokenFor(i)}: ${tokens[i]}`]));
  if (lost.length)
    throw new Error(`MJML did not keep the Liquid markers intact (${lost.join('; ')}); report this template to the Presswork developers`);
  return out;
}

const textLine = (source: string): string => source;

/**
 * The plain-text part as one Liquid template (text mode, nothing escaped), built from the same blocks:
 * paragraphs, "label <url>" for links, "label: url" for buttons, image alt text, a rule for dividers.
 */
export function buildTextTemplate(doc: TemplateDocument): string {
  const email = doc.email;
  if (!email) throw new Error('the template has no email channel');
  const link = (href: string, id: string) => `{% pwlink ${q(id)} ${q(linkKindOf(href))} %}${href}{% endpwlink %}`;
  const guarded = (visibleIf: string | undefined, inner: string) => (visibleIf ? `{% if ${visibleIf} %}${inner}{% endif %}` : inner);
  const block = (b: EmailBlock): string => {
    switch (b.type) {
      case 'text': {
        let links = 0;
        return b.paragraphs
          .map((p) =>
            p.runs.map((r) => (r.href ? `${textLine(r.text)} <${link(r.href, `${b.id}.${++links}`)}>` : textLine(r.text))).join(''),
          )
          .join('\n\n');
      }
      case 'image':
        return b.alt ? (b.href ? `${b.alt} <${link(b.href, b.id)}>` : b.alt) : '';
      case 'button':
        return `${b.label}: ${link(b.href, b.id)}`;
      case 'divider':
        return '----------------------------------------';
      case 'spacer':
        return '';
      case 'social':
        return b.links.map((l, i) => `${SOCIAL_LABELS[l.network]}: ${link(l.href, `${b.id}.${i + 1}`)}`).join('\n');
      case 'raw':
        // Tags go, Liquid inside a tag (an href, a src) with them; Liquid in the text stays.
        return b.html
          .replace(/<br\s*\/?>/gi, '\n')
          .replace(/<(?:[^<>{]|\{\{[\s\S]*?\}\}|\{%[\s\S]*?%\}|\{)*>/g, '')
          .trim();
    }
  };
  return email.sections
    .map((s) => guarded(s.visibleIf, s.columns.flatMap((c) => c.blocks.map((b) => guarded(b.visibleIf, `${block(b)}\n\n`))).join('')))
    .join('');
}
