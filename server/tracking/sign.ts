import { createHash, hash, timingSafeEqual } from 'node:crypto';

/**
 * Signed tracking tokens. A token is `<payload>.<mac>`, both base64url; the MAC is HMAC-SHA256 over the
 * payload with the server secret (truncated to 128 bits). A click token signs the target URL itself, so
 * the redirect endpoint can only ever send people to a URL that was in a message we sent: no open redirect.
 */

export type TrackingClaim =
  { kind: 'open'; deliveryId: number } | { kind: 'click'; deliveryId: number; url: string } | { kind: 'unsubscribe'; deliveryId: number };

/**
 * HMAC-SHA256 (RFC 2104) keyed once: the key's inner and outer pad blocks are made when the signer is made,
 * and each MAC is two one-shot hashes (crypto.hash) over reused buffers — no Hmac/Hash object per token,
 * which is what most of a token's cost was. The same MACs as createHmac('sha256', secret).
 */
function macFor(secret: string): (payload: string) => Buffer {
  let key = Buffer.from(secret, 'utf8');
  if (key.length > 64) key = createHash('sha256').update(key).digest();
  const pad = (x: number) => {
    const b = Buffer.alloc(64, x);
    for (let i = 0; i < key.length; i++) b[i]! ^= key[i]!;
    return b;
  };
  const ipad = pad(0x36);
  const outer = Buffer.alloc(64 + 32);
  pad(0x5c).copy(outer);
  let inner = Buffer.alloc(256);
  ipad.copy(inner);
  return (payload) => {
    // Payloads are base64url (ASCII): latin1 writes them byte for byte.
    if (64 + payload.length > inner.length) {
      inner = Buffer.alloc(2 * (64 + payload.length));
      ipad.copy(inner);
    }
    const n = inner.write(payload, 64, 'latin1');
    (hash('sha256', inner.subarray(0, 64 + n), 'buffer') as Buffer).copy(outer, 64);
    return (hash('sha256', outer, 'buffer') as Buffer).subarray(0, 16);
  };
}

/** A 128-bit MAC is 22 base64url characters. */
const MAC_CHARS = 22;

const signers = new Map<string, (payload: string) => Buffer>();
const macOf = (secret: string): ((payload: string) => Buffer) => {
  let m = signers.get(secret);
  if (!m) {
    if (signers.size > 16) signers.clear();
    m = macFor(secret);
    signers.set(secret, m);
  }
  return m;
};
const mac = (secret: string, payload: string) => macOf(secret)(payload);

const claimText = (claim: TrackingClaim): string =>
  claim.kind === 'click' ? `c:${claim.deliveryId}:${claim.url}` : `${claim.kind === 'open' ? 'o' : 'u'}:${claim.deliveryId}`;

const tokenOf = (sign: (payload: string) => Buffer, text: string): string => {
  const payload = Buffer.from(text, 'utf8').toString('base64url');
  return `${payload}.${sign(payload).toString('base64url')}`;
};

export function signClaim(secret: string, claim: TrackingClaim): string {
  return tokenOf(macOf(secret), claimText(claim));
}

/**
 * Base64url as signClaim writes it: the URL-safe alphabet only, no padding, and zero trailing bits in the last
 * character. Node's decoder also accepts `+`/`/`, `=` padding, stray characters and non-zero trailing bits, so
 * several spellings decode to the same bytes; re-encoding and comparing leaves exactly one.
 */
const isCanonicalBase64url = (s: string): boolean => /^[A-Za-z0-9_-]*$/.test(s) && Buffer.from(s, 'base64url').toString('base64url') === s;

/** A token of this server, in the one spelling signClaim produces (any other spelling of the same bytes is refused). */
export function verifyClaim(secret: string, token: string): TrackingClaim | undefined {
  const dot = token.indexOf('.');
  if (dot <= 0 || token.length > 8192) return undefined;
  const payload = token.slice(0, dot);
  const sig = token.slice(dot + 1);
  if (sig.length !== MAC_CHARS || !isCanonicalBase64url(sig) || !isCanonicalBase64url(payload)) return undefined;
  const given = Buffer.from(sig, 'base64url');
  const want = mac(secret, payload);
  if (given.length !== want.length || !timingSafeEqual(given, want)) return undefined;
  const text = Buffer.from(payload, 'base64url').toString('utf8');
  const m = /^([ocu]):(\d{1,15})(?::(.*))?$/s.exec(text);
  if (!m) return undefined;
  const deliveryId = Number(m[2]);
  if (m[1] === 'o') return { kind: 'open', deliveryId };
  if (m[1] === 'u') return { kind: 'unsubscribe', deliveryId };
  const url = m[3];
  if (url === undefined || !/^https?:\/\//i.test(url)) return undefined;
  return { kind: 'click', deliveryId, url };
}

export interface TrackingUrls {
  open(deliveryId: number): string;
  click(deliveryId: number, url: string): string;
  unsubscribe(deliveryId: number): string;
}

export function trackingUrls(secret: string, baseUrl: string): TrackingUrls {
  const sign = macFor(secret);
  return {
    open: (d) => `${baseUrl}/t/o/${tokenOf(sign, `o:${d}`)}`,
    click: (d, url) => `${baseUrl}/t/c/${tokenOf(sign, `c:${d}:${url}`)}`,
    unsubscribe: (d) => `${baseUrl}/u/${tokenOf(sign, `u:${d}`)}`,
  };
}
