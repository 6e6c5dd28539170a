import { Tag, type Liquid, type TagToken, type TopLevelToken, type Template, type Context, type Emitter, type Parser } from 'liquidjs';
import type { TemplateDocument } from '../../model/document';
import { createSafeLiquid } from '../../rules/liquid';
import { compileTemplate, SlotTable, type CompiledTemplate } from '../../rules/fast';
import type { BindOptions, BoundRecord, CompiledRules } from '../../rules/engine';
import { escapeHtml, unescapeHtml } from './escape';
import { buildMjml, buildTextTemplate, restoreLiquid, type AssetUrls, type LinkKind } from './build';
import { makePalette, overridesKey } from './palette';
import { checkLinkUrl } from '../../links/url-policy';
import { quoteValue } from '../../model/issues';

/**
 * Precompiled, per-recipient email composition.
 *
 * prepareEmail(doc, rules, deps) runs once per template version: for each distinct palette (the template's
 * own, plus one per distinct set of variant swatch overrides) it builds MJML, compiles it with the injected
 * MJML compiler (MJML runs in Node: main or server), puts the Liquid back, and parses the HTML as ONE
 * Liquid template with HTML escaping of every output. The subject, preheader, sender and plain-text part
 * are parsed once as text-mode templates. Per recipient, compose() is synchronous: bind rules, render.
 */

export interface MjmlCompileResult {
  html: string;
  errors: readonly { line?: number; message: string; tagName?: string }[];
}

export interface EmailDeps extends AssetUrls {
  compileMjml(mjml: string): Promise<MjmlCompileResult>;
  /** Logo id → asset id lookup is done here; override to serve logos from elsewhere. */
  logoAsset?(logoId: string): string | undefined;
  /**
   * 'compiled' (default): every part is compiled once into a program of literals and value slots
   * (shared/rules/fast.ts). 'liquidjs': every part is rendered by liquidjs itself — the slow reference
   * the compiled programs are tested against, byte for byte.
   */
  renderer?: 'compiled' | 'liquidjs';
}

export interface LinkInfo {
  /** Block id, with `.n` for the n-th link of a text block or social list. */
  id: string;
  kind: LinkKind;
}
/** Rewrites one link for one recipient (click tracking); returns the URL to put in the message. */
export type LinkRewriter = (url: string, link: LinkInfo) => string;

/**
 * Something the composer left out of one message, with the block it belongs to: a link the URL policy
 * refused (shared/links/url-policy.ts; the text stays, the link is removed) or an image source that is
 * neither an asset, a logo nor an allowed https address (the image is left out).
 */
export interface ComposeProblem {
  code: 'unsafe-link' | 'image-not-found';
  /** Block id (with `.n` for the n-th link of a text block or social list). */
  id: string;
  message: string;
}

export interface ComposeOptions extends BindOptions {
  rewriteLink?: LinkRewriter;
}

export interface ComposedEmail {
  subject: string;
  preheader: string;
  from: { name: string; email: string };
  /** The recipient's address (the channel's recipient field); undefined when the record has none. */
  to: string | undefined;
  html: string;
  text: string;
  /** Every link in the message after rewriting, in document order (HTML part). */
  links: { id: string; kind: LinkKind; url: string }[];
  /** Links and images left out of this message (empty when none); reported by preflight, compose email and delivery. */
  problems: ComposeProblem[];
  /** The Reply-To address (email.replyTo rendered for this record), when the template has one. */
  replyTo: string | undefined;
  /** The unsubscribe URL for List-Unsubscribe (marketing mail), when the template uses one. */
  unsubscribeUrl: string | undefined;
  category: 'marketing' | 'transactional';
  variantKey: string | undefined;
}

export type ComposeResult = { ok: true; email: ComposedEmail } | { ok: false; skip: boolean; reason: string; code: string };

export interface PreparedEmail {
  /** The compiled HTML templates' sources (Liquid kept), by palette key; for inspection and tests. */
  readonly htmlSources: ReadonlyMap<string, string>;
  /** The MJML per palette key (before compilation). */
  readonly mjmlSources: ReadonlyMap<string, string>;
  readonly textSource: string;
  /** Warnings from MJML (kept: the HTML is still produced). */
  readonly mjmlWarnings: readonly string[];
  /** Render a bound record. */
  render(bound: BoundRecord, options?: { rewriteLink?: LinkRewriter }): ComposeResult;
  /** Bind and render in one call. */
  compose(record: Readonly<Record<string, unknown>>, rowNumber: number, options?: ComposeOptions): ComposeResult;
}

interface RenderState {
  rewrite: LinkRewriter | undefined;
  links: { id: string; kind: LinkKind; url: string }[] | undefined;
  /** Set while the HTML part renders (the text part repeats the same links; they are reported once). */
  problems: ComposeProblem[] | undefined;
}

const ARG_RE = /"((?:[^"\\]|\\.)*)"/g;

/** The pwlink / pwasset block tags: render the body, then post-process it as one value. */
function registerComposeTags(liquid: Liquid, html: boolean, state: RenderState, resolveAsset: (src: string, id: string) => string): void {
  const capture = (name: string, post: (value: string, args: string[]) => string) => {
    class CaptureTag extends Tag {
      readonly args: string[];
      readonly templates: Template[] = [];
      constructor(token: TagToken, remain: TopLevelToken[], engine: Liquid, parser: Parser) {
        super(token, remain, engine);
        this.args = [...token.args.matchAll(ARG_RE)].map((m) => JSON.parse(`"${m[1]}"`) as string);
        const stream = parser.parseStream(remain);
        stream
          .on(`tag:end${name}`, () => stream.stop())
          .on('template', (tpl: Template) => this.templates.push(tpl))
          .on('end', () => {
            throw new Error(`tag ${name} not closed`);
          });
        stream.start();
      }
      /** Used by the fast renderer (shared/rules/fast.ts) and by render() below. */
      readonly pwCapture = (body: string): string => this.pwCaptureText(html ? unescapeHtml(body) : body);
      /** The same from the body as plain text (the fast renderer builds it without escaping, see FastCaptureTag). */
      readonly pwCaptureText = (text: string): string => {
        const out = post(text.trim(), this.args);
        return html ? escapeHtml(out) : out;
      };
      readonly pwUnescape = html ? unescapeHtml : undefined;
      *render(ctx: Context, emitter: Emitter): Generator<unknown, void, string> {
        const body = (yield this.liquid.renderer.renderTemplates(this.templates, ctx)) as string;
        emitter.write(this.pwCapture(body));
      }
    }
    liquid.registerTag(name, CaptureTag);
  };
  capture('pwlink', (raw, [id = '', kind = 'link']) => {
    const info: LinkInfo = { id, kind: kind as LinkKind };
    const checked = checkLinkUrl(raw);
    if (!checked.ok) {
      state.problems?.push({ code: 'unsafe-link', id, message: `link "${id}": ${checked.reason}; the link was removed` });
      return '';
    }
    const url = checked.url;
    const final = url && state.rewrite ? state.rewrite(url, info) : url;
    if (html) state.links?.push({ id: info.id, kind: info.kind, url: final });
    return final;
  });
  capture('pwasset', (src, [id = '']) => resolveAsset(src, id));
}

/** One line: runs of CR/LF/tab become a space, runs of spaces one space, trimmed. */
const collapse = (s: string) =>
  /[\r\n\t]| {2}/.test(s)
    ? s
        .replace(/[\r\n\t]+/g, ' ')
        .replace(/ {2,}/g, ' ')
        .trim()
    : s.trim();
/**
 * The text part's layout: spaces and tabs before a line break dropped, at most one empty line in a row,
 * trimmed, one final newline. (One pass over the lines; the same result as the two regular expressions
 * `/[ \t]+\n/g → '\n'` then `/\n{3,}/g → '\n\n'`, then trim.)
 */
export function tidyText(s: string): string {
  const lines = s.split('\n');
  const last = lines.length - 1;
  let out = '';
  let emptyBefore = false;
  for (let i = 0; i <= last; i++) {
    let line = lines[i]!;
    if (i < last) {
      let end = line.length;
      while (end > 0 && (line.charCodeAt(end - 1) === 32 || line.charCodeAt(end - 1) === 9)) end--;
      if (end < line.length) line = line.slice(0, end);
    }
    if (line === '') {
      if (emptyBefore) continue;
      emptyBefore = true;
    } else emptyBefore = false;
    out = i === 0 ? line : `${out}\n${line}`;
  }
  return `${out.trim()}\n`;
}

export async function prepareEmail(doc: TemplateDocument, rules: CompiledRules, deps: EmailDeps): Promise<PreparedEmail> {
  const email = doc.email;
  if (!email) throw new Error('the template has no email channel; add one in the studio or compose print instead');
  const env = { today: '1970-01-01', locale: doc.data.locale, currency: doc.data.currency };
  const state: RenderState = { rewrite: undefined, links: undefined, problems: undefined };

  const logoAsset = deps.logoAsset ?? ((id: string) => doc.brand.logos.find((l) => l.id === id)?.asset);
  const assetIds = new Set(doc.assets.map((a) => a.id as string));
  // An image source is an asset id, a logo id, or an https address the URL policy allows; anything else
  // leaves the image out and is reported (preflight's image-not-found, compose's per-record problems).
  const resolveAsset = (src: string, id: string): string => {
    const asset = assetIds.has(src) ? src : logoAsset(src);
    const url = asset ? deps.assetUrl(asset) : undefined;
    if (url) return url;
    const checked = checkLinkUrl(src);
    if (checked.ok && /^https:\/\//i.test(checked.url)) return checked.url;
    state.problems?.push({
      code: 'image-not-found',
      id,
      message: src
        ? `image "${id}": ${quoteValue(src)} is not an asset, a logo or an https address${checked.ok ? '' : ` (${checked.reason})`}; the image was left out`
        : `image "${id}": the image source is empty for this record; the image was left out`,
    });
    return '';
  };

  // Record values in HTML are always escaped; in the text part, subject and headers they are not.
  // The HTML template is our own MJML output (user sources inside it were checked by validation); it may
  // carry inlined fonts and images for previews, so it gets a larger parse limit than user sources.
  const htmlLiquid = createSafeLiquid({ ...env, html: true, parseLimit: 64_000_000 });
  const textLiquid = createSafeLiquid(env);
  registerComposeTags(htmlLiquid, true, state, resolveAsset);
  registerComposeTags(textLiquid, false, state, resolveAsset);
  // Rules' "today" must match the engine's: text filters use it (date: 'today'), so take it from a bind-free source.
  // (The HTML/text engines format dates with the same locale; "today" inside them is the scope variable.)

  const palettes = new Map<string, Readonly<Record<string, string>>>([[overridesKey({}), {}]]);
  for (const v of doc.variants?.items ?? []) palettes.set(overridesKey(v.swatches), v.swatches);

  const htmlSources = new Map<string, string>();
  const mjmlSources = new Map<string, string>();
  const htmlTemplates = new Map<string, CompiledTemplate>();
  // One slot table for every part of the message: each distinct {{ expression }} is computed once per
  // recipient and used escaped in the HTML and as is in the text part, subject, preheader and sender.
  const slots = new SlotTable();
  const compile = (liquid: Liquid, source: string): CompiledTemplate => {
    const parsed = liquid.parse(source);
    return deps.renderer === 'liquidjs'
      ? (scope) => liquid.renderSync(parsed, scope) as string
      : compileTemplate(liquid, parsed, { slots });
  };
  const warnings: string[] = [];
  for (const [key, overrides] of palettes) {
    const built = buildMjml(doc, makePalette(doc.brand, overrides), deps);
    mjmlSources.set(key, built.mjml);
    const compiled = await deps.compileMjml(built.mjml);
    for (const e of compiled.errors)
      warnings.push(`MJML${e.line !== undefined ? ` line ${e.line}` : ''}${e.tagName ? ` <${e.tagName}>` : ''}: ${e.message}`);
    const html = restoreLiquid(compiled.html, built.tokens);
    htmlSources.set(key, html);
    htmlTemplates.set(key, compile(htmlLiquid, html));
  }
  const textSource = buildTextTemplate(doc);
  const textRenderer = (src: string) => compile(textLiquid, src);
  const text = textRenderer(textSource);
  const subject = textRenderer(email.subject);
  const preheader = textRenderer(email.preheader);
  const fromName = textRenderer(email.from.name);
  const fromEmail = textRenderer(email.from.email);
  const replyTo = email.replyTo ? textRenderer(email.replyTo) : undefined;
  const usesUnsubscribe = [...htmlSources.values()].some((h) => /\bunsubscribe_url\b/.test(h));

  const defaultHtml = htmlTemplates.get(overridesKey({}))!;
  // A bound variant carries the document's own swatch-overrides object: look its palette up by identity.
  const htmlBySwatches = new Map<object, CompiledTemplate>();
  for (const v of doc.variants?.items ?? []) htmlBySwatches.set(v.swatches, htmlTemplates.get(overridesKey(v.swatches)) ?? defaultHtml);
  const htmlFor = (swatches: Readonly<Record<string, string>> | undefined): CompiledTemplate =>
    !swatches ? defaultHtml : (htmlBySwatches.get(swatches) ?? htmlTemplates.get(overridesKey(swatches)) ?? defaultHtml);

  const render = (bound: BoundRecord, options?: { rewriteLink?: LinkRewriter }): ComposeResult => {
    const scope = bound.scope as Record<string, unknown>;
    const tpl = htmlFor(bound.variant?.swatches);
    const memo = slots.memo();
    state.rewrite = options?.rewriteLink;
    const links: ComposedEmail['links'] = [];
    const problems: ComposeProblem[] = [];
    state.links = links;
    state.problems = problems;
    try {
      const html = tpl(scope, memo);
      state.links = undefined;
      state.problems = undefined;
      const textPart = tidyText(text(scope, memo));
      const to = scope[email.recipientField];
      const unsubscribe = typeof scope.unsubscribe_url === 'string' && scope.unsubscribe_url ? scope.unsubscribe_url : undefined;
      return {
        ok: true,
        email: {
          subject: collapse(subject(scope, memo)),
          preheader: collapse(preheader(scope, memo)),
          from: { name: collapse(fromName(scope, memo)), email: collapse(fromEmail(scope, memo)) },
          to: typeof to === 'string' && to ? to : undefined,
          html,
          text: textPart,
          links,
          problems,
          replyTo: replyTo ? collapse(replyTo(scope, memo)) || undefined : undefined,
          unsubscribeUrl: usesUnsubscribe && unsubscribe ? (state.rewrite ? unsubscribe : unsubscribe) : undefined,
          category: email.category,
          variantKey: bound.variant?.key,
        },
      };
    } catch (e) {
      return {
        ok: false,
        skip: false,
        code: 'render-failed',
        reason: `could not render the email: ${e instanceof Error ? (e.message.split('\n')[0] ?? e.message) : String(e)}`,
      };
    } finally {
      state.rewrite = undefined;
      state.links = undefined;
      state.problems = undefined;
    }
  };

  return {
    htmlSources,
    mjmlSources,
    textSource,
    mjmlWarnings: warnings,
    render,
    compose(record, rowNumber, options) {
      const b = rules.bind(record, rowNumber, options);
      if (!b.ok) return { ok: false, skip: b.skip, reason: b.reason, code: 'bind-failed' };
      return render(b.bound, options);
    },
  };
}
