import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BUILT_IN_METRICS, metricByName, metricValue } from '../../shared/metrics';

test('the built-in names of the issue are all defined, once', () => {
  const names = BUILT_IN_METRICS.map((m) => m.name);
  for (const name of [
    'sessions',
    'page_views',
    'add_to_cart_rate',
    'begin_checkout_rate',
    'checkout_conversion',
    'conversion_rate',
    'orders',
    'revenue',
    'aov',
    'bounce_rate',
    'open_rate',
    'click_rate',
    'unsubscribe_rate',
  ])
    assert.ok(names.includes(name), name);
  assert.equal(new Set(names).size, names.length);
});

test('ratios keep numerator and denominator: pooled, never averaged', () => {
  const conversion = metricByName('checkout_conversion');
  assert.ok(conversion && conversion.kind === 'ratio');
  assert.equal(conversion.numerator, 'sessions_with_purchase');
  assert.equal(conversion.denominator, 'sessions_with_checkout');
  // Two buckets: 1/2 and 9/10. The pooled rate is 10/12, not the mean of 0.5 and 0.9.
  assert.equal(metricValue(conversion, 1 + 9, 2 + 10), 10 / 12);
  assert.equal(metricValue(conversion, 0, 0), null);
  assert.equal(metricValue(metricByName('orders')!, 7), 7);
});
