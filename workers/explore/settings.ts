import { z } from 'zod';
import { FunnelscopeError } from '../../shared/errors';
import type { WorkspaceSettings } from '../../shared/explore';
import { BUILT_IN_METRICS } from '../../shared/metrics';
import { BUCKET_CHOICES_MINUTES } from '../metrics/cube';
import type { Db } from '../store/workspace';
import { getSetting, setSetting } from '../store/workspace';
import { metricCatalog } from './catalog';

/**
 * Workspace settings live in the `settings` table, one key per field. `time_zone` and `bucket_minutes` are
 * the keys the importer and the cube builder already read, so a change here takes effect there: a new
 * `bucket_minutes` differs from `cube_bucket_minutes` and makes the next cube build rebuild.
 */
const KEYS = {
  timeZone: 'time_zone',
  sensitivity: 'sensitivity',
  metricSensitivity: 'metric_sensitivity',
  bucketMinutes: 'bucket_minutes',
  reportMinUsers: 'report_min_users',
  notifications: 'notifications',
  currency: 'currency',
} as const satisfies Record<keyof WorkspaceSettings, string>;

export const DEFAULT_SETTINGS: Omit<WorkspaceSettings, 'timeZone'> = {
  sensitivity: 'medium',
  metricSensitivity: {},
  bucketMinutes: null,
  reportMinUsers: 10,
  notifications: true,
  currency: null,
};

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

function isCurrency(code: string): boolean {
  return /^[A-Z]{3}$/.test(code) && Intl.supportedValuesOf('currency').includes(code);
}

const CURRENCY = 'must be an ISO 4217 currency code such as EUR, USD or GBP, or null for none';

const sensitivity = z.enum(['low', 'medium', 'high'], { error: 'must be low, medium or high' });

const WHOLE_USERS = 'must be a whole number of users from 1 to 1,000,000';
const TIME_ZONE = 'must be an IANA time zone name such as Europe/Berlin or UTC';

const fields = {
  timeZone: z.string({ error: TIME_ZONE }).refine(isTimeZone, { error: TIME_ZONE }),
  sensitivity,
  metricSensitivity: z.record(z.string().regex(/^[a-z][a-z0-9_]*$/), sensitivity, {
    error: 'must map metric names to low, medium or high',
  }),
  bucketMinutes: z.union([z.literal([...BUCKET_CHOICES_MINUTES]), z.null()], {
    error: `must be one of ${BUCKET_CHOICES_MINUTES.join(', ')} (minutes) or null for automatic`,
  }),
  reportMinUsers: z
    .number({ error: WHOLE_USERS })
    .int({ error: WHOLE_USERS })
    .min(1, { error: WHOLE_USERS })
    .max(1_000_000, { error: WHOLE_USERS }),
  notifications: z.boolean({ error: 'must be true or false' }),
  currency: z.union([z.string().refine(isCurrency, { error: CURRENCY }), z.null()], { error: CURRENCY }),
};

const patchSchema = z
  .strictObject(fields, {
    error: (issue) => (issue.code === 'unrecognized_keys' ? undefined : 'must be an object'),
  })
  .partial();

/** A stored value that no longer parses (edited by hand, an older version) falls back to the default. */
function parsed<T>(raw: string | undefined, schema: z.ZodType<T>, fallback: T): T {
  if (raw === undefined) return fallback;
  try {
    const result = schema.safeParse(JSON.parse(raw));
    return result.success ? result.data : fallback;
  } catch {
    return fallback;
  }
}

export function readSettings(db: Db): WorkspaceSettings {
  const shape = fields;
  const bucket = Number(getSetting(db, KEYS.bucketMinutes));
  return {
    timeZone: getSetting(db, KEYS.timeZone) ?? 'UTC',
    sensitivity: parsed(getSetting(db, KEYS.sensitivity), shape.sensitivity, DEFAULT_SETTINGS.sensitivity),
    metricSensitivity: parsed(
      getSetting(db, KEYS.metricSensitivity),
      shape.metricSensitivity,
      DEFAULT_SETTINGS.metricSensitivity,
    ),
    // Stored as plain minutes (the cube builder reads it with Number()); anything else means automatic.
    bucketMinutes: (BUCKET_CHOICES_MINUTES as readonly number[]).includes(bucket)
      ? (bucket as WorkspaceSettings['bucketMinutes'])
      : null,
    reportMinUsers: parsed(
      getSetting(db, KEYS.reportMinUsers),
      shape.reportMinUsers,
      DEFAULT_SETTINGS.reportMinUsers,
    ),
    notifications: parsed(
      getSetting(db, KEYS.notifications),
      shape.notifications,
      DEFAULT_SETTINGS.notifications,
    ),
    currency: parsed(getSetting(db, KEYS.currency), shape.currency, DEFAULT_SETTINGS.currency),
  };
}

/** Validates a patch, naming each bad field with what is allowed. */
export function parseSettingsPatch(patch: unknown): Partial<WorkspaceSettings> {
  const result = patchSchema.safeParse(patch);
  if (result.success) return result.data as Partial<WorkspaceSettings>;
  const problems = result.error.issues.map((issue) => {
    if (issue.code === 'unrecognized_keys')
      return `unknown setting${issue.keys.length > 1 ? 's' : ''} ${issue.keys.join(', ')} (settings are ${Object.keys(KEYS).join(', ')})`;
    const field = issue.path.map(String).join('.');
    return field ? `${field} ${issue.message}` : `settings ${issue.message}`;
  });
  throw new FunnelscopeError('BAD_ARGUMENT', `Settings not saved: ${problems.join('; ')}.`, {
    problems,
  });
}

/** Overrides name built-in metrics or metrics of this workspace's tables, so a typo is not kept silently. */
function checkMetricNames(db: Db, names: string[]): void {
  if (names.length === 0) return;
  const known = new Set([...BUILT_IN_METRICS, ...metricCatalog(db)].map((m) => m.name));
  const unknown = names.filter((n) => !known.has(n));
  if (unknown.length > 0)
    throw new FunnelscopeError(
      'BAD_ARGUMENT',
      `Settings not saved: metricSensitivity names unknown metric${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')} (metrics are ${[...known].join(', ')}).`,
      { metrics: unknown },
    );
}

/** Applies a validated patch in one transaction and returns the settings as stored. */
export function updateSettings(db: Db, patch: unknown): WorkspaceSettings {
  const valid = parseSettingsPatch(patch);
  checkMetricNames(db, Object.keys(valid.metricSensitivity ?? {}));
  db.transaction(() => {
    for (const [field, value] of Object.entries(valid) as [keyof WorkspaceSettings, unknown][]) {
      if (value === undefined) continue;
      const key = KEYS[field];
      if (field === 'bucketMinutes') {
        if (value === null) db.prepare('DELETE FROM settings WHERE key = ?').run(key);
        else setSetting(db, key, String(value));
      } else if (field === 'timeZone') setSetting(db, key, String(value));
      else setSetting(db, key, JSON.stringify(value));
    }
  })();
  return readSettings(db);
}
