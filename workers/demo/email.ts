/**
 * The hourly e-mail campaign table: each campaign is sent in throttled batches over a few hours; opens and
 * clicks follow each batch with a decaying tail over three days. Clicks also feed the clickstream (e-mail
 * sessions), so the two files tell one story.
 */
import { HOUR } from './model';
import type { Random } from './random';
import type { EmailCampaign, Scenario } from './scenario';
import { within } from './scenario';

export const EMAIL_HEADER = 'hour,campaign,sent,delivered,bounced,opens,clicks,unsubscribes';

export interface EmailRow {
  hour: number;
  campaign: string;
  sent: number;
  delivered: number;
  bounced: number;
  opens: number;
  clicks: number;
  unsubscribes: number;
}

const TAIL_HOURS = 72;

/** Share of a batch's opens that happen k hours after delivery: a fast decay plus a long tail. */
const RESPONSE_CURVE = (() => {
  const raw = Array.from({ length: TAIL_HOURS }, (_, k) => Math.exp(-k / 3) + 0.12 * Math.exp(-k / 24));
  const sum = raw.reduce((a, b) => a + b, 0);
  return raw.map((w) => w / sum);
})();

function campaignRows(rng: Random, scenario: Scenario, c: EmailCampaign): EmailRow[] {
  const lastHour = Math.min(scenario.end, c.sendStart + (c.sendHours + TAIL_HOURS) * HOUR);
  const hours = Math.max(0, Math.round((lastHour - c.sendStart) / HOUR));
  const delivered: number[] = new Array<number>(hours).fill(0);
  const rows: EmailRow[] = [];
  for (let h = 0; h < hours; h++) {
    const hour = c.sendStart + h * HOUR;
    let sent = 0;
    let bounced = 0;
    if (h < c.sendHours) {
      sent = Math.max(0, Math.round((c.listSize / c.sendHours) * (1 + 0.03 * rng.normal())));
      const spike = c.name === scenario.bounce.campaign && within(scenario.bounce, hour);
      bounced = rng.binomial(sent, spike ? scenario.bounce.rate : c.bounceRate);
    }
    delivered[h] = sent - bounced;
    let expectedOpens = 0;
    for (let s = 0; s <= Math.min(h, c.sendHours - 1); s++)
      expectedOpens += (delivered[s] ?? 0) * c.openRate * (RESPONSE_CURVE[h - s] ?? 0);
    const opens = rng.poisson(expectedOpens);
    const clicks = rng.binomial(opens, c.clickRate / c.openRate);
    const unsubscribes = rng.binomial(opens, c.unsubscribeRate / c.openRate);
    rows.push({
      hour,
      campaign: c.name,
      sent,
      delivered: sent - bounced,
      bounced,
      opens,
      clicks,
      unsubscribes,
    });
  }
  return rows;
}

/** All campaign rows, ordered by hour then campaign. */
export function simulateEmail(rng: Random, scenario: Scenario): EmailRow[] {
  const rows = scenario.campaigns.flatMap((c) => campaignRows(rng, scenario, c));
  const order = new Map(scenario.campaigns.map((c, i) => [c.name, i]));
  return rows.sort((a, b) => a.hour - b.hour || (order.get(a.campaign) ?? 0) - (order.get(b.campaign) ?? 0));
}

export function formatEmailHour(hour: number): string {
  return new Date(hour).toISOString().slice(0, 19) + 'Z';
}

export function emailCsv(rows: readonly EmailRow[]): string {
  const lines = rows.map(
    (r) =>
      `${formatEmailHour(r.hour)},${r.campaign},${r.sent},${r.delivered},${r.bounced},${r.opens},${r.clicks},${r.unsubscribes}`,
  );
  return [EMAIL_HEADER, ...lines].join('\n') + '\n';
}
