/** Alert rules, the alert inbox, digests and per-workspace playbooks (issue 7). */
import type { Cohort } from './explore';
import type { Incident, Severity } from './incidents';
import type { MaskingPolicy } from './reports';

/** A local time of day in the workspace's time zone, "HH:MM" (24-hour). */
export type ClockTime = string;

/**
 * Quiet hours: from `from` (inclusive) to `to` (exclusive), local time in the workspace's time zone. `from`
 * after `to` spans midnight (22:00–07:00). During them no desktop notification is shown; the inbox entry is
 * still created.
 */
export interface QuietHours {
  from: ClockTime;
  to: ClockTime;
}

export interface AlertRule {
  id: number;
  name: string;
  enabled: boolean;
  /** Incidents of this severity or worse match. */
  minSeverity: Severity;
  /** Metric names, or every metric. */
  metrics: 'all' | string[];
  /**
   * Cohort filters (dimension → value, all pairs must hold), any of which may match; or any cohort. An
   * incident matches a filter when its cohort, or one of the cohorts its attribution names, lies inside it:
   * the filter's cohort itself or a narrower one (os=iOS matches os=iOS · browser=Safari, not all traffic).
   */
  cohorts: 'any' | Cohort[];
  quietHours: QuietHours | null;
  /** ISO-8601 UTC. */
  createdAt: string;
  updatedAt: string;
}

/** What `alerts.saveRule` takes: a new rule without id, or an existing one with its id. */
export type AlertRuleInput = Omit<AlertRule, 'id' | 'createdAt' | 'updatedAt'> & { id?: number };

/** One inbox entry: a new incident that matched a rule after a detection run. */
export interface AlertEntry {
  id: number;
  incidentId: string;
  ruleId: number;
  /** The rule's name when the entry was made (the rule may have been renamed or deleted since). */
  ruleName: string;
  /** ISO-8601 UTC. */
  createdAt: string;
  read: boolean;
  /** The incident as it was found (the stored incident may be replaced by a later run). */
  incident: Incident;
}

export interface InboxQuery {
  /** Only unread entries. */
  unread?: boolean;
  /** Entries created in [from, to), epoch ms. */
  from?: number;
  to?: number;
  /** At most this many, newest first (default 500). */
  limit?: number;
}

export type DigestFormat = 'eml' | 'json';
export const DIGEST_FORMATS: readonly DigestFormat[] = ['eml', 'json'];

export interface DigestRequest {
  format: DigestFormat;
  /** Absolute path of the file to write. */
  out: string;
  /** The unread alerts (default), or the alerts created in a period (epoch ms, [from, to)). */
  period?: { from: number; to: number };
  /** The e-mail draft's From and To: placeholders the analyst sets; nothing is sent. */
  from?: string;
  to?: string;
  /** Marks the exported alerts as read once the file is written. */
  markRead?: boolean;
}

export interface DigestResult {
  format: DigestFormat;
  file: string;
  bytes: number;
  sha256: string;
  alerts: number;
  suppressedCohorts: number;
  redactedTexts: number;
  policy: MaskingPolicy;
}

/** Incident kinds the engine recognises, each with a playbook. */
export const PLAYBOOK_KINDS = [
  'payment_failure',
  'checkout_regression',
  'traffic_loss',
  'promo_failure',
  'out_of_stock',
  'fraud_filter',
  'bot_traffic',
  'email_delivery',
  'backend_slowdown',
  'campaign_effect',
  'other',
] as const;

export type PlaybookKind = (typeof PLAYBOOK_KINDS)[number];

/** A playbook as reports and the incident detail use it: the workspace's edited steps, or the built-in ones. */
export interface EffectivePlaybook {
  kind: PlaybookKind;
  title: string;
  /** One line for the executive summary. */
  action: string;
  steps: string[];
  builtInSteps: string[];
  /** The workspace has its own steps for this kind. */
  edited: boolean;
  /** ISO-8601 UTC of the last edit; null for the built-in steps. */
  updatedAt: string | null;
}

/** At most this many steps of at most this many characters each: a playbook is a short checklist. */
export const PLAYBOOK_LIMITS = { steps: 30, stepLength: 500 } as const;
