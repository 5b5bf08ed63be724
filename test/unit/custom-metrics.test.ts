import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultLabel, validateCustomMetric } from '../../shared/custom-metrics';
import { definitionFromFlags } from '../../main/cli/metrics';

describe('metric definitions of your own', () => {
  it('keeps what a definition says and fills in the defaults', () => {
    const ratio = validateCustomMetric(
      {
        name: ' failures_per_checkout ',
        kind: 'ratio',
        numerator: { eventTypes: ['payment_failed', 'payment_failed'], where: { os: 'iOS' } },
        denominator: { eventTypes: ['begin_checkout'] },
      },
      ['sessions'],
    );
    assert.deepEqual(ratio, {
      name: 'failures_per_checkout',
      kind: 'ratio',
      numerator: { eventTypes: ['payment_failed'], where: { os: 'iOS' } },
      denominator: { eventTypes: ['begin_checkout'] },
      badDirection: 'both',
    });
    assert.equal(defaultLabel(ratio), 'payment_failed where os=iOS per begin_checkout');
    const sum = validateCustomMetric(
      {
        name: 'de_revenue',
        kind: 'sum',
        sumOf: 'revenue',
        numerator: { eventTypes: ['purchase'] },
        badDirection: 'down',
      },
      [],
    );
    assert.equal(defaultLabel(sum), 'Sum of revenue of purchase');
  });

  it('refuses each mistake with what to change', () => {
    const cases: [unknown, RegExp][] = [
      [null, /an object with a name/],
      [{ name: '1st', kind: 'count', numerator: { eventTypes: ['x'] } }, /starting with a letter/],
      [{ name: 'sessions', kind: 'count', numerator: { eventTypes: ['x'] } }, /already a metric/],
      [{ name: 'a', kind: 'mean', numerator: { eventTypes: ['x'] } }, /count, sum or ratio/],
      [{ name: 'a', kind: 'count', numerator: { eventTypes: [] } }, /at least one event type/],
      [
        { name: 'a', kind: 'count', numerator: { eventTypes: ['x'] }, badDirection: 'sideways' },
        /up, down or both/,
      ],
      [{ name: 'a', kind: 'count', numerator: { eventTypes: ['x'], where: { os: '' } } }, /needs a value/],
      [{ name: 'a', kind: 'count', numerator: { eventTypes: ['x'] }, sumOf: 'revenue' }, /Only a sum/],
      [
        { name: 'a', kind: 'sum', numerator: { eventTypes: ['x'] }, sumOf: 'discount' },
        /revenue, price, quantity, latency_ms/,
      ],
      [
        { name: 'a', kind: 'count', numerator: { eventTypes: ['x'] }, denominator: { eventTypes: ['y'] } },
        /Only a ratio/,
      ],
    ];
    for (const [input, message] of cases)
      assert.throws(() => validateCustomMetric(input, ['sessions']), message, JSON.stringify(input));
  });

  it('reads the CLI flags into a definition', () => {
    assert.deepEqual(
      definitionFromFlags({ name: 'de_carts', count: 'add_to_cart, cart', where: 'country=DE', bad: 'down' }),
      {
        name: 'de_carts',
        badDirection: 'down',
        kind: 'count',
        numerator: { eventTypes: ['add_to_cart', 'cart'], where: { country: 'DE' } },
      },
    );
    assert.deepEqual(definitionFromFlags({ name: 'r', ratio: 'purchase', per: 'begin_checkout' }), {
      name: 'r',
      kind: 'ratio',
      numerator: { eventTypes: ['purchase'] },
      denominator: { eventTypes: ['begin_checkout'] },
    });
    assert.throws(() => definitionFromFlags({ name: 'r', ratio: 'purchase' }), /--per TYPES/);
    assert.throws(() => definitionFromFlags({ name: 's', sum: 'revenue' }), /--of TYPES/);
    assert.throws(() => definitionFromFlags({ name: 's' }), /exactly one of/);
    assert.throws(() => definitionFromFlags({ count: 'x' }), /--name/);
  });
});
