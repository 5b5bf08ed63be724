/**
 * The canonical event model every import is mapped onto. Event names from GA4-like and REES46-like exports
 * and Segment spec calls are normalised to these, so metrics are defined once.
 */
export const CANONICAL_EVENT_TYPES = [
  'page_view',
  'view_item',
  'add_to_cart',
  'remove_from_cart',
  'begin_checkout',
  'purchase',
  'identify',
  'error',
  'payment_failed',
] as const;

export type CanonicalEventType = (typeof CANONICAL_EVENT_TYPES)[number];

/** Cohort dimensions, stored dictionary-encoded; the order is the column order of the events table. */
export const DIMENSIONS = [
  'device',
  'os',
  'browser',
  'country',
  'region',
  'channel',
  'campaign',
  'category',
  'brand',
  'product',
] as const;

export type Dimension = (typeof DIMENSIONS)[number];

/** Dimensions that describe a visit (constant within a session); the others describe a product. */
export const SESSION_DIMENSIONS = [
  'device',
  'os',
  'browser',
  'country',
  'region',
  'channel',
  'campaign',
] as const;
export const PRODUCT_DIMENSIONS = ['category', 'brand', 'product'] as const;

/** Numeric value columns of an event. */
export const EVENT_VALUES = ['price', 'quantity', 'revenue', 'latency_ms'] as const;
export type EventValue = (typeof EVENT_VALUES)[number];

/** Identifiers: never stored raw; user/session/order become keyed pseudonyms, the rest are dropped. */
export const IDENTIFIER_ROLES = ['user', 'session', 'order', 'email', 'phone', 'ip', 'anonymous_id'] as const;
export type IdentifierRole = (typeof IDENTIFIER_ROLES)[number];

const EVENT_NAME_SYNONYMS: Record<string, CanonicalEventType> = {
  // GA4-like
  page_view: 'page_view',
  screen_view: 'page_view',
  view_item: 'view_item',
  view_item_list: 'view_item',
  add_to_cart: 'add_to_cart',
  remove_from_cart: 'remove_from_cart',
  begin_checkout: 'begin_checkout',
  purchase: 'purchase',
  // REES46-like
  view: 'view_item',
  cart: 'add_to_cart',
  // Segment / RudderStack e-commerce spec
  page: 'page_view',
  pageview: 'page_view',
  page_viewed: 'page_view',
  product_viewed: 'view_item',
  product_added: 'add_to_cart',
  product_removed: 'remove_from_cart',
  checkout_started: 'begin_checkout',
  order_completed: 'purchase',
  identify: 'identify',
  // backend signals
  error: 'error',
  exception: 'error',
  payment_failed: 'payment_failed',
  payment_failure: 'payment_failed',
  payment_declined: 'payment_failed',
};

/** `"Product Added"` → `product_added`; keeps unknown names readable and stable. */
export function slugEventName(raw: string): string {
  return raw
    .trim()
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

/** Canonical name of a raw event name; names outside the vocabulary are kept, slugged, as custom events. */
export function canonicalEventName(raw: string): string {
  const slug = slugEventName(raw);
  return EVENT_NAME_SYNONYMS[slug] ?? slug;
}
