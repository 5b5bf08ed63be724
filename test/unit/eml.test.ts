import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  addressHeader,
  buildEml,
  DEFAULT_FROM,
  DEFAULT_TO,
  encodeHeaderText,
  quotedPrintable,
  rfc5322Date,
} from '../../workers/alerts/eml';
import { decodeQuotedPrintable, parseEml } from '../integration/support/eml';

const draft = {
  from: 'Analytics <analytics@shop.example>',
  to: 'cmo@shop.example, "Ops, on call" <ops@shop.example>',
  subject: 'Funnelscope alert digest: 2 alerts',
  date: new Date(Date.UTC(2026, 10, 24, 9, 5, 0)),
  text: 'Conversion fell in os=iOS – 5 400 € at risk.\nSecond line with a trailing space \n',
  html: '<!doctype html><html><body><p style="color:#b3261e">Conversion fell in os=iOS</p></body></html>',
  boundary: 'fixedboundary',
  messageId: 'abc@funnelscope.localhost',
};

test('headers: From, To, Subject, Date, Message-ID and MIME version, CRLF line endings', () => {
  const eml = buildEml(draft);
  const [head] = eml.split('\r\n\r\n');
  const lines = (head ?? '').split('\r\n');
  assert.equal(lines[0], 'From: Analytics <analytics@shop.example>');
  assert.equal(lines[1], 'To: cmo@shop.example,');
  assert.equal(lines[2], ' "Ops, on call" <ops@shop.example>', 'folded, the quoted display name kept');
  assert.ok(lines.includes('Subject: Funnelscope alert digest: 2 alerts'));
  assert.ok(lines.includes('Date: Tue, 24 Nov 2026 09:05:00 +0000'));
  assert.ok(lines.includes('Message-ID: <abc@funnelscope.localhost>'));
  assert.ok(lines.includes('MIME-Version: 1.0'));
  assert.ok(lines.includes('X-Unsent: 1'), 'opens as a draft');
  assert.ok(lines.includes('Content-Type: multipart/alternative; boundary="=_funnelscope_fixedboundary"'));
  assert.doesNotMatch(eml.replace(/\r\n/g, ''), /\n/, 'no bare LF');
  for (const line of eml.split('\r\n')) assert.ok(line.length <= 78, `line too long: ${line}`);
});

test('MIME structure: multipart/alternative with text/plain then text/html, both decoding to the input', () => {
  const message = parseEml(buildEml(draft));
  assert.equal(message.contentType, 'multipart/alternative');
  assert.deepEqual(
    message.parts.map((p) => [p.contentType, p.charset, p.encoding]),
    [
      ['text/plain', 'utf-8', 'quoted-printable'],
      ['text/html', 'utf-8', 'quoted-printable'],
    ],
  );
  assert.equal(message.parts[0]?.body, draft.text.replace(/\n/g, '\r\n'));
  assert.equal(message.parts[1]?.body, draft.html);
});

test('no remote reference in either part', () => {
  const eml = buildEml(draft);
  assert.doesNotMatch(eml, /https?:|ftp:|file:|cid:|src=|href=|url\(|@import/i);
});

test('quoted-printable: "=", non-ASCII and trailing blanks escaped; soft breaks under 77 characters', () => {
  assert.equal(quotedPrintable('a=b'), 'a=3Db');
  assert.equal(quotedPrintable('5 €'), '5 =E2=82=AC');
  assert.equal(quotedPrintable('end '), 'end=20');
  const long = 'x'.repeat(200);
  const encoded = quotedPrintable(long);
  for (const line of encoded.split('\r\n')) assert.ok(line.length <= 76);
  assert.equal(decodeQuotedPrintable(encoded), long);
  const accents = 'é'.repeat(60);
  assert.equal(decodeQuotedPrintable(quotedPrintable(accents)), accents, 'an escape is never split');
});

test('dates, encoded words and addresses', () => {
  assert.equal(rfc5322Date(new Date(Date.UTC(2026, 0, 4, 23, 0, 9))), 'Sun, 4 Jan 2026 23:00:09 +0000');
  assert.equal(encodeHeaderText('plain'), 'plain');
  assert.equal(encodeHeaderText('Über'), `=?UTF-8?B?${Buffer.from('Über').toString('base64')}?=`);
  assert.equal(addressHeader(DEFAULT_FROM, 'From'), DEFAULT_FROM);
  assert.equal(addressHeader(DEFAULT_TO, 'To'), 'undisclosed-recipients:;');
  assert.match(addressHeader('Jürgen <j@shop.example>', 'To'), /^=\?UTF-8\?B\?.+\?= <j@shop\.example>$/);
  assert.throws(() => addressHeader('not an address', 'To'), /not an e-mail address; write it as/);
  assert.throws(() => addressHeader('a@b.example\r\nBcc: x@y.example', 'To'), /one line/);
  assert.throws(() => addressHeader('a@b.example, c@d.example', 'From'), /From is one address/);
});
