import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isExpected, type AnnotationRow } from '../../workers/incidents/build';

const H = 3_600_000;
const T0 = Date.UTC(2026, 9, 16, 18);
const promo: AnnotationRow = {
  start_ts: T0,
  end_ts: T0 + 52 * H,
  kind: 'promo',
  label: 'ig_sale weekend flash sale -25%',
  cohort: 'campaign=ig_sale',
};
const send: AnnotationRow = {
  start_ts: T0 - 3 * H,
  end_ts: T0 + 21 * H,
  kind: 'campaign',
  label: 'weekend_sale send',
  cohort: 'channel=email&campaign=weekend_sale',
};
const end = promo.end_ts as number;

describe('expected changes (promos and campaigns)', () => {
  it("a rise inside a promo on the promo's cohort, or one holding it, is expected; elsewhere it is news", () => {
    assert.equal(isExpected('traffic', 'up', { campaign: 'ig_sale' }, T0 + H, T0 + 2 * H, [promo]), true);
    assert.equal(isExpected('traffic', 'up', {}, T0 + H, T0 + 2 * H, [promo]), true);
    assert.equal(isExpected('traffic', 'up', { os: 'Android' }, T0 + H, T0 + 2 * H, [promo]), false);
    // A rate that falls during a promo is still news.
    assert.equal(isExpected('funnel', 'down', { campaign: 'ig_sale' }, T0 + H, T0 + 2 * H, [promo]), false);
  });

  it("traffic falling back in the hours after a promo ends is the sale's end, in any cohort it reached", () => {
    const cohorts: Record<string, string>[] = [{ browser: 'Chrome' }, { device: 'mobile' }, {}];
    for (const cohort of cohorts)
      assert.equal(isExpected('traffic', 'down', cohort, end + 15 * 60_000, end + 2 * H, [promo]), true);
    // Not hours later, not before it ended, not a rate, and not after a campaign (its own cohort has a week).
    assert.equal(
      isExpected('traffic', 'down', { browser: 'Chrome' }, end + 4 * H, end + 5 * H, [promo]),
      false,
    );
    assert.equal(isExpected('traffic', 'down', { browser: 'Chrome' }, end - 3 * H, end, [promo]), false);
    assert.equal(
      isExpected('funnel', 'down', { browser: 'Chrome' }, end + 15 * 60_000, end + H, [promo]),
      false,
    );
    const sendEnd = send.end_ts as number;
    assert.equal(
      isExpected('traffic', 'down', { browser: 'Chrome' }, sendEnd + H, sendEnd + 2 * H, [send]),
      false,
    );
    assert.equal(
      isExpected('revenue', 'up', { channel: 'email' }, sendEnd + 10 * H, sendEnd + 12 * H, [send]),
      true,
    );
  });
});
