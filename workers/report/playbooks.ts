import type { PlaybookKind } from '../../shared/alerts';
import type { Incident } from '../../shared/incidents';

/**
 * Incident kinds the report recognises from the metric and direction (and a deploy near the onset), each
 * with its built-in checks and remediation. A workspace can replace the steps of a kind (playbook-store.ts).
 */
export type IncidentKind = PlaybookKind;

export interface Playbook {
  kind: IncidentKind;
  title: string;
  /** One line for the executive summary. */
  action: string;
  steps: string[];
}

const PLAYBOOKS: Record<IncidentKind, Omit<Playbook, 'kind'>> = {
  payment_failure: {
    title: 'Payment failure',
    action: 'Check the payment provider status and the last checkout deploy.',
    steps: [
      'Check the payment provider status page and its error codes for the affected cohort.',
      'Compare payment_failed events by browser, device and country: one method or issuer failing?',
      'Review the last checkout or payment-integration deploy; roll back if it coincides with the onset.',
      'Once fixed, watch checkout conversion return to its expected band.',
    ],
  },
  checkout_regression: {
    title: 'Checkout UX regression after a deploy',
    action: 'Review the deploy just before the onset and roll back the checkout change.',
    steps: [
      'Open the deploy annotated nearest to the onset and list its checkout changes.',
      'Reproduce the checkout on the affected device, OS and browser.',
      'Roll back or feature-flag the change; confirm conversion recovers.',
    ],
  },
  traffic_loss: {
    title: 'CDN or regional traffic loss',
    action: 'Check CDN, DNS and regional availability for the affected cohort.',
    steps: [
      'Check the CDN and DNS status for the affected region or country.',
      'Compare traffic by channel: a paid campaign paused or a tracking tag removed?',
      'Verify the tracking snippet still fires on every page template.',
    ],
  },
  promo_failure: {
    title: 'Promo-code failure',
    action: 'Verify the active promo codes apply at checkout.',
    steps: [
      'List the promos annotated around the onset and test each code at checkout.',
      'Check promo-code errors and the cart step of the funnel for the campaign cohort.',
      'Fix or extend the code; inform the campaign owner.',
    ],
  },
  out_of_stock: {
    title: 'Out of stock',
    action: 'Check stock levels of the affected category or product.',
    steps: [
      'Check inventory for the affected category, brand or product.',
      'Hide or replace out-of-stock items in campaigns and listings.',
    ],
  },
  fraud_filter: {
    title: 'Fraud filter over-blocking',
    action: 'Review fraud-filter rule changes and their block rate.',
    steps: [
      'Compare the fraud filter block rate before and during the incident.',
      'Review rule changes made near the onset; relax the over-blocking rule.',
    ],
  },
  bot_traffic: {
    title: 'Bot traffic',
    action: 'Filter bot traffic and confirm conversion without it.',
    steps: [
      'Look for sessions without views or carts from few countries or one browser.',
      'Add the pattern to the bot filter and re-run detection without it.',
    ],
  },
  email_delivery: {
    title: 'E-mail delivery problem',
    action: 'Check the sending domain reputation and the campaign content.',
    steps: [
      'Check bounces by campaign and the sending domain reputation.',
      'Review the list used and the unsubscribe link of the campaign.',
    ],
  },
  backend_slowdown: {
    title: 'Backend errors or slowdown',
    action: 'Check backend error logs and latency for the affected service.',
    steps: [
      'Check error logs and latency dashboards for the checkout and product services.',
      'Correlate with deploys and infrastructure changes around the onset.',
    ],
  },
  campaign_effect: {
    title: 'Campaign or promo effect',
    action: 'Expected from a campaign or promo: confirm conversion held up; no fix needed otherwise.',
    steps: [
      'Check that the change lines up with the campaign send or promo annotated for this cohort.',
      'Compare conversion and order value of the campaign traffic with the usual traffic.',
      'Mark the incident as expected so that detection learns the pattern.',
    ],
  },
  other: {
    title: 'Unclassified change',
    action: 'Investigate the affected cohort in the explorer.',
    steps: [
      'Break the metric down by each dimension in the incident window.',
      'Check deploys, promos and campaigns around the onset.',
    ],
  },
};

/** The kind of an incident: its metric and direction, and whether a deploy preceded it. */
export function incidentKind(
  incident: Pick<Incident, 'metric' | 'direction' | 'cohort' | 'expected'>,
  deployNear = false,
): IncidentKind {
  const { metric, direction } = incident;
  const cohortDims = Object.keys(incident.cohort);
  // More traffic in a campaign's cohort, or any change inside an annotated promo or campaign, is its effect.
  if (incident.expected || (direction === 'up' && cohortDims.includes('campaign') && metric === 'sessions'))
    return 'campaign_effect';
  if (metric === 'payment_failures' && direction === 'up') return 'payment_failure';
  if (metric === 'checkout_conversion' && direction === 'down')
    return deployNear ? 'checkout_regression' : 'payment_failure';
  if ((metric === 'begin_checkout_rate' || metric === 'conversion_rate') && direction === 'down')
    return deployNear ? 'checkout_regression' : 'fraud_filter';
  if (metric === 'add_to_cart_rate' && direction === 'down')
    return cohortDims.some((d) => ['category', 'brand', 'product'].includes(d))
      ? 'out_of_stock'
      : 'promo_failure';
  if ((metric === 'sessions' || metric === 'page_views') && direction === 'down') return 'traffic_loss';
  if ((metric === 'sessions' || metric === 'page_views') && direction === 'up') return 'bot_traffic';
  if ((metric === 'orders' || metric === 'revenue' || metric === 'aov') && direction === 'down')
    return cohortDims.includes('campaign') ? 'promo_failure' : 'payment_failure';
  if (['bounce_rate', 'open_rate', 'click_rate', 'unsubscribe_rate'].includes(metric))
    return 'email_delivery';
  if (metric === 'errors' || metric === 'checkout_latency_ms') return 'backend_slowdown';
  return 'other';
}

/** The built-in playbook of a kind, as shipped. */
export function playbookFor(kind: IncidentKind): Playbook {
  return { kind, ...PLAYBOOKS[kind] };
}
