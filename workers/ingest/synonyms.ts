import type { ColumnRole } from '../../shared/ingest';

/** `Context.Device.Type` / `context-device-type` → `context_device_type`. */
export function normaliseColumnName(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

/**
 * Column-name synonyms per role, most specific first: when a file has several candidates for one role
 * (REES46 has both category_id and category_code) the earlier synonym wins.
 */
export const ROLE_SYNONYMS: { role: ColumnRole; names: string[] }[] = [
  {
    role: { role: 'time' },
    names: [
      'event_time',
      'event_timestamp',
      'timestamp',
      'original_timestamp',
      'occurred_at',
      'created_at',
      'order_time',
      'order_date',
      'datetime',
      'date_time',
      'time',
      'ts',
      'hour',
      'bucket',
      'date',
      'start',
      'start_time',
      'received_at',
      'sent_at',
    ],
  },
  { role: { role: 'end_time' }, names: ['end', 'end_time', 'ends_at', 'until'] },
  { role: { role: 'event' }, names: ['event_name', 'event_type', 'event', 'action'] },
  {
    role: { role: 'identifier', as: 'user' },
    names: [
      'user_id',
      'userid',
      'customer_id',
      'user_pseudo_id',
      'client_id',
      'visitor_id',
      'customer',
      'uid',
      'user',
    ],
  },
  { role: { role: 'identifier', as: 'anonymous_id' }, names: ['anonymous_id', 'anonymousid', 'device_id'] },
  {
    role: { role: 'identifier', as: 'session' },
    names: [
      'session_id',
      'user_session',
      'ga_session_id',
      'context_session_id',
      'properties_session_id',
      'session',
    ],
  },
  {
    role: { role: 'identifier', as: 'order' },
    names: ['order_id', 'transaction_id', 'orderid', 'order_number', 'properties_order_id', 'order'],
  },
  {
    role: { role: 'identifier', as: 'email' },
    names: ['email', 'e_mail', 'email_address', 'context_traits_email', 'traits_email', 'customer_email'],
  },
  { role: { role: 'identifier', as: 'phone' }, names: ['phone', 'phone_number', 'mobile', 'telephone'] },
  { role: { role: 'identifier', as: 'ip' }, names: ['ip', 'ip_address', 'context_ip', 'client_ip'] },
  {
    role: { role: 'dimension', as: 'device' },
    names: ['device', 'device_type', 'device_category', 'context_device_type'],
  },
  {
    role: { role: 'dimension', as: 'os' },
    names: ['os', 'operating_system', 'os_name', 'context_os_name', 'device_operating_system'],
  },
  {
    role: { role: 'dimension', as: 'browser' },
    names: ['browser', 'browser_name', 'context_browser_name', 'context_browser', 'device_web_info_browser'],
  },
  {
    role: { role: 'dimension', as: 'country' },
    names: ['country', 'country_code', 'geo_country', 'context_location_country'],
  },
  {
    role: { role: 'dimension', as: 'region' },
    names: ['region', 'state', 'geo_region', 'context_location_region', 'province'],
  },
  {
    role: { role: 'dimension', as: 'channel' },
    names: [
      'utm_source',
      'channel',
      'traffic_source',
      'traffic_source_source',
      'context_campaign_source',
      'source',
      'platform',
      'network',
      'utm_medium',
    ],
  },
  {
    role: { role: 'dimension', as: 'campaign' },
    names: ['utm_campaign', 'campaign', 'campaign_name', 'context_campaign_name', 'traffic_source_name'],
  },
  {
    role: { role: 'dimension', as: 'category' },
    names: ['category_code', 'category', 'product_category', 'category_name', 'properties_category'],
  },
  { role: { role: 'dimension', as: 'brand' }, names: ['brand', 'properties_brand'] },
  {
    role: { role: 'dimension', as: 'product' },
    names: ['product_id', 'sku', 'item_id', 'properties_product_id', 'properties_sku', 'product'],
  },
  { role: { role: 'value', as: 'price' }, names: ['price', 'unit_price', 'item_price', 'properties_price'] },
  {
    role: { role: 'value', as: 'quantity' },
    names: ['quantity', 'qty', 'items', 'item_count', 'num_items', 'properties_quantity'],
  },
  {
    role: { role: 'value', as: 'revenue' },
    names: [
      'revenue',
      'amount',
      'total',
      'order_total',
      'grand_total',
      'purchase_revenue',
      'properties_revenue',
      'properties_total',
      'value',
    ],
  },
  {
    role: { role: 'value', as: 'latency_ms' },
    names: ['latency_ms', 'checkout_latency_ms', 'latency', 'duration_ms', 'response_time_ms'],
  },
  { role: { role: 'annotation_kind' }, names: ['kind', 'annotation_type', 'annotation_kind'] },
  { role: { role: 'annotation_label' }, names: ['label', 'title', 'name', 'description'] },
  { role: { role: 'annotation_cohort' }, names: ['cohort', 'segment', 'scope'] },
  { role: { role: 'text' }, names: ['note', 'notes', 'comment', 'comments', 'message', 'details'] },
];

/** Measure columns that identify a pre-aggregated table and its preset. */
export const EMAIL_MEASURES = ['sent', 'delivered', 'bounced', 'opens', 'clicks', 'unsubscribes'];
export const SOCIAL_MEASURES = [
  'impressions',
  'engagements',
  'clicks',
  'reach',
  'likes',
  'shares',
  'comments',
];
