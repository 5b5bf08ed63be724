/**
 * The simulated store: traffic shape, audience mix (with realistic joint distributions), product catalog and
 * funnel rates. Pure data and small pure functions; the simulation itself is in clickstream.ts.
 */
import { deriveSeed, Random, Weighted } from './random';

export const HOUR = 3_600_000;
export const MINUTE = 60_000;
export const DAY = 24 * HOUR;

export type Device = 'desktop' | 'mobile' | 'tablet';
export type Os = 'Windows' | 'macOS' | 'iOS' | 'Android' | 'Linux';
export type Browser = 'Chrome' | 'Safari' | 'Firefox' | 'Edge' | 'Samsung Internet';
export type Channel = 'google' | 'facebook' | 'instagram' | 'email' | 'direct' | 'tiktok';
export type Category = 'apparel' | 'shoes' | 'accessories' | 'beauty' | 'home';

export interface Country {
  code: string;
  share: number;
  /** Fixed UTC offset in hours (daylight saving is ignored). */
  utcOffset: number;
  /** Share of iOS among phones and tablets. */
  iosShare: number;
  /** Relative propensity to buy. */
  conversion: number;
}

export const COUNTRIES: readonly Country[] = [
  { code: 'US', share: 0.36, utcOffset: -5, iosShare: 0.6, conversion: 1.0 },
  { code: 'GB', share: 0.14, utcOffset: 1, iosShare: 0.55, conversion: 1.02 },
  { code: 'DE', share: 0.12, utcOffset: 2, iosShare: 0.38, conversion: 1.06 },
  { code: 'FR', share: 0.08, utcOffset: 2, iosShare: 0.42, conversion: 0.94 },
  { code: 'CA', share: 0.07, utcOffset: -5, iosShare: 0.57, conversion: 0.98 },
  { code: 'AU', share: 0.06, utcOffset: 11, iosShare: 0.58, conversion: 0.9 },
  { code: 'NL', share: 0.05, utcOffset: 2, iosShare: 0.45, conversion: 1.04 },
  { code: 'ES', share: 0.05, utcOffset: 2, iosShare: 0.3, conversion: 0.88 },
  { code: 'SE', share: 0.04, utcOffset: 2, iosShare: 0.5, conversion: 1.0 },
];

function normalise(values: readonly number[]): number[] {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return values.map((v) => v / mean);
}

/** Relative traffic by local hour (mean 1): night trough, evening peak; weekends start later. */
export const HOURLY_WEEKDAY = normalise([
  0.32, 0.2, 0.13, 0.1, 0.09, 0.12, 0.25, 0.5, 0.75, 0.9, 0.95, 1.0, 1.08, 1.05, 1.0, 0.98, 1.02, 1.1, 1.25,
  1.45, 1.6, 1.55, 1.2, 0.7,
]);
export const HOURLY_WEEKEND = normalise([
  0.45, 0.3, 0.18, 0.12, 0.1, 0.1, 0.15, 0.3, 0.55, 0.85, 1.1, 1.2, 1.25, 1.25, 1.2, 1.15, 1.15, 1.2, 1.3,
  1.4, 1.45, 1.35, 1.05, 0.7,
]);
/** Relative traffic by local weekday, Sunday first. */
export const WEEKDAY_LEVEL = normalise([1.12, 0.98, 0.97, 0.96, 0.98, 0.93, 1.06]);

/** Mean organic sessions starting in one country during the UTC hour beginning at `hourStart`. */
export function countryHourMean(
  country: Country,
  hourStart: number,
  sessionsPerDay: number,
  dayIndex: number,
): number {
  const local = new Date(hourStart + country.utcOffset * HOUR);
  const weekday = local.getUTCDay();
  const weekend = weekday === 0 || weekday === 6;
  const profile = (weekend ? HOURLY_WEEKEND : HOURLY_WEEKDAY)[local.getUTCHours()] ?? 1;
  const level = WEEKDAY_LEVEL[weekday] ?? 1;
  const growth = 1 + 0.002 * dayIndex;
  return ((sessionsPerDay * country.share) / 24) * profile * level * growth;
}

// --- audience mix ---------------------------------------------------------------------------------------

/** Organic (non-campaign-send) channel mix. */
export const CHANNELS = new Weighted<Channel>([
  ['google', 0.35],
  ['direct', 0.22],
  ['instagram', 0.14],
  ['facebook', 0.12],
  ['tiktok', 0.11],
  ['email', 0.06],
]);

export const CAMPAIGNS: Record<Channel, Weighted<string>> = {
  google: new Weighted([
    ['brand_search', 0.5],
    ['generic_search', 0.32],
    ['shopping_feed', 0.18],
  ]),
  direct: new Weighted([['', 1]]),
  instagram: new Weighted([
    ['ig_sale', 0.45],
    ['ig_stories', 0.55],
  ]),
  facebook: new Weighted([
    ['fb_retargeting', 0.6],
    ['fb_prospecting', 0.4],
  ]),
  tiktok: new Weighted([
    ['tt_creators', 0.6],
    ['tt_spark_ads', 0.4],
  ]),
  email: new Weighted([['welcome_flow', 1]]),
};

export const DEVICE_BY_CHANNEL: Record<Channel, Weighted<Device>> = {
  google: new Weighted<Device>([
    ['desktop', 0.44],
    ['mobile', 0.5],
    ['tablet', 0.06],
  ]),
  direct: new Weighted<Device>([
    ['desktop', 0.5],
    ['mobile', 0.44],
    ['tablet', 0.06],
  ]),
  instagram: new Weighted<Device>([
    ['desktop', 0.1],
    ['mobile', 0.86],
    ['tablet', 0.04],
  ]),
  facebook: new Weighted<Device>([
    ['desktop', 0.24],
    ['mobile', 0.7],
    ['tablet', 0.06],
  ]),
  tiktok: new Weighted<Device>([
    ['desktop', 0.06],
    ['mobile', 0.92],
    ['tablet', 0.02],
  ]),
  email: new Weighted<Device>([
    ['desktop', 0.36],
    ['mobile', 0.57],
    ['tablet', 0.07],
  ]),
};

const DESKTOP_OS = new Weighted<Os>([
  ['Windows', 0.62],
  ['macOS', 0.32],
  ['Linux', 0.06],
]);

export function sampleOs(rng: Random, device: Device, country: Country): Os {
  if (device === 'desktop') return DESKTOP_OS.sample(rng);
  const ios = device === 'tablet' ? Math.min(0.85, country.iosShare + 0.2) : country.iosShare;
  return rng.chance(ios) ? 'iOS' : 'Android';
}

export const BROWSER_BY_OS: Record<Os, Weighted<Browser>> = {
  Windows: new Weighted<Browser>([
    ['Chrome', 0.68],
    ['Edge', 0.22],
    ['Firefox', 0.1],
  ]),
  macOS: new Weighted<Browser>([
    ['Safari', 0.55],
    ['Chrome', 0.38],
    ['Firefox', 0.07],
  ]),
  Linux: new Weighted<Browser>([
    ['Chrome', 0.6],
    ['Firefox', 0.4],
  ]),
  iOS: new Weighted<Browser>([
    ['Safari', 0.86],
    ['Chrome', 0.14],
  ]),
  Android: new Weighted<Browser>([
    ['Chrome', 0.78],
    ['Samsung Internet', 0.17],
    ['Firefox', 0.05],
  ]),
};

// --- catalog ---------------------------------------------------------------------------------------------

export interface Product {
  id: string;
  category: Category;
  brand: string;
  /** In cents. */
  priceCents: number;
}

export const CATEGORY_MIX = new Weighted<Category>([
  ['apparel', 0.34],
  ['shoes', 0.2],
  ['accessories', 0.17],
  ['beauty', 0.16],
  ['home', 0.13],
]);

const PRICE_RANGE: Record<Category, [number, number]> = {
  apparel: [25, 90],
  shoes: [60, 160],
  accessories: [15, 70],
  beauty: [10, 50],
  home: [20, 120],
};

/** Three brands per category (fictional). */
const BRANDS: Record<Category, readonly string[]> = {
  apparel: ['Fernway', 'Loomline', 'Ardent'],
  shoes: ['Stridewell', 'Kelso', 'Paceline'],
  accessories: ['Tessel', 'Orbit', 'Mira'],
  beauty: ['Lumen', 'Verde', 'Solace'],
  home: ['Hearth', 'Nook', 'Alder'],
};

/** Relative add-to-cart propensity by category (beauty is an easy add, home is browsed). */
export const CATEGORY_ATC: Record<Category, number> = {
  apparel: 1.0,
  shoes: 0.9,
  accessories: 1.05,
  beauty: 1.25,
  home: 0.8,
};

export interface Catalog {
  products: readonly Product[];
  byCategory: Record<Category, Weighted<Product>>;
}

/** A fixed catalog of 240 SKUs (the same for every seed), with Zipf-like popularity inside a category. */
export function buildCatalog(): Catalog {
  const rng = new Random(deriveSeed(20261005, 99));
  const products: Product[] = [];
  const lists: Record<Category, Product[]> = {
    apparel: [],
    shoes: [],
    accessories: [],
    beauty: [],
    home: [],
  };
  for (let i = 0; i < 240; i++) {
    const category = CATEGORY_MIX.sample(rng);
    const [lo, hi] = PRICE_RANGE[category];
    const price = Math.exp(rng.uniform(Math.log(lo), Math.log(hi)));
    // Brands take turns down each category's list (no draw: the random sequence is the one without brands),
    // so the first brand of a category holds its most popular product.
    const brands = BRANDS[category];
    const brand = brands[lists[category].length % brands.length] as string;
    const product: Product = {
      id: `sku-${1000 + i}`,
      category,
      brand,
      priceCents: Math.round(price) * 100 - 1,
    };
    products.push(product);
    lists[category].push(product);
  }
  const weighted = (list: Product[]) => new Weighted(list.map((p, rank) => [p, 1 / Math.pow(rank + 1, 0.8)]));
  return {
    products,
    byCategory: {
      apparel: weighted(lists.apparel),
      shoes: weighted(lists.shoes),
      accessories: weighted(lists.accessories),
      beauty: weighted(lists.beauty),
      home: weighted(lists.home),
    },
  };
}

// --- funnel ----------------------------------------------------------------------------------------------

/** Base step rates of the session funnel; cohort multipliers below. Overall conversion comes out near 3 %. */
export const FUNNEL = {
  /** P(session views at least one product). */
  view: 0.64,
  /** P(add to cart | viewed). */
  addToCart: 0.125,
  /** P(begin checkout | cart). */
  checkout: 0.6,
  /** P(purchase | checkout). */
  purchase: 0.58,
};

export const DEVICE_EFFECT: Record<Device, { addToCart: number; checkout: number; purchase: number }> = {
  desktop: { addToCart: 1.2, checkout: 1.08, purchase: 1.12 },
  mobile: { addToCart: 0.9, checkout: 0.95, purchase: 0.93 },
  tablet: { addToCart: 1.05, checkout: 1.0, purchase: 1.0 },
};

export const CHANNEL_EFFECT: Record<Channel, { view: number; addToCart: number }> = {
  google: { view: 1.02, addToCart: 1.05 },
  direct: { view: 1.05, addToCart: 1.12 },
  instagram: { view: 0.98, addToCart: 0.9 },
  facebook: { view: 0.95, addToCart: 0.9 },
  tiktok: { view: 0.85, addToCart: 0.62 },
  email: { view: 1.1, addToCart: 1.3 },
};

export const BROWSER_PURCHASE: Record<Browser, number> = {
  Chrome: 1.0,
  Safari: 1.0,
  Firefox: 0.95,
  Edge: 1.0,
  'Samsung Internet': 0.9,
};

// --- people ----------------------------------------------------------------------------------------------

const FIRST_NAMES = (
  'jane john maria lukas emma noah olivia liam sofia mia lea paul chloe lucas anna jack ella max zoe leo ' +
  'ines tom sara finn nora hugo'
).split(' ');
const LAST_NAMES = (
  'doe smith mueller martin jansen brown garcia schmidt dubois wilson taylor bakker fischer moreau lopez ' +
  'nguyen johansson clarke weber bernard visser'
).split(' ');
const EMAIL_DOMAINS = ['example.com', 'example.org', 'example.net'];

/** A plausible (reserved-domain) address; never contains a comma or a quote. */
export function fakeEmail(rng: Random): string {
  const first = rng.pick(FIRST_NAMES);
  const last = rng.pick(LAST_NAMES);
  const sep = rng.chance(0.7) ? '.' : '_';
  return `${first}${sep}${last}${rng.int(1, 999)}@${rng.pick(EMAIL_DOMAINS)}`;
}
