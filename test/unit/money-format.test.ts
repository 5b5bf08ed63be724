import assert from 'node:assert/strict';
import { test } from 'node:test';
import { knownCurrencies } from '../../renderer/src/format/currencies';
import { formatMoney, setMoneyCurrency } from '../../renderer/src/format/numbers';

test("money carries the workspace's currency when one is set, and no symbol otherwise", () => {
  setMoneyCurrency(null);
  const plain = formatMoney(1234.5);
  assert.match(plain, /^1.234.50$/);
  setMoneyCurrency('EUR');
  assert.ok(formatMoney(1234.5).includes('€'), formatMoney(1234.5));
  assert.ok(formatMoney(1234.5).includes(plain.slice(0, 5)));
  setMoneyCurrency('JPY');
  assert.ok(/¥|JPY/.test(formatMoney(99)), formatMoney(99));
  assert.equal(formatMoney(null), '—');
  setMoneyCurrency(null);
  assert.equal(formatMoney(1234.5), plain);
});

test('the currency list holds the common codes with names', () => {
  const codes = new Map(knownCurrencies().map((c) => [c.code, c.name]));
  for (const code of ['EUR', 'USD', 'GBP', 'JPY']) assert.ok(codes.has(code), code);
  assert.notEqual(codes.get('EUR'), 'EUR');
});
