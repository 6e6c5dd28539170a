import { describe, expect, it } from 'vitest';
import { signClaim, trackingUrls, verifyClaim, type TrackingClaim } from './sign';

const SECRET = 'x'.repeat(40);

/** Every other spelling of the same bytes that Node's lenient base64url decoder accepts for one part of a token. */
function otherSpellings(part: string): string[] {
  const bytes = Buffer.from(part, 'base64url');
  const out = new Set<string>();
  // Non-zero trailing bits in the last character (a length that is not a multiple of 4 leaves 2 or 4 spare bits).
  const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  const spare = (part.length * 6) % 8;
  const last = ALPHABET.indexOf(part.at(-1)!);
  for (let t = 1; t < 1 << spare; t++) out.add(part.slice(0, -1) + ALPHABET[last | t]!);
  // Padding, the standard alphabet (+ and /), both, and stray characters the decoder skips.
  const pad = '='.repeat((4 - (part.length % 4)) % 4);
  const std = part.replace(/-/g, '+').replace(/_/g, '/');
  for (const v of [part + pad, std, std + pad, `${part}=`, `${part}==`, ` ${part}`, `${part}\n`, `${part.slice(0, 2)}.${part.slice(2)}`])
    if (v !== part) out.add(v);
  return [...out].filter((v) => Buffer.from(v, 'base64url').equals(bytes));
}

/** All spellings of a token but its own: each part varied with the other kept canonical, and both varied at once. */
function alternativeTokens(token: string): string[] {
  const [payload = '', sig = ''] = token.split('.');
  const ps = otherSpellings(payload);
  const ss = otherSpellings(sig);
  return [...ps.map((p) => `${p}.${sig}`), ...ss.map((s) => `${payload}.${s}`), ...ps.flatMap((p) => ss.map((s) => `${p}.${s}`))];
}

/** A claim whose MAC has `-` or `_` in it (about every second one), so the `+`/`/` alphabet is really exercised. */
function tokenWithUrlSafeChars(make: (id: number) => TrackingClaim): { claim: TrackingClaim; token: string } {
  for (let id = 1; id < 1000; id++) {
    const claim = make(id);
    const token = signClaim(SECRET, claim);
    if (/[-_]/.test(token.split('.')[1]!)) return { claim, token };
  }
  throw new Error('no MAC with - or _ among 1000 claims');
}

describe('tracking tokens', () => {
  it('round-trips each kind of claim', () => {
    for (const claim of [
      { kind: 'open', deliveryId: 7 },
      { kind: 'unsubscribe', deliveryId: 12345 },
      { kind: 'click', deliveryId: 3, url: 'https://dealer.example/book?x=1&y=a:b' },
    ] as const)
      expect(verifyClaim(SECRET, signClaim(SECRET, claim))).toEqual(claim);
  });

  it('refuses a token signed with another secret, a tampered URL, or a non-http target', () => {
    const token = signClaim(SECRET, { kind: 'click', deliveryId: 3, url: 'https://good.example/' });
    expect(verifyClaim('y'.repeat(40), token)).toBeUndefined();
    const [, sig] = token.split('.');
    const forged = `${Buffer.from('c:3:https://evil.example/').toString('base64url')}.${sig}`;
    expect(verifyClaim(SECRET, forged)).toBeUndefined();
    expect(verifyClaim(SECRET, signClaim(SECRET, { kind: 'click', deliveryId: 1, url: 'javascript:alert(1)' }))).toBeUndefined();
    expect(verifyClaim(SECRET, 'garbage')).toBeUndefined();
  });

  it('accepts only the canonical base64url spelling of open, click and unsubscribe tokens', () => {
    const kinds: ((id: number) => TrackingClaim)[] = [
      (id) => ({ kind: 'open', deliveryId: id }),
      (id) => ({ kind: 'unsubscribe', deliveryId: id }),
      (id) => ({ kind: 'click', deliveryId: id, url: `https://dealer.example/offer?x=~${id}&name=J%C3%BCrgen` }),
    ];
    for (const make of kinds) {
      const { claim, token } = tokenWithUrlSafeChars(make);
      expect(verifyClaim(SECRET, token)).toEqual(claim);
      const others = alternativeTokens(token);
      // Trailing bits (3 per part at least), padding, the +/ alphabet and stray characters: many spellings, one token.
      expect(others.length, claim.kind).toBeGreaterThanOrEqual(16);
      for (const other of others) expect(verifyClaim(SECRET, other), `${claim.kind}: ${JSON.stringify(other)}`).toBeUndefined();
    }
  });

  it('the URLs put into messages carry tokens that verify', () => {
    const urls = trackingUrls(SECRET, 'https://pw.example');
    const tokenOf = (url: string) => url.slice(url.lastIndexOf('/') + 1);
    expect(verifyClaim(SECRET, tokenOf(urls.open(41)))).toEqual({ kind: 'open', deliveryId: 41 });
    expect(verifyClaim(SECRET, tokenOf(urls.unsubscribe(42)))).toEqual({ kind: 'unsubscribe', deliveryId: 42 });
    expect(verifyClaim(SECRET, tokenOf(urls.click(43, 'https://a.example/?q=1')))).toEqual({
      kind: 'click',
      deliveryId: 43,
      url: 'https://a.example/?q=1',
    });
  });
});
