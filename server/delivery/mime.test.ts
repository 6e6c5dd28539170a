import { createHash, generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { buildMime, dkimSigner } from './mime';

const base = {
  from: { name: 'Mesa Verde Motors Service', address: 'service@mesaverde.example' },
  to: 'zoe@example.org',
  subject: 'Hi Zoë, your Subaru is due for service — book by June 30, 2026 to keep your warranty valid',
  text: 'Hello Zoë\nLine two',
  html: '<p>Hello <b>Zoë</b></p>',
  messageId: '<pw.1.abc@mesaverde.example>',
  date: new Date(Date.UTC(2026, 10, 22, 9, 0, 0)),
  headers: [['List-Unsubscribe-Post', 'List-Unsubscribe=One-Click']] as const,
};

const headersOf = (raw: string) => raw.split('\r\n\r\n', 1)[0]!;

describe('buildMime', () => {
  it('writes CRLF headers, RFC 2047 words for non-ASCII text, and base64 parts that decode to the input', () => {
    const raw = buildMime(base).toString('utf8');
    const head = headersOf(raw);
    expect(head).toMatch(/^From: "Mesa Verde Motors Service" <service@mesaverde\.example>\r\nTo: zoe@example\.org\r\n/);
    expect(head).toMatch(/Subject: =\?UTF-8\?B\?/);
    expect(head).toContain('Date: Sun, 22 Nov 2026 09:00:00 +0000');
    expect(head).toContain('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
    for (const line of raw.split('\r\n')) expect(line.length).toBeLessThanOrEqual(998);
    expect(raw).not.toMatch(/[^\r]\n/);
    const boundary = /boundary="([^"]+)"/.exec(head)![1]!;
    const parts = raw
      .split(`--${boundary}\r\n`)
      .slice(1, 3)
      .map((p) => Buffer.from(p.split('\r\n\r\n')[1]!.split('\r\n--')[0]!.replace(/\r\n/g, ''), 'base64').toString('utf8'));
    expect(parts).toEqual([base.text, base.html]);
    const words = [...head.matchAll(/=\?UTF-8\?B\?([^?]+)\?=/g)].map((m) => Buffer.from(m[1]!, 'base64').toString('utf8')).join('');
    expect(words).toBe(base.subject);
  });

  it('refuses header injection through addresses and flattens line breaks in text headers', () => {
    expect(() => buildMime({ ...base, to: 'a@b.example\r\nBcc: x@evil.example' })).toThrow();
    const raw = buildMime({ ...base, subject: 'Hi\r\nBcc: x@evil.example' }).toString();
    expect(headersOf(raw)).not.toMatch(/^Bcc:/m);
  });

  it('DKIM-signs with a body hash that matches the relaxed-canonical body', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const sign = dkimSigner({
      domainName: 'mesaverde.example',
      keySelector: 's1',
      privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    });
    const raw = buildMime(base);
    const signed = (await sign(raw)).toString();
    const head = headersOf(signed).replace(/\r\n[ \t]+/g, ' ');
    const sig = /^DKIM-Signature: (.*)$/m.exec(head)?.[1];
    expect(sig).toMatch(/d=mesaverde\.example/);
    expect(sig).toMatch(/s=s1/);
    const body = signed.slice(signed.indexOf('\r\n\r\n') + 4);
    const relaxed = body
      .split('\r\n')
      .map((l) => l.replace(/[ \t]+/g, ' ').replace(/ +$/, ''))
      .join('\r\n')
      .replace(/(\r\n)*$/, '\r\n');
    expect(/bh=([^;]+)/.exec(sig!)![1]!.replace(/\s/g, '')).toBe(createHash('sha256').update(relaxed).digest('base64'));
  });
});
