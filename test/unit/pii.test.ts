import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { containsPii, detectPii, redactText } from '../../workers/mask/pii';

describe('detectPii', () => {
  it('finds e-mail columns by their values, whatever the name', () => {
    assert.deepEqual(detectPii('contact', ['Jane.Doe@example.com', 'bob+shop@mail.example.co.uk', 'x']), {
      column: 'contact',
      kind: 'email',
      share: 2 / 3,
      action: 'pseudonymise',
    });
    assert.deepEqual(detectPii('user_id', ['a@b.de', '', null, '12', '13']), {
      column: 'user_id',
      kind: 'email',
      share: 1 / 3,
      action: 'pseudonymise',
    });
  });

  it('needs a share of 0.3 unless the name is an obvious identifier name', () => {
    const mostlyIds = ['a@b.de', '1', '2', '3', '4'];
    assert.equal(detectPii('user_id', mostlyIds), null); // 0.2
    assert.deepEqual(detectPii('e_mail', mostlyIds), {
      column: 'e_mail',
      kind: 'email',
      share: 0.2,
      action: 'pseudonymise',
    });
    assert.equal(detectPii('email', ['n/a', 'unknown']), null); // the name alone is not enough
    assert.equal(detectPii('email', []), null);
  });

  it('finds IPv4 and IPv6 columns', () => {
    assert.equal(detectPii('ip', ['203.0.113.7', '198.51.100.23'])?.kind, 'ip');
    assert.equal(detectPii('context.ip', ['2001:db8::8a2e:370:7334', 'fe80::1'])?.kind, 'ip');
    assert.equal(detectPii('ipAddress', ['10.0.0.1', 'unknown', 'unknown', 'unknown'])?.share, 0.25);
    assert.equal(detectPii('client', ['300.1.1.1', '1.2.3', '01.02.03.04']), null);
  });

  it('finds phone numbers in E.164 and national layouts', () => {
    assert.equal(detectPii('contact', ['+4915112345678', '+1 (555) 123-4567'])?.kind, 'phone');
    assert.equal(detectPii('contact', ['030 1234567', '(030) 1234567', '555-123-4567'])?.kind, 'phone');
    assert.equal(detectPii('contact', ['01 23 45 67 89', '0171/1234567'])?.kind, 'phone');
    // A phone column may hold bare digits (and a Luhn-valid one is still a phone there).
    assert.deepEqual(detectPii('mobile', ['4915112345678', '015112345678']), {
      column: 'mobile',
      kind: 'phone',
      share: 1,
      action: 'pseudonymise',
    });
  });

  it('does not flag ids, prices, dates, UUIDs or session ids', () => {
    assert.equal(detectPii('product_id', ['44600062', '3900821', '17200506', 44600062]), null);
    assert.equal(
      detectPii('category_id', ['2103807459595387724', '2053013555631882655', 2232732093077520756n]),
      null,
    );
    assert.equal(detectPii('user_id', ['541312140', '554748717', '519107250']), null);
    assert.equal(detectPii('price', ['1234567.89', '35.79', '0.77', 1234567]), null);
    assert.equal(detectPii('user_session', ['26dd6e6e-4dac-4778-8d2c-92e149dab885']), null);
    assert.equal(detectPii('event_time', ['2019-10-01 00:00:00 UTC', '2019-10-01', '01.10.2019']), null);
    assert.equal(detectPii('app_version', ['3.2.1', '10.0.19041']), null);
    assert.equal(detectPii('order_id', ['100-2019-0001', 'ORD-55512345']), null);
  });

  it('finds card numbers by length, issuer prefix and Luhn check', () => {
    assert.deepEqual(detectPii('payment', ['4111111111111111', '5500 0055 5555 5559', '3782-822463-10005']), {
      column: 'payment',
      kind: 'card',
      share: 1,
      action: 'pseudonymise',
    });
    assert.equal(detectPii('payment', ['4111111111111112', '5500005555555558']), null); // Luhn fails
    assert.equal(detectPii('card_number', ['x', 'y', 'z', '6011111111111117'])?.kind, 'card');
    // Luhn-valid, but 19 digits starting with 2 is no card layout (the REES46 category id is Luhn-valid too).
    assert.equal(detectPii('ref', ['2222222222222222226', '2103807459595387724']), null);
    assert.equal(detectPii('ref', ['2222222222222224'])?.kind, 'card'); // 16 digits: Mastercard 2-series
  });
});

describe('redactText', () => {
  it('replaces e-mails, phones, IPs and cards', () => {
    assert.equal(
      redactText('Contact John.Doe+shop@Example.co.uk or +49 30 1234567, card 4111 1111 1111 1111.'),
      'Contact [email] or [phone], card [card].',
    );
    assert.equal(
      redactText('from 192.168.1.10 and 2001:db8::8a2e:370:7334 at 12:30:45'),
      'from [ip] and [ip] at 12:30:45',
    );
    assert.equal(
      redactText('call (030) 1234567 or 555-123-4567 or 0171 1234567 or 01 23 45 67 89 or 1-800-555-1234'),
      'call [phone] or [phone] or [phone] or [phone] or [phone]',
    );
    assert.equal(
      redactText('tel 030 / 1234567, +1 (555) 123-4567, 0049 30 1234567, +4930123456'),
      'tel [phone], [phone], [phone], [phone]',
    );
    assert.equal(
      redactText('card 4111-1111-1111-1111 expired; 5500005555555559 ok; 4111111111111112 not luhn'),
      'card [card] expired; [card] ok; 4111111111111112 not luhn',
    );
    assert.equal(redactText('mail:bob@shop.example'), 'mail:[email]');
  });

  it('leaves dates, versions, counts, ids, prices and times alone', () => {
    const plain = [
      'On 2019-10-01 I ordered 3 items (version 3.2.1), order 44600062, category 2103807459595387724.',
      'price 1234567.89 EUR, date 01.10.2019, 10/01/2019, id 550e8400-e29b-41d4-a716-446655440000',
      'checkout failed at 2019-10-01 12:30:45 after 12 attempts, error 500, 1 234 567 views',
      'deploy v2.14.0 to 10 of 12 nodes; session 1d7e6f0b-7d2f-4c11-9b4d-3d5c7f1d2e11',
      'no personal data here',
      '',
    ];
    for (const text of plain) {
      assert.equal(redactText(text), text);
      assert.equal(containsPii(text), false, text);
    }
  });

  it('does not redact invalid IPs and keeps surrounding punctuation', () => {
    assert.equal(redactText('10.0.0.256 and 1.2.3.4.5 and (8.8.8.8)'), '10.0.0.256 and 1.2.3.4.5 and ([ip])');
    assert.equal(redactText('<a@b.co>'), '<[email]>');
  });
});

describe('containsPii', () => {
  it('is true when there is something to redact', () => {
    assert.equal(containsPii('write to a@b.co'), true);
    assert.equal(containsPii('IP 8.8.4.4'), true);
    assert.equal(containsPii('card 4111111111111111'), true);
    assert.equal(containsPii('call +44 20 7946 0958'), true);
    assert.equal(containsPii('order 4111111111111112'), false);
  });
});
