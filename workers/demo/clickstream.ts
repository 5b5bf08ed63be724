/**
 * The session simulation: hour by hour, organic sessions per country (seasonal Poisson counts), promo and
 * e-mail driven sessions and the bot burst; each session walks the funnel with cohort-specific rates and
 * the scenario's incident effects, evaluated at the moment of each step. Rows come out sorted by time, one
 * chunk per simulated hour, so the file is written as a stream.
 */
import type { Browser, Catalog, Category, Channel, Country, Device, Os, Product } from './model';
import {
  BROWSER_BY_OS,
  BROWSER_PURCHASE,
  CAMPAIGNS,
  CATEGORY_ATC,
  CATEGORY_MIX,
  CHANNEL_EFFECT,
  CHANNELS,
  COUNTRIES,
  DEVICE_BY_CHANNEL,
  DEVICE_EFFECT,
  FUNNEL,
  HOUR,
  countryHourMean,
  fakeEmail,
  sampleOs,
} from './model';
import type { Random } from './random';
import { Weighted } from './random';
import type { Scenario } from './scenario';
import { overlap, within } from './scenario';

export const CLICKSTREAM_HEADER =
  'event_time,event_name,user_id,session_id,email,device,os,browser,country,utm_source,utm_campaign,' +
  'product_id,category,brand,price,quantity,revenue,latency_ms';

/** CSV column → canonical cohort dimension (the names used in ground-truth and annotation cohorts). */
export const COLUMN_DIMENSIONS = {
  device: 'device',
  os: 'os',
  browser: 'browser',
  country: 'country',
  utm_source: 'channel',
  utm_campaign: 'campaign',
  category: 'category',
  brand: 'brand',
  product_id: 'product',
} as const;

interface User {
  id: string;
  email: string;
  device: Device;
  os: Os;
  browser: Browser;
}

interface Session {
  id: string;
  user: User;
  device: Device;
  os: Os;
  browser: Browser;
  country: Country;
  channel: Channel;
  campaign: string;
  returning: boolean;
  loggedIn: boolean;
  written: boolean;
}

interface Row {
  t: number;
  name: string;
  s: Session;
  product: Product | null;
  price: boolean;
  quantity: number;
  revenueCents: number;
  latency: number;
}

export interface ClickstreamTotals {
  sessions: number;
  events: number;
  purchases: number;
  revenueCents: number;
}

const CHECKOUT_EVENTS = new Set(['begin_checkout', 'payment_failed', 'purchase']);
const COUNTRY_MIX = new Weighted(COUNTRIES.map((c) => [c, c.share] as const));
const DE_FAILED_PAGE_EXIT = 0.7;
const MAX_EVENTS = 12;

function cents(value: number): string {
  const sign = value < 0 ? '-' : '';
  const abs = Math.abs(value);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

const SLICES_PER_HOUR = 12;
const SLICE = HOUR / SLICES_PER_HOUR;

export class ClickstreamSimulator {
  readonly totals: ClickstreamTotals = { sessions: 0, events: 0, purchases: 0, revenueCents: 0 };
  private pending: Row[] = [];
  private readonly usersByCountry = new Map<string, User[]>();
  private nextUser = 1;
  private nextSession = 1;
  /** Events of the session being simulated (a session has at most MAX_EVENTS). */
  private sessionEvents = 0;

  constructor(
    private readonly rng: Random,
    private readonly scenario: Scenario,
    private readonly catalog: Catalog,
    /** E-mail clicks per hour start, by campaign. */
    private readonly emailClicks: Map<number, { campaign: string; clicks: number }[]>,
  ) {}

  get hours(): number {
    return Math.round((this.scenario.end - this.scenario.start) / HOUR);
  }

  /** Expected organic sessions that start in [from, to) (used for ground-truth magnitudes). */
  expectedSessions(from: number, to: number, country?: string): number {
    const { start, sessionsPerDay } = this.scenario;
    let sum = 0;
    for (let h = Math.floor((from - start) / HOUR) * HOUR + start; h < to; h += HOUR) {
      const share = (Math.min(to, h + HOUR) - Math.max(from, h)) / HOUR;
      const day = Math.floor((h - start) / (24 * HOUR));
      for (const c of COUNTRIES)
        if (!country || c.code === country) sum += countryHourMean(c, h, sessionsPerDay, day) * share;
    }
    return sum;
  }

  /** The hourly mean of a country at time t, linear between the means of the hours whose centres surround t. */
  private smoothHourMean(country: (typeof COUNTRIES)[number], t: number): number {
    const { start, sessionsPerDay } = this.scenario;
    const before = start + Math.floor((t - start - HOUR / 2) / HOUR) * HOUR;
    const weight = (t - (before + HOUR / 2)) / HOUR;
    const mean = (hourStart: number) =>
      countryHourMean(country, hourStart, sessionsPerDay, Math.floor((hourStart - start) / (24 * HOUR)));
    return (1 - weight) * mean(before) + weight * mean(before + HOUR);
  }

  /** The CSV text of the simulated hour `index` (rows with time in that hour), header first for hour 0. */
  hour(index: number): string {
    const { scenario, rng } = this;
    const h0 = scenario.start + index * HOUR;
    const h1 = h0 + HOUR;

    // Organic traffic, per country, with an intensity that varies smoothly within the hour (real traffic
    // does not jump on the hour): each 5-minute slice draws from the hourly means interpolated between
    // hour centres.
    for (const country of COUNTRIES) {
      for (let s = 0; s < SLICES_PER_HOUR; s++) {
        const from = h0 + s * SLICE;
        const n = rng.poisson(this.smoothHourMean(country, from + SLICE / 2) / SLICES_PER_HOUR);
        for (let i = 0; i < n; i++) {
          const t0 = from + Math.floor(rng.next() * SLICE);
          const channel = CHANNELS.sample(rng);
          this.session(t0, country, channel, CAMPAIGNS[channel].sample(rng));
        }
      }
    }

    // Promo: extra sessions from the promoted campaign.
    const promo = scenario.promo;
    const promoSpan = overlap(promo, h0, h1);
    if (promoSpan > 0) {
      const share = CHANNELS.share('instagram') * CAMPAIGNS.instagram.share(promo.campaign);
      const mean = this.expectedSessions(h0, h1) * (promoSpan / HOUR) * share * (promo.trafficBoost - 1);
      const n = rng.poisson(mean);
      const from = Math.max(h0, promo.start);
      for (let i = 0; i < n; i++)
        this.session(
          from + Math.floor(rng.next() * promoSpan),
          COUNTRY_MIX.sample(rng),
          'instagram',
          promo.campaign,
        );
    }

    // E-mail campaign clicks land as e-mail sessions.
    for (const { campaign, clicks } of this.emailClicks.get(h0) ?? []) {
      const n = rng.binomial(clicks, 0.85);
      for (let i = 0; i < n; i++)
        this.session(h0 + Math.floor(rng.next() * HOUR), COUNTRY_MIX.sample(rng), 'email', campaign);
    }

    // Bot burst.
    const bots = scenario.bots;
    const botSpan = overlap(bots, h0, h1);
    if (botSpan > 0) {
      const n = rng.poisson(bots.perHour * (botSpan / HOUR));
      const from = Math.max(h0, bots.start);
      for (let i = 0; i < n; i++) this.botSession(from + Math.floor(rng.next() * botSpan));
    }

    return this.flush(h1, index === 0);
  }

  /** The rows still pending at the end of the period are dropped (the export is cut off there). */
  private flush(until: number, header: boolean): string {
    const limit = Math.min(until, this.scenario.end);
    this.pending.sort((a, b) => a.t - b.t);
    let cut = 0;
    while (cut < this.pending.length && (this.pending[cut] as Row).t < limit) cut++;
    const ready = this.pending.slice(0, cut);
    this.pending = until >= this.scenario.end ? [] : this.pending.slice(cut);
    const lines: string[] = header ? [CLICKSTREAM_HEADER] : [];
    for (const row of ready) lines.push(this.format(row));
    return lines.length > 0 ? lines.join('\n') + '\n' : '';
  }

  private hourPrefixOf = NaN;
  private hourPrefix = '';

  /** `new Date(t).toISOString()`, faster: rows come in time order, so the hour prefix is cached. */
  private isoTime(t: number): string {
    const rest = t % HOUR;
    const hourStart = t - rest;
    if (hourStart !== this.hourPrefixOf) {
      this.hourPrefixOf = hourStart;
      this.hourPrefix = new Date(hourStart).toISOString().slice(0, 14);
    }
    const minutes = Math.floor(rest / 60_000);
    const seconds = Math.floor((rest % 60_000) / 1000);
    const ms = rest % 1000;
    return `${this.hourPrefix}${minutes < 10 ? '0' : ''}${minutes}:${seconds < 10 ? '0' : ''}${seconds}.${String(ms).padStart(3, '0')}Z`;
  }

  private format(row: Row): string {
    const s = row.s;
    const totals = this.totals;
    if (!s.written) {
      s.written = true;
      totals.sessions++;
    }
    totals.events++;
    if (row.name === 'purchase') {
      totals.purchases++;
      totals.revenueCents += row.revenueCents;
    }
    const email = s.loggedIn || CHECKOUT_EVENTS.has(row.name) ? s.user.email : '';
    const p = row.product;
    return [
      this.isoTime(row.t),
      row.name,
      s.user.id,
      s.id,
      email,
      s.device,
      s.os,
      s.browser,
      s.country.code,
      s.channel,
      s.campaign,
      p ? p.id : '',
      p ? p.category : '',
      p ? p.brand : '',
      p && row.price ? cents(p.priceCents) : '',
      row.quantity > 0 ? String(row.quantity) : '',
      row.name === 'purchase' ? cents(row.revenueCents) : '',
      row.latency > 0 ? String(row.latency) : '',
    ].join(',');
  }

  private push(t: number, name: string, s: Session, product: Product | null = null, price = false): Row {
    const row: Row = { t, name, s, product, price, quantity: 0, revenueCents: 0, latency: 0 };
    this.pending.push(row);
    this.sessionEvents++;
    return row;
  }

  /** Pause between two events of a session: 3 s to 150 s, so a session fits in about 30 minutes. */
  private gap(): number {
    return Math.round(Math.min(150_000, 3_000 + this.rng.exponential(35_000)));
  }

  private newSession(country: Country, channel: Channel, campaign: string, device: Device): Session {
    const rng = this.rng;
    const pool = this.usersByCountry.get(country.code) ?? [];
    this.usersByCountry.set(country.code, pool);
    let user: User;
    let returning = false;
    let os: Os;
    let browser: Browser;
    if (pool.length > 0 && rng.chance(0.28)) {
      user = rng.pick(pool);
      returning = true;
      // The same person on the same kind of device uses the same setup; on another device, a fresh one.
      if (user.device === device) {
        os = user.os;
        browser = user.browser;
      } else {
        os = sampleOs(rng, device, country);
        browser = BROWSER_BY_OS[os].sample(rng);
      }
    } else {
      os = sampleOs(rng, device, country);
      browser = BROWSER_BY_OS[os].sample(rng);
      user = {
        id: `u_${String(this.nextUser++).padStart(6, '0')}`,
        email: fakeEmail(rng),
        device,
        os,
        browser,
      };
      pool.push(user);
    }
    return {
      id: `s_${String(this.nextSession++).padStart(7, '0')}`,
      user,
      device,
      os,
      browser,
      country,
      channel,
      campaign,
      returning,
      loggedIn: returning && rng.chance(0.45),
      written: false,
    };
  }

  private session(t0: number, country: Country, channel: Channel, campaign: string): void {
    const { rng, scenario, catalog } = this;
    // The regional outage: most sessions from that country never reach the site, whatever brought them.
    const outage = country.code === scenario.regionalLoss.country && within(scenario.regionalLoss, t0);
    if (outage && !rng.chance(scenario.regionalLoss.keepShare)) return;
    const s = this.newSession(country, channel, campaign, DEVICE_BY_CHANNEL[channel].sample(rng));
    let t = t0;
    this.sessionEvents = 0;
    this.push(t, 'page_view', s);
    let pageViews = 1;

    if (rng.chance(outage ? scenario.regionalLoss.errorShare : 0.004)) {
      t += Math.round(rng.uniform(800, 6_000));
      this.push(t, 'error', s);
      if (outage && rng.chance(DE_FAILED_PAGE_EXIT)) return;
    }

    const ch = CHANNEL_EFFECT[channel];
    const dev = DEVICE_EFFECT[s.device];
    if (!rng.chance(FUNNEL.view * ch.view)) {
      if (rng.chance(0.45)) this.push((t += this.gap()), 'page_view', s);
      return;
    }

    // Browse: mostly one category.
    const focus: Category = CATEGORY_MIX.sample(rng);
    let views = 1;
    while (views < 4 && rng.chance(0.5)) views++;
    const viewed: Product[] = [];
    for (let i = 0; i < views; i++) {
      if (i > 0 && pageViews < 3 && rng.chance(0.5)) {
        this.push((t += this.gap()), 'page_view', s);
        pageViews++;
      }
      const category = rng.chance(0.8) ? focus : CATEGORY_MIX.sample(rng);
      const product = catalog.byCategory[category].sample(rng);
      this.push((t += this.gap()), 'view_item', s, product, true);
      if (!viewed.includes(product)) viewed.push(product);
    }

    // Add to cart.
    const promo = campaign === scenario.promo.campaign && within(scenario.promo, t0);
    const pCart =
      FUNNEL.addToCart *
      dev.addToCart *
      ch.addToCart *
      CATEGORY_ATC[focus] *
      (s.returning ? 1.3 : 1) *
      (promo ? scenario.promo.addToCartBoost : 1);
    if (!rng.chance(Math.min(0.9, pCart))) return;
    t += this.gap();
    if (s.os === 'Android' && within(scenario.androidCart, t) && rng.chance(scenario.androidCart.failShare)) {
      this.push(t, 'error', s);
      return;
    }
    // Room is kept for begin_checkout and up to two payment events.
    const maxItems = Math.max(1, Math.min(3, viewed.length, MAX_EVENTS - 3 - this.sessionEvents));
    let items = 1;
    while (items < maxItems && rng.chance(0.3)) items++;
    const cart: { product: Product; quantity: number }[] = [];
    for (let i = 0; i < items; i++) {
      const j = i + Math.floor(rng.next() * (viewed.length - i));
      const product = viewed[j] as Product;
      viewed[j] = viewed[i] as Product;
      viewed[i] = product;
      if (i > 0) t += this.gap();
      const soldOut =
        product.category === scenario.outOfStock.category &&
        within(scenario.outOfStock, t) &&
        rng.chance(scenario.outOfStock.failShare);
      // The shop says so (a custom event outside the canonical vocabulary, as real exports carry them).
      if (soldOut) {
        this.push(t, 'out_of_stock', s, product);
        continue;
      }
      this.push(t, 'add_to_cart', s, product, true);
      cart.push({ product, quantity: rng.chance(0.12) ? 2 : 1 });
    }
    const first = cart[0];
    if (!first) return;

    // Checkout.
    if (!rng.chance(Math.min(0.95, FUNNEL.checkout * dev.checkout))) return;
    t += this.gap();
    const payment = scenario.payment;
    const broken = s.os === 'iOS' && s.browser === 'Safari' && within(payment, t);
    const latency = () =>
      Math.round(
        Math.min(2_500, Math.max(180, rng.logNormal(480, 0.28))) * (broken ? payment.latencyFactor : 1),
      );
    // begin_checkout and payment_failed carry the first cart item (no price), so category cohorts have a funnel.
    this.push(t, 'begin_checkout', s, first.product).latency = latency();
    const pPurchase =
      FUNNEL.purchase *
      dev.purchase *
      BROWSER_PURCHASE[s.browser] *
      country.conversion *
      (s.returning ? 1.1 : 1) *
      (promo ? scenario.promo.purchaseBoost : 1);
    const willPurchase = rng.chance(Math.min(0.95, pPurchase));
    if (broken && willPurchase && rng.chance(payment.blockShare)) {
      this.push((t += Math.round(rng.uniform(5_000, 40_000))), 'payment_failed', s, first.product);
      if (rng.chance(0.5))
        this.push((t += Math.round(rng.uniform(20_000, 90_000))), 'payment_failed', s, first.product);
      return;
    }
    if (!willPurchase) {
      if (rng.chance(0.05))
        this.push((t += Math.round(rng.uniform(5_000, 40_000))), 'payment_failed', s, first.product);
      return;
    }
    if (rng.chance(0.03))
      this.push((t += Math.round(rng.uniform(5_000, 40_000))), 'payment_failed', s, first.product);
    // One purchase row per order: product and price of the first item, units and revenue of the whole cart.
    const purchase = this.push(
      (t += Math.round(rng.uniform(10_000, 60_000))),
      'purchase',
      s,
      first.product,
      true,
    );
    purchase.quantity = cart.reduce((sum, item) => sum + item.quantity, 0);
    purchase.revenueCents = cart.reduce((sum, item) => sum + item.product.priceCents * item.quantity, 0);
    purchase.latency = latency();
  }

  /**
   * A crawler behind paid TikTok clicks: desktop Chrome, any country and either TikTok campaign (so the
   * injected cohort is exactly channel=tiktok & device=desktop), fast product views, never a cart.
   */
  private botSession(t0: number): void {
    const rng = this.rng;
    const s: Session = {
      id: `s_${String(this.nextSession++).padStart(7, '0')}`,
      user: {
        id: `u_${String(this.nextUser++).padStart(6, '0')}`,
        email: '',
        device: 'desktop',
        os: 'Linux',
        browser: 'Chrome',
      },
      device: 'desktop',
      os: rng.chance(0.7) ? 'Linux' : 'Windows',
      browser: 'Chrome',
      country: COUNTRY_MIX.sample(rng),
      channel: 'tiktok',
      campaign: CAMPAIGNS.tiktok.sample(rng),
      returning: false,
      loggedIn: false,
      written: false,
    };
    let t = t0;
    this.push(t, 'page_view', s);
    if (rng.chance(0.4)) this.push((t += rng.int(500, 3_000)), 'page_view', s);
    const views = rng.int(3, 9);
    for (let i = 0; i < views; i++) {
      const product = rng.pick(this.catalog.products);
      this.push((t += rng.int(400, 4_000)), 'view_item', s, product, true);
    }
  }
}
