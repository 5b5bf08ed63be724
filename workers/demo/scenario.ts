/**
 * The plan of the simulated period: when each incident, promo, e-mail campaign, release and decoy happens.
 * Incidents go into the second half (the first half is clean history for baselines), never overlap in time,
 * and avoid the promo weekend. The effects themselves are applied by clickstream.ts and email.ts.
 */
import { DAY, HOUR, MINUTE } from './model';
import type { Random } from './random';

export interface Window {
  start: number;
  end: number;
}

export interface EmailCampaign {
  name: string;
  /** First hour of the (throttled) send. */
  sendStart: number;
  sendHours: number;
  listSize: number;
  bounceRate: number;
  openRate: number;
  clickRate: number;
  unsubscribeRate: number;
}

export interface Annotation {
  start: number;
  end: number | null;
  kind: 'deploy' | 'promo' | 'campaign' | 'config';
  label: string;
  cohort: string;
}

export interface Scenario {
  start: number;
  end: number;
  days: number;
  sessionsPerDay: number;
  /** (a) checkout payment step broken for iOS Safari after the web-512 release. */
  payment: Window & { deployAt: number; label: string; blockShare: number; latencyFactor: number };
  /** (b) add to cart broken on Android after a web release. */
  androidCart: Window & { deployAt: number; label: string; failShare: number };
  /** (c) CDN issue: most DE sessions never arrive, the rest see errors. */
  regionalLoss: Window & { country: string; keepShare: number; errorShare: number };
  /** (d) one campaign's bounce rate jumps. */
  bounce: Window & { campaign: string; rate: number };
  /** (e) crawler burst from one cohort: page views and product views only. */
  bots: Window & { perHour: number };
  /** (f) top shoes sold out: add to cart fails in that category. */
  outOfStock: Window & { category: 'shoes'; failShare: number };
  /** Expected lift: more sessions and better conversion for one campaign. */
  promo: Window & {
    campaign: string;
    label: string;
    trafficBoost: number;
    addToCartBoost: number;
    purchaseBoost: number;
  };
  campaigns: EmailCampaign[];
  annotations: Annotation[];
  decoys: { label: string; at: number; why: string }[];
}

type Slot = 'payment' | 'regionalLoss' | 'outOfStock' | 'androidCart' | 'bots' | 'bounce';

/** Preferred time of day (UTC) and length of each incident; day order is the array order. */
const SLOTS: { slot: Slot; at: number; hours: number; jitterMinutes: number }[] = [
  { slot: 'payment', at: 16 * HOUR + 27 * MINUTE, hours: 5, jitterMinutes: 25 },
  { slot: 'regionalLoss', at: 6 * HOUR, hours: 4, jitterMinutes: 40 },
  { slot: 'outOfStock', at: 20 * HOUR, hours: 6, jitterMinutes: 30 },
  { slot: 'androidCart', at: 12 * HOUR + 2 * MINUTE, hours: 4, jitterMinutes: 20 },
  { slot: 'bots', at: 2 * HOUR, hours: 3, jitterMinutes: 30 },
  { slot: 'bounce', at: 10 * HOUR, hours: 3, jitterMinutes: 0 },
];

const PAYMENT_DELAY = 7 * MINUTE;
const ANDROID_DELAY = 12 * MINUTE;

export function planScenario(rng: Random, start: number, days: number, sessionsPerDay: number): Scenario {
  const end = start + days * DAY;
  const half = Math.floor(days / 2);
  const dayAt = (day: number, offset: number) => start + day * DAY + offset;

  // Promo weekend: the first Friday of the second half that leaves room for Saturday and Sunday.
  let promoDay = -1;
  for (let d = half; d + 2 < days; d++) {
    if (new Date(dayAt(d, 0)).getUTCDay() === 5) {
      promoDay = d;
      break;
    }
  }
  if (promoDay < 0) promoDay = half;
  const promo = {
    start: dayAt(promoDay, 18 * HOUR),
    end: Math.min(end, dayAt(promoDay + 2, 22 * HOUR)),
    campaign: 'ig_sale',
    label: 'ig_sale weekend flash sale -25%',
    trafficBoost: 3,
    addToCartBoost: 1.35,
    purchaseBoost: 1.1,
  };

  let available: number[] = [];
  for (let d = half; d < days; d++) if (d < promoDay || d > promoDay + 2) available.push(d);
  if (available.length < 3) available = Array.from({ length: days - half }, (_, i) => half + i);

  const placed = SLOTS.map((slot, i) => {
    const day = available[Math.floor((i * available.length) / SLOTS.length)] ?? half;
    const jitter = slot.jitterMinutes > 0 ? rng.int(0, slot.jitterMinutes) * MINUTE : 0;
    return { ...slot, start: dayAt(day, slot.at + jitter) };
  }).sort((a, b) => a.start - b.start);

  // No overlap: push an incident later if the previous one has not ended (with a 30-minute gap).
  const windows = {} as Record<Slot, Window>;
  let previousEnd = -Infinity;
  for (const p of placed) {
    let s = Math.max(p.start, previousEnd + 30 * MINUTE);
    if (p.slot === 'bounce') s = Math.ceil(s / HOUR) * HOUR;
    const e = s + p.hours * HOUR;
    if (e > end) throw new RangeError(`demo period of ${days} days is too short for its incidents`);
    windows[p.slot] = { start: s, end: e };
    previousEnd = e;
  }

  const payment = {
    ...windows.payment,
    deployAt: windows.payment.start - PAYMENT_DELAY,
    label: 'web-512 checkout release (new payment sheet)',
    blockShare: 0.6,
    latencyFactor: 3,
  };
  const androidCart = {
    ...windows.androidCart,
    deployAt: windows.androidCart.start - ANDROID_DELAY,
    label: 'web-515 cart drawer refactor',
    failShare: 0.6,
  };
  const regionalLoss = { ...windows.regionalLoss, country: 'DE', keepShare: 0.2, errorShare: 0.45 };
  const bounce = { ...windows.bounce, campaign: 'newsletter_w3', rate: 0.11 };
  const bots = { ...windows.bots, perHour: Math.max(8, Math.round((sessionsPerDay / 24) * 0.3)) };
  const outOfStock = { ...windows.outOfStock, category: 'shoes' as const, failShare: 0.85 };

  const listSize = sessionsPerDay * 8;
  const campaigns: EmailCampaign[] = [
    {
      name: 'newsletter_w1',
      sendStart: dayAt(1, 8 * HOUR),
      sendHours: 6,
      listSize,
      bounceRate: 0.014,
      openRate: 0.31,
      clickRate: 0.034,
      unsubscribeRate: 0.003,
    },
    {
      name: 'newsletter_w2',
      sendStart: dayAt(Math.max(2, Math.round(days * 0.38)), 8 * HOUR),
      sendHours: 6,
      listSize: Math.round(listSize * 1.03),
      bounceRate: 0.016,
      openRate: 0.28,
      clickRate: 0.029,
      unsubscribeRate: 0.003,
    },
    {
      name: 'weekend_sale',
      sendStart: promo.start - 3 * HOUR,
      sendHours: 4,
      listSize: Math.round(listSize * 1.05),
      bounceRate: 0.019,
      openRate: 0.36,
      clickRate: 0.048,
      unsubscribeRate: 0.004,
    },
    {
      name: bounce.campaign,
      sendStart: bounce.start - HOUR,
      sendHours: 6,
      listSize: Math.round(listSize * 1.08),
      bounceRate: 0.017,
      openRate: 0.3,
      clickRate: 0.031,
      unsubscribeRate: 0.003,
    },
  ].filter((c) => c.sendStart >= start && c.sendStart < end);

  const regionalDecoy = {
    label: 'web-513 search ranking tweak',
    at: regionalLoss.start - (3 * HOUR + 25 * MINUTE),
    why: 'deployed hours before the DE traffic loss, which was a CDN outage with no annotation',
  };
  const stockDecoy = {
    label: 'reco-widget rollout 50%',
    at: outOfStock.start - (4 * HOUR + 10 * MINUTE),
    why: 'config change hours before the shoes add-to-cart drop, which was stock running out',
  };
  const decoys = [regionalDecoy, stockDecoy];

  const annotations: Annotation[] = [
    { start: payment.deployAt, end: null, kind: 'deploy', label: payment.label, cohort: '' },
    { start: androidCart.deployAt, end: null, kind: 'deploy', label: androidCart.label, cohort: '' },
    { start: regionalDecoy.at, end: null, kind: 'deploy', label: regionalDecoy.label, cohort: '' },
    { start: stockDecoy.at, end: null, kind: 'config', label: stockDecoy.label, cohort: 'device=desktop' },
    {
      start: promo.start,
      end: promo.end,
      kind: 'promo',
      label: promo.label,
      cohort: `campaign=${promo.campaign}`,
    },
    ...campaigns.map((c) => ({
      start: c.sendStart,
      end: Math.min(end, c.sendStart + DAY),
      kind: 'campaign' as const,
      label: `${c.name} send`,
      cohort: `channel=email&campaign=${c.name}`,
    })),
  ];
  // Routine releases in the clean first half (they change nothing).
  const routine: [number, number, Annotation['kind'], string][] = [
    [1, 15 * HOUR + 30 * MINUTE, 'deploy', 'web-505 header redesign'],
    [2, 10 * HOUR + 15 * MINUTE, 'deploy', 'api-214 tax service update'],
    [3, 9 * HOUR, 'config', 'free-shipping threshold 60'],
    [4, 14 * HOUR, 'deploy', 'web-508 wishlist button'],
    [6, 16 * HOUR + 20 * MINUTE, 'deploy', 'web-510 size guide copy'],
  ];
  for (const [day, offset, kind, label] of routine)
    if (day < half) annotations.push({ start: dayAt(day, offset), end: null, kind, label, cohort: '' });
  annotations.sort((a, b) => a.start - b.start || a.label.localeCompare(b.label));

  return {
    start,
    end,
    days,
    sessionsPerDay,
    payment,
    androidCart,
    regionalLoss,
    bounce,
    bots,
    outOfStock,
    promo,
    campaigns,
    annotations,
    decoys,
  };
}

export function within(window: Window, t: number): boolean {
  return t >= window.start && t < window.end;
}

/** Milliseconds of [from, to) that fall inside the window. */
export function overlap(window: Window, from: number, to: number): number {
  return Math.max(0, Math.min(window.end, to) - Math.max(window.start, from));
}
