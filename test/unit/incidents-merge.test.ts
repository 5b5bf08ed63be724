import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Incident } from '../../shared/incidents';
import { intersects } from '../../workers/incidents/group';
import { foldBrandsIntoCategories, mergeLocalised, onePerId } from '../../workers/incidents/merge';

const incident = (id: string, start: string, end: string, cohort: Record<string, string>): Incident => ({
  id,
  metric: 'sessions',
  direction: 'up',
  start: `2026-10-14T${start}:00.000Z`,
  end: `2026-10-14T${end}:00.000Z`,
  detectedAt: `2026-10-14T${start}:00.000Z`,
  severity: 'medium',
  score: 0.99,
  cohort,
  expected: false,
  impact: { lostConversions: 0, revenueAtRisk: 0 },
  attribution: [],
});

describe('incident grouping helpers', () => {
  it('cohorts intersect unless they name different values of one dimension', () => {
    assert.equal(intersects({ country: 'US' }, { device: 'mobile' }), true);
    assert.equal(intersects({}, { device: 'mobile' }), true);
    assert.equal(intersects({ country: 'US' }, { country: 'DE' }), false);
    assert.equal(intersects({ country: 'US', os: 'iOS' }, { os: 'iOS' }), true);
  });

  it('merges overlapping localised incidents of nested cohorts, keeping the earliest start and the larger cohort', () => {
    const bots = incident('a', '02:40', '08:40', { channel: 'tiktok', device: 'desktop' });
    const later = incident('b', '03:20', '09:20', {
      channel: 'tiktok',
      device: 'desktop',
      browser: 'Chrome',
    });
    const elsewhere = incident('c', '04:00', '05:00', { country: 'DE' });
    const afterwards = incident('d', '10:00', '11:00', { channel: 'tiktok' });
    const { incidents, sizes } = mergeLocalised([later, bots, elsewhere, afterwards], {
      a: 0.9,
      b: 0.3,
      c: 0.5,
      d: 0.4,
    });
    assert.deepEqual(
      incidents.map((i) => [i.id, i.start.slice(11, 16), i.end.slice(11, 16), JSON.stringify(i.cohort)]),
      [
        ['a', '02:40', '09:20', JSON.stringify({ channel: 'tiktok', device: 'desktop' })],
        ['c', '04:00', '05:00', JSON.stringify({ country: 'DE' })],
        ['d', '10:00', '11:00', JSON.stringify({ channel: 'tiktok' })],
      ],
    );
    assert.equal(sizes.a, 0.9);
  });

  it('keeps the attribution of the part that was localised over a larger part whose list is empty', () => {
    const cause = [{ cohort: { os: 'Android' }, share: 1, score: 0.98 }];
    const localised = {
      ...incident('a', '12:25', '15:40', { os: 'Android' }),
      metric: 'add_to_cart_rate',
      direction: 'down' as const,
      attribution: cause,
    };
    const tail = {
      ...incident('b', '14:10', '22:05', { os: 'Android' }),
      metric: 'add_to_cart_rate',
      direction: 'down' as const,
    };
    const { incidents, sizes } = mergeLocalised([tail, localised], { a: 0.1, b: 0.4 });
    assert.equal(incidents.length, 1);
    assert.deepEqual(incidents[0]!.attribution, cause);
    assert.equal(incidents[0]!.end.slice(11, 16), '22:05');
    assert.equal(sizes.a, 0.1);
    // Both localised: the larger one's attribution, as before.
    const other = [{ cohort: { os: 'Android', browser: 'Chrome' }, share: 0.9, score: 0.9 }];
    const both = mergeLocalised([{ ...tail, cohort: other[0]!.cohort, attribution: other }, localised], {
      a: 0.1,
      b: 0.4,
    });
    assert.deepEqual(both.incidents[0]!.attribution, other);
  });

  it('a category keeps its cohort over all traffic, which localisation over visit cohorts had to name', () => {
    const shoes = {
      ...incident('a', '20:20', '23:55', { category: 'shoes' }),
      metric: 'add_to_cart_rate',
      direction: 'down' as const,
      attribution: [{ cohort: { category: 'shoes' }, share: 1, score: 1 }],
    };
    const everyone = {
      ...incident('b', '21:15', '23:50', {}),
      metric: 'add_to_cart_rate',
      direction: 'down' as const,
      attribution: [{ cohort: {}, share: 1, score: 1 }],
    };
    // All traffic is the larger of the two, yet the category says where within it the fall was.
    for (const list of [
      [shoes, everyone],
      [{ ...everyone, start: '2026-10-14T20:00:00.000Z' }, shoes],
    ]) {
      const { incidents } = mergeLocalised(list, { a: 0.3, b: 0.4 });
      assert.equal(incidents.length, 1);
      assert.deepEqual(incidents[0]!.cohort, { category: 'shoes' });
    }
    // A visit cohort keeps the size rule: all traffic, larger, names the merged incident.
    const android = { ...shoes, cohort: { os: 'Android' } };
    assert.deepEqual(mergeLocalised([android, everyone], { a: 0.3, b: 0.4 }).incidents[0]!.cohort, {});
  });

  it("folds a conversion-rate incident into the funnel step's that fell with it, keeping the earlier detection", () => {
    const down = { direction: 'down' as const };
    const cart = {
      ...incident('cart', '13:15', '16:15', { os: 'Android' }),
      ...down,
      metric: 'add_to_cart_rate',
      detectedAt: '2026-10-14T12:20:00.000Z',
    };
    const conversion = {
      ...incident('conv', '13:15', '16:35', { os: 'Android' }),
      ...down,
      metric: 'conversion_rate',
      detectedAt: '2026-10-14T15:15:00.000Z',
      severity: 'high' as const,
    };
    // Conversion fell elsewhere too (iOS): not the cart regression's.
    const ios = { ...incident('ios', '14:00', '15:00', { os: 'iOS' }), ...down, metric: 'conversion_rate' };
    const { incidents, sizes } = mergeLocalised([conversion, cart, ios], { cart: 0.3, conv: 0.2, ios: 0.1 });
    assert.deepEqual(
      incidents.map((i) => [i.id, i.metric, i.end.slice(11, 16), i.detectedAt.slice(11, 16), i.severity]),
      [
        ['cart', 'add_to_cart_rate', '16:35', '12:20', 'high'],
        ['ios', 'conversion_rate', '15:00', '14:00', 'medium'],
      ],
    );
    assert.deepEqual(Object.keys(sizes).sort(), ['cart', 'ios']);
  });

  it('folds the conversion rate of a cohort naming the same value as the step (iOS phones, iOS Safari), no other', () => {
    const down = { direction: 'down' as const };
    const checkout = {
      ...incident('checkout', '16:50', '23:00', { os: 'iOS', browser: 'Safari' }),
      ...down,
      metric: 'checkout_conversion',
    };
    const phones = {
      ...incident('phones', '17:10', '23:30', { device: 'mobile', os: 'iOS' }),
      ...down,
      metric: 'conversion_rate',
      detectedAt: '2026-10-14T18:40:00.000Z',
    };
    // US visitors can use iOS Safari too, but name nothing in common with it: a cause of their own as likely.
    const us = { ...incident('us', '18:00', '19:00', { country: 'US' }), ...down, metric: 'conversion_rate' };
    // Android phones name a different os: never the same incident.
    const android = {
      ...incident('android', '18:00', '19:00', { device: 'mobile', os: 'Android' }),
      ...down,
      metric: 'conversion_rate',
    };
    const { incidents } = mergeLocalised([checkout, phones, us, android], {
      checkout: 0.4,
      phones: 0.3,
      us: 0.1,
      android: 0.1,
    });
    assert.deepEqual(
      incidents.map((i) => i.id),
      ['checkout', 'us', 'android'],
    );
    assert.equal(incidents[0]!.end.slice(11, 16), '23:30');
  });

  it('the folded incident is named by the surer of the two localisations', () => {
    const down = { direction: 'down' as const };
    const cause = (cohort: Record<string, string>, score: number) => [{ cohort, share: 1, score }];
    const step = {
      ...incident('step', '16:35', '23:00', { device: 'mobile', os: 'iOS' }),
      ...down,
      metric: 'checkout_conversion',
      attribution: cause({ device: 'mobile', os: 'iOS' }, 0.89),
    };
    const rate = {
      ...incident('rate', '16:15', '23:30', { os: 'iOS', browser: 'Safari' }),
      ...down,
      metric: 'conversion_rate',
      attribution: cause({ os: 'iOS', browser: 'Safari' }, 1),
    };
    const sizes = { step: 0.24, rate: 0.23 };
    const [surer] = mergeLocalised([step, rate], sizes).incidents;
    assert.equal(surer!.metric, 'checkout_conversion');
    assert.deepEqual(surer!.cohort, { os: 'iOS', browser: 'Safari' });
    assert.deepEqual(surer!.attribution, rate.attribution);
    assert.equal(surer!.start.slice(11, 16), '16:15');
    // The step's own localisation stands when it is the surer one.
    const [own] = mergeLocalised(
      [
        { ...step, attribution: cause({ device: 'mobile', os: 'iOS' }, 1) },
        { ...rate, attribution: cause({ os: 'iOS', browser: 'Safari' }, 0.9) },
      ],
      sizes,
    ).incidents;
    assert.deepEqual(own!.cohort, { device: 'mobile', os: 'iOS' });
  });

  it('a merge keeps the earliest detection of the two', () => {
    const first = {
      ...incident('a', '02:40', '08:40', { channel: 'tiktok' }),
      detectedAt: '2026-10-14T04:00:00.000Z',
    };
    const second = {
      ...incident('b', '03:20', '09:20', { channel: 'tiktok' }),
      detectedAt: '2026-10-14T03:30:00.000Z',
    };
    const { incidents } = mergeLocalised([first, second], { a: 1, b: 0.5 });
    assert.equal(incidents[0]!.detectedAt.slice(11, 16), '03:30');
  });

  it('one incident per id: the larger group is kept, known when the first group was', () => {
    const early = {
      ...incident('x', '16:55', '21:05', { os: 'iOS' }),
      detectedAt: '2026-10-14T18:15:00.000Z',
    };
    const late = {
      ...incident('x', '16:55', '21:05', { os: 'iOS' }),
      detectedAt: '2026-10-14T20:05:00.000Z',
      score: 0.999,
    };
    const other = incident('y', '02:40', '05:40', { channel: 'tiktok' });
    const { incidents, sizes } = onePerId([
      { incident: early, size: 0.2 },
      { incident: late, size: 0.6 },
      { incident: other, size: 1 },
    ]);
    assert.deepEqual(
      incidents.map((i) => [i.id, i.score, i.detectedAt.slice(11, 16)]),
      [
        ['y', 0.99, '02:40'],
        ['x', 0.999, '18:15'],
      ],
    );
    assert.deepEqual(sizes, { y: 1, x: 0.6 });
  });

  it("a brand's incident joins its category's when they fell together; a brand that fell alone keeps its own", () => {
    const atc = (id: string, start: string, end: string, cohort: Record<string, string>): Incident => ({
      ...incident(id, start, end, cohort),
      metric: 'add_to_cart_rate',
      direction: 'down',
    });
    const shoes = atc('shoes', '20:20', '23:00', { category: 'shoes' });
    const stridewell = {
      ...atc('stridewell', '20:15', '22:00', { brand: 'Stridewell' }),
      severity: 'critical' as const,
    };
    const lumen = atc('lumen', '20:30', '21:30', { brand: 'Lumen' });
    const later = atc('kelso', '23:30', '23:55', { brand: 'Kelso' });
    const categoryOf = (brand: string) =>
      ({ Stridewell: 'shoes', Kelso: 'shoes', Lumen: 'beauty' })[brand] as string | undefined;
    const { incidents, sizes } = foldBrandsIntoCategories(
      {
        incidents: [shoes, stridewell, lumen, later],
        sizes: { shoes: 1, stridewell: 2, lumen: 0.5, kelso: 0.4 },
      },
      categoryOf,
    );
    assert.deepEqual(
      incidents.map((i) => i.id),
      ['shoes', 'lumen', 'kelso'],
      'Lumen is beauty; Kelso fell after the shoes incident ended',
    );
    const folded = incidents[0]!;
    assert.deepEqual(folded.cohort, { category: 'shoes' });
    assert.equal(folded.start.slice(11, 16), '20:15');
    assert.equal(folded.detectedAt.slice(11, 16), '20:15');
    assert.equal(folded.severity, 'critical');
    assert.deepEqual(sizes, { shoes: 1, lumen: 0.5, kelso: 0.4 });
  });
});
