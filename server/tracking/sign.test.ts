import { describe, expect, it } from 'vitest';
import { signClaim, verifyClaim } from './sign';

const SECRET = 'x'.repeat(40);

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
});
