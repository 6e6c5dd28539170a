import { describe, expect, it } from 'vitest';
import { RateLimiter } from './rate-limit';

describe('RateLimiter', () => {
  it('allows the configured rate per domain and globally, and honours pauses', () => {
    let t = 0;
    const rl = new RateLimiter({ globalPerSecond: 4, perDomainPerSecond: 2, domains: { 'big.example': 0 } }, () => t);
    const send = (d: string) => {
      if (rl.globalWait() || rl.domainWait(d)) return false;
      rl.take(d);
      return true;
    };
    expect([send('a.example'), send('a.example'), send('a.example')]).toEqual([true, true, false]);
    expect(rl.domainWait('a.example')).toBe(500);
    expect([send('big.example'), send('big.example'), send('big.example')]).toEqual([true, true, false]);
    expect(rl.globalWait()).toBe(250);
    t = 1000;
    expect(send('a.example')).toBe(true);
    rl.pause('a.example', 300);
    expect(rl.domainWait('a.example')).toBe(300);
    t = 1300;
    expect(rl.domainWait('a.example')).toBe(0);
  });
});
