import { describe, expect, it } from 'vitest';
import {
  encodeBase64,
  encodeQuotedPrintable,
  encodeWords,
  mailbox,
  MessageAddressError,
  utf8Bytes,
  writeMessage,
} from '../../shared/compose/email/mime';
import { parseEml } from './eml-parse';

/** A strict quoted-printable decoder (RFC 2045 §6.7), independent of the encoder under test. */
function decodeQp(qp: string): string {
  const bytes: number[] = [];
  const lines = qp.split('\r\n');
  lines.forEach((line, n) => {
    let soft = false;
    for (let i = 0; i < line.length; i++) {
      const c = line[i]!;
      if (c === '=') {
        if (i === line.length - 1) {
          soft = true;
          break;
        }
        const h = line.slice(i + 1, i + 3);
        if (!/^[0-9A-F]{2}$/.test(h)) throw new Error(`bad escape =${h} in ${JSON.stringify(line)}`);
        bytes.push(parseInt(h, 16));
        i += 2;
      } else bytes.push(c.charCodeAt(0));
    }
    if (!soft && n < lines.length - 1) bytes.push(13, 10);
  });
  return Buffer.from(bytes).toString('utf8');
}

function random(seed: number) {
  return () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
}

describe('quoted-printable', () => {
  it('round-trips any text, keeps lines within 76 characters and only writes printable ASCII', () => {
    const next = random(7);
    const alphabet = [
      'a',
      'b',
      'Z',
      ' ',
      ' ',
      '\t',
      '=',
      '\n',
      '\r\n',
      '\r',
      '.',
      'é',
      'Ž',
      '€',
      '😀',
      '\u00a0',
      '<',
      '"',
      '~',
      '\x00',
      '\x7f',
    ];
    for (let n = 0; n < 2000; n++) {
      let s = '';
      const len = next() % 300;
      for (let i = 0; i < len; i++) s += alphabet[next() % alphabet.length];
      if (n % 7 === 0) s += 'x'.repeat(next() % 200);
      const qp = encodeQuotedPrintable(s);
      const bad = qp.split('\r\n').filter((line) => line.length > 76 || !/^[\x21-\x7e \t]*$/.test(line) || /[ \t]$/.test(line));
      if (bad.length) expect(bad, JSON.stringify(s)).toEqual([]);
      const decoded = decodeQp(qp);
      if (decoded !== s.replace(/\r?\n/g, '\r\n')) expect(decoded, JSON.stringify(s)).toBe(s.replace(/\r?\n/g, '\r\n'));
    }
  });

  it('encodes what RFC 2045 requires and leaves the rest readable', () => {
    expect(encodeQuotedPrintable('a=b café\nend \nx\t')).toBe('a=3Db caf=C3=A9\r\nend=20\r\nx=09');
    const long = encodeQuotedPrintable(`${'y'.repeat(74)}é`);
    expect(long).toBe(`${'y'.repeat(74)}=\r\n=C3=A9`);
  });
});

describe('base64 and encoded-words', () => {
  it('matches Buffer base64 for any bytes, in 76-character lines', () => {
    const next = random(11);
    for (let n = 0; n < 300; n++) {
      const bytes = Uint8Array.from({ length: next() % 400 }, () => next() % 256);
      const b64 = Buffer.from(bytes).toString('base64');
      expect(encodeBase64(bytes)).toBe(b64);
      expect(encodeBase64(bytes, 76)).toBe(b64.match(/.{1,76}/g)?.join('\r\n') ?? '');
    }
  });

  it('splits header text into words of whole characters that decode back to it', () => {
    const text = 'Hi Zoë 😀, your Škoda is due — book by June 30 at Mesa Verde Motors, Aurora 北京 '.repeat(3);
    const words = encodeWords(text).split('\r\n ');
    let decoded = '';
    for (const w of words) {
      expect(w.length).toBeLessThanOrEqual(75);
      const m = /^=\?UTF-8\?B\?([A-Za-z0-9+/=]+)\?=$/.exec(w);
      expect(m).not.toBeNull();
      const part = Buffer.from(m![1]!, 'base64');
      expect(new TextDecoder('utf-8', { fatal: true }).decode(part)).toBeTypeOf('string');
      decoded += part.toString('utf8');
    }
    expect(decoded).toBe(text);
    expect(utf8Bytes('é')).toEqual(Uint8Array.from([0xc3, 0xa9]));
  });
});

describe('writeMessage', () => {
  const base = {
    from: { name: 'Mesa Verde Motors Service', address: 'service@mesaverde.example' },
    to: 'zoe@example.org',
    subject: 'Hi Zoë, your Subaru is due for service — book by June 30, 2026 to keep your warranty valid',
    text: 'Hello Zoë\nLine two = three\n',
    html: `<p style="color:#c00">Hello <b>Zoë</b></p>\n${'<td>'.repeat(60)}`,
    messageId: '<pw.1.abc@mesaverde.example>',
    date: new Date(Date.UTC(2026, 10, 22, 9, 0, 0)),
    headers: [
      ['List-Unsubscribe', '<https://u.example/x>'],
      ['X-Presswork-Record', 'C-1 Žluť\r\nBcc: evil@example.org'],
    ] as const,
  };

  it('folds every header line to 78 characters: long names, long words, long list URLs, a Reply-To', () => {
    const key = `K${'7'.repeat(4999)}`;
    const name = 'Autohaus Müller & Söhne GmbH – Kundendienst für Ihre Fahrzeuge in ganz Nordrhein-Westfalen';
    const ascii = 'Autohaus Mueller and Soehne GmbH Kundendienst fuer Ihre Fahrzeuge in ganz Nordrhein-Westfalen';
    for (const fromName of [name, ascii, 'x'.repeat(120), `"${ascii}"`]) {
      const raw = writeMessage({
        ...base,
        from: { name: fromName, address: base.from.address },
        replyTo: 'antwort@mesaverde.example',
        subject: `Hallo ${'y'.repeat(200)} ${'ß'.repeat(90)}`,
        headers: [
          ['X-Presswork-Record', key],
          ['List-Unsubscribe', `<https://u.example/unsubscribe/${key}>, <mailto:u@mesaverde.example?subject=unsubscribe>`],
        ],
      });
      const head = raw.slice(0, raw.indexOf('\r\n\r\n'));
      for (const line of head.split('\r\n')) expect(line.length, line.slice(0, 30)).toBeLessThanOrEqual(78);
      const mail = parseEml(utf8Bytes(raw));
      const from = mail.header('from')!;
      expect(from.endsWith(' <service@mesaverde.example>')).toBe(true);
      // The display name comes back whole (quoted-string quoting undone).
      expect(
        from
          .slice(0, -' <service@mesaverde.example>'.length)
          .replace(/^"(.*)"$/, '$1')
          .replace(/\\(.)/g, '$1'),
      ).toBe(fromName);
      expect(mail.header('reply-to')).toBe('antwort@mesaverde.example');
      expect(mail.header('x-presswork-record')).toBe(key);
      expect(mail.header('subject')).toBe(`Hallo ${'y'.repeat(200)} ${'ß'.repeat(90)}`);
      expect(mail.header('list-unsubscribe')!.replace(/\s+/g, '')).toBe(
        `<https://u.example/unsubscribe/${key}>,<mailto:u@mesaverde.example?subject=unsubscribe>`,
      );
    }
  });

  it('writes a multipart/alternative message that a MIME reader decodes back to its input', () => {
    for (const encoding of ['quoted-printable', 'base64'] as const) {
      const raw = writeMessage({ ...base, encoding });
      expect(raw).not.toMatch(/[^\r]\n/);
      expect(raw).toMatch(/^[\t\r\n -~]*$/);
      for (const line of raw.split('\r\n')) expect(line.length).toBeLessThanOrEqual(78);
      const mail = parseEml(utf8Bytes(raw));
      expect(mail.header('from')).toBe('Mesa Verde Motors Service <service@mesaverde.example>');
      expect(mail.header('to')).toBe('zoe@example.org');
      expect(mail.header('subject')).toBe(base.subject);
      expect(mail.header('date')).toBe('Sun, 22 Nov 2026 09:00:00 +0000');
      expect(mail.header('message-id')).toBe(base.messageId);
      expect(mail.header('list-unsubscribe')).toBe('<https://u.example/x>');
      expect(mail.header('x-presswork-record')).toBe('C-1 Žluť Bcc: evil@example.org');
      expect(mail.headers.has('bcc')).toBe(false);
      expect(mail.parts.map((p) => p.contentType)).toEqual(['text/plain; charset=utf-8', 'text/html; charset=utf-8']);
      const norm = (s: string) => s.replace(/\r\n/g, '\n');
      // The test reader drops one line break at the end of a part (the one before the boundary, or, in base64, the text's own).
      expect(norm(mail.parts[0]!.body).replace(/\n$/, '')).toBe(base.text.replace(/\n$/, ''));
      expect(norm(mail.parts[1]!.body)).toBe(base.html);
    }
    // Deterministic: the same input gives the same bytes (no clock, no randomness).
    expect(writeMessage(base)).toBe(writeMessage(base));
  });

  it('refuses header injection through addresses and quotes or encodes display names', () => {
    expect(() => writeMessage({ ...base, to: 'a@b.example\r\nBcc: x@evil.example' })).toThrow(MessageAddressError);
    expect(() => writeMessage({ ...base, from: { name: 'x', address: 'no-at-sign' } })).toThrow(MessageAddressError);
    expect(() => writeMessage({ ...base, to: 'a\u0000b@example.org' })).toThrow(MessageAddressError);
    const raw = writeMessage({ ...base, subject: 'Hi\r\nBcc: x@evil.example' });
    expect(raw.split('\r\n\r\n', 1)[0]).not.toMatch(/^Bcc:/m);
    expect(mailbox('Smith, John "JJ"', 'j@example.org')).toBe('"Smith, John \\"JJ\\"" <j@example.org>');
    expect(mailbox('Zoë', 'z@example.org')).toBe('=?UTF-8?B?Wm/Dqw==?= <z@example.org>');
    expect(mailbox(' ', 'z@example.org')).toBe('z@example.org');
  });
});
