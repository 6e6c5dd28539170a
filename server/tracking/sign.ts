import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Signed tracking tokens. A token is `<payload>.<mac>`, both base64url; the MAC is HMAC-SHA256 over the
 * payload with the server secret (truncated to 128 bits). A click token signs the target URL itself, so
 * the redirect endpoint can only ever send people to a URL that was in a message we sent: no open redirect.
 */

export type TrackingClaim =
  { kind: 'open'; deliveryId: number } | { kind: 'click'; deliveryId: number; url: string } | { kind: 'unsubscribe'; deliveryId: number };

const mac = (secret: string, payload: string) => createHmac('sha256', secret).update(payload).digest().subarray(0, 16);

export function signClaim(secret: string, claim: TrackingClaim): string {
  const text = claim.kind === 'click' ? `c:${claim.deliveryId}:${claim.url}` : `${claim.kind === 'open' ? 'o' : 'u'}:${claim.deliveryId}`;
  const payload = Buffer.from(text, 'utf8').toString('base64url');
  return `${payload}.${mac(secret, payload).toString('base64url')}`;
}

export function verifyClaim(secret: string, token: string): TrackingClaim | undefined {
  const dot = token.indexOf('.');
  if (dot <= 0 || token.length > 8192) return undefined;
  const payload = token.slice(0, dot);
  const given = Buffer.from(token.slice(dot + 1), 'base64url');
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
  return {
    open: (d) => `${baseUrl}/t/o/${signClaim(secret, { kind: 'open', deliveryId: d })}`,
    click: (d, url) => `${baseUrl}/t/c/${signClaim(secret, { kind: 'click', deliveryId: d, url })}`,
    unsubscribe: (d) => `${baseUrl}/u/${signClaim(secret, { kind: 'unsubscribe', deliveryId: d })}`,
  };
}
