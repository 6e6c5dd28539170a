import { describe, expect, it } from 'vitest';
import { checkLinkUrl } from './url-policy';
import { isEmailAddress } from './address';

describe('the URL policy', () => {
  it.each([
    'https://example.com/a?b=1&c=2',
    'http://localhost:8080/x',
    'HTTPS://EXAMPLE.COM',
    'mailto:info@example.com?subject=Hi',
    'tel:+49 30 1234567',
    ' https://example.com/padded ',
    '',
  ])('allows %j', (u) => expect(checkLinkUrl(u).ok).toBe(true));

  it.each([
    'javascript:alert(1)',
    'JaVaScRiPt:alert(1)',
    'java\tscript:alert(1)',
    'java\nscript:alert(1)',
    '\u0001javascript:alert(1)',
    ' javascript:alert(1)',
    'vbscript:msgbox(1)',
    'data:text/html;base64,PHNjcmlwdD4=',
    'file:///etc/passwd',
    '//evil.example/x',
    '/relative/path',
    'page.html',
    'java&#115;cript:alert(1)',
    'https:\\\\evil.example',
    'https:evil.example',
    'https://',
    'mailto:',
    'https://exa\u0000mple.com',
  ])('refuses %j with a reason', (u) => {
    const r = checkLinkUrl(u);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(/^".*" /);
  });

  it('removes tabs and line breaks as browsers do', () => {
    expect(checkLinkUrl('https://exa\tmple.com/\na')).toEqual({ ok: true, url: 'https://example.com/a' });
  });
});

describe('the address check', () => {
  it.each(['a@example.com', 'first.last+tag@sub.example.co.uk', "o'brien@example.ie"])('accepts %s', (a) =>
    expect(isEmailAddress(a)).toBe(true),
  );
  it.each([
    'a@@example.com',
    'a@example',
    'a b@example.com',
    'a@example.com\r\nBcc: x@evil.example',
    '"q"@example.com',
    'a..b@example.com',
    'müller@example.de',
    `${'a'.repeat(250)}@example.com`,
  ])('refuses %j', (a) => expect(isEmailAddress(a)).toBe(false));
});
