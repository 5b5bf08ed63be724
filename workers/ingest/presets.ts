import type { Shape } from '../../shared/ingest';
import { EMAIL_MEASURES, SOCIAL_MEASURES } from './synonyms';

export interface Preset {
  name: string;
  shape: Shape;
  description: string;
  /** Recognises the preset from normalised column names. */
  matches(columns: Set<string>): boolean;
  revenueFromPrice?: boolean;
}

const hasAny = (columns: Set<string>, names: string[]) => names.some((n) => columns.has(n));
const countOf = (columns: Set<string>, names: string[]) => names.filter((n) => columns.has(n)).length;
const TIME = [
  'event_time',
  'event_timestamp',
  'timestamp',
  'time',
  'ts',
  'hour',
  'date',
  'datetime',
  'created_at',
];
const EVENT = ['event_name', 'event_type', 'event', 'action'];
const ORDER = ['order_id', 'transaction_id', 'orderid', 'order_number'];
const AMOUNT = ['revenue', 'amount', 'total', 'order_total', 'grand_total'];

/** In detection order: the first preset that matches the header wins. */
export const PRESETS: readonly Preset[] = [
  {
    name: 'segment',
    shape: 'segment',
    description: 'Segment / RudderStack spec calls (track, page, identify) in JSON Lines',
    matches: (c) =>
      c.has('type') &&
      (c.has('event') || [...c].some((n) => n.startsWith('context_') || n.startsWith('properties_'))),
  },
  {
    name: 'annotations',
    shape: 'annotations',
    description:
      'Deploys, promos, incidents and campaigns: start, optional end, kind, label, optional cohort',
    matches: (c) =>
      c.has('kind') &&
      hasAny(c, ['label', 'title', 'name', 'description']) &&
      hasAny(c, ['start', 'start_time', 'time', 'timestamp']),
  },
  {
    name: 'email-campaigns',
    shape: 'metric_table',
    description:
      'E-mail campaign performance per time bucket: sent, delivered, bounced, opens, clicks, unsubscribes',
    matches: (c) => countOf(c, EMAIL_MEASURES) >= 3 && !hasAny(c, EVENT),
  },
  {
    name: 'social-engagement',
    shape: 'metric_table',
    description: 'Social engagement per time bucket: impressions, engagements, clicks',
    matches: (c) =>
      hasAny(c, ['impressions', 'engagements']) && countOf(c, SOCIAL_MEASURES) >= 2 && !hasAny(c, EVENT),
  },
  {
    name: 'rees46',
    shape: 'clickstream',
    description:
      'REES46-like clickstream (event_time, event_type view/cart/remove_from_cart/purchase, user_session)',
    matches: (c) => c.has('event_time') && c.has('event_type') && c.has('user_session'),
    revenueFromPrice: true,
  },
  {
    name: 'ga4',
    shape: 'clickstream',
    description: 'GA4-like flat export (event_name page_view/view_item/add_to_cart/begin_checkout/purchase)',
    matches: (c) => c.has('event_name') && hasAny(c, ['user_pseudo_id', 'event_timestamp', 'ga_session_id']),
  },
  {
    name: 'clickstream',
    shape: 'clickstream',
    description:
      'Flat clickstream, one row per event: time, event type, user, session, device, OS, browser, …',
    matches: (c) => hasAny(c, EVENT) && hasAny(c, TIME),
    revenueFromPrice: true,
  },
  {
    name: 'orders',
    shape: 'orders',
    description: 'Transaction / order export: order id, time, customer, amount, items, country, channel',
    matches: (c) => hasAny(c, ORDER) && hasAny(c, AMOUNT) && !hasAny(c, EVENT),
  },
  {
    name: 'metric-table',
    shape: 'metric_table',
    description: 'Any pre-aggregated table: one row per time bucket and cohort with count or sum columns',
    matches: (c) => hasAny(c, TIME) && !hasAny(c, EVENT) && !hasAny(c, ORDER),
  },
];

export function presetByName(name: string): Preset | undefined {
  return PRESETS.find((p) => p.name === name);
}
