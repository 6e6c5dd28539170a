/**
 * Token-bucket rate limits: one global bucket and one per recipient domain. A bucket holds up to one
 * second's worth of tokens, so a burst never exceeds the configured rate. Rate 0 means unlimited.
 * A domain can also be paused (after it answered 4xx) so a throttling receiver is given room.
 */

class Bucket {
  private tokens: number;
  private last: number;
  constructor(
    private readonly rate: number,
    now: number,
  ) {
    this.tokens = Math.max(1, rate);
    this.last = now;
  }
  /** Milliseconds until a token is available (0: available now). */
  wait(now: number): number {
    this.tokens = Math.min(Math.max(1, this.rate), this.tokens + ((now - this.last) / 1000) * this.rate);
    this.last = now;
    return this.tokens >= 1 ? 0 : Math.ceil(((1 - this.tokens) / this.rate) * 1000);
  }
  take(): void {
    this.tokens -= 1;
  }
}

export interface RateLimitConfig {
  globalPerSecond: number;
  perDomainPerSecond: number;
  domains: Readonly<Record<string, number>>;
}

export class RateLimiter {
  private readonly global: Bucket | undefined;
  private readonly domains = new Map<string, Bucket | null>();
  private readonly paused = new Map<string, number>();

  constructor(
    private readonly cfg: RateLimitConfig,
    private readonly now: () => number = Date.now,
  ) {
    this.global = cfg.globalPerSecond > 0 ? new Bucket(cfg.globalPerSecond, now()) : undefined;
  }

  private bucket(domain: string): Bucket | null {
    let b = this.domains.get(domain);
    if (b === undefined) {
      const rate = this.cfg.domains[domain] ?? this.cfg.perDomainPerSecond;
      b = rate > 0 ? new Bucket(rate, this.now()) : null;
      this.domains.set(domain, b);
    }
    return b;
  }

  /** Milliseconds until the global limit allows another message (0: now). */
  globalWait(): number {
    return this.global?.wait(this.now()) ?? 0;
  }

  /** Milliseconds until `domain` may receive another message (0: now), ignoring the global limit. */
  domainWait(domain: string): number {
    const now = this.now();
    const until = this.paused.get(domain);
    if (until !== undefined) {
      if (until > now) return until - now;
      this.paused.delete(domain);
    }
    return this.bucket(domain)?.wait(now) ?? 0;
  }

  /** Consume one message's worth from the global and the domain bucket (call after both waits are 0). */
  take(domain: string): void {
    this.global?.take();
    this.bucket(domain)?.take();
  }

  pause(domain: string, ms: number): void {
    const until = this.now() + ms;
    if ((this.paused.get(domain) ?? 0) < until) this.paused.set(domain, until);
  }
}
