import { canonicalEventName, DIMENSIONS, type Dimension, type EventValue } from '../../shared/events';
import type { ColumnRole, Mapping } from '../../shared/ingest';
import { BatchInsert, type RowSink } from '../store/batch-insert';
import type { PseudonymKeys } from '../store/dictionary';
import type { Db } from '../store/workspace';
import { redactText } from '../mask/pii';
import type { OpenedFile } from './read/types';

/** Ids of strings (dimension values, event types, measures): the workspace's, or an encode worker's local ones. */
export interface IdSource {
  forDimension(dim: string): (value: string) => number;
  id(dim: string, value: string): number;
}

export interface EncodeContext {
  db: Db;
  sourceId: number;
  file: OpenedFile;
  mapping: Mapping;
  dictionary: IdSource;
  /** Where encoded event rows go; by default straight into the events table. */
  eventSink?: (columns: string[]) => RowSink;
  keys: PseudonymKeys;
  pseudonymise: (kind: string, value: string) => string;
  parseTime: (raw: unknown) => number | null;
  /** Dimension columns whose values looked like PII: stored as pseudonyms unless kept plain on purpose. */
  maskedColumns: Set<string>;
}

/** Turns one record into stored rows; returns a rejection reason, or null when the record was stored. */
export interface RowEncoder {
  encode(record: unknown): string | null;
  flush(): void;
  readonly rowsStored: number;
  readonly timeFrom: number;
  readonly timeTo: number;
}

type Getter = (record: unknown) => unknown;

/** Reads one dimension of a record as its dictionary id (null when empty). */
interface DimensionGetter {
  index: number;
  id: (record: unknown) => number | null;
}

function text(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value.trim();
  return String(value);
}

/** Numbers: empty is missing (null), anything else must parse. */
function numberOrReason(value: unknown, column: string): number | null | string {
  if (value === null || value === undefined || value === '') return null;
  if (typeof value === 'number') return Number.isFinite(value) ? value : `${column} is not a finite number`;
  if (typeof value === 'bigint') return Number(value);
  const s = String(value).trim();
  if (s === '') return null;
  const n = Number(s);
  return Number.isFinite(n) ? n : `${column} "${s.slice(0, 40)}" is not a number`;
}

function columnsWithRole(mapping: Mapping, predicate: (role: ColumnRole) => boolean): string[] {
  return Object.entries(mapping.columns)
    .filter(([, role]) => predicate(role))
    .map(([column]) => column);
}

function firstColumn(mapping: Mapping, predicate: (role: ColumnRole) => boolean): string | undefined {
  return columnsWithRole(mapping, predicate)[0];
}

abstract class TimedEncoder {
  timeFrom = Number.POSITIVE_INFINITY;
  timeTo = Number.NEGATIVE_INFINITY;
  protected readonly getTime: Getter;
  protected readonly timeColumn: string;

  constructor(protected readonly ctx: EncodeContext) {
    this.timeColumn = firstColumn(ctx.mapping, (r) => r.role === 'time') as string;
    this.getTime = ctx.file.accessor(this.timeColumn);
  }

  /** Epoch ms, or a rejection reason. */
  protected time(record: unknown): number | string {
    const raw = this.getTime(record);
    const ts = this.ctx.parseTime(raw);
    if (ts === null) {
      const shown = text(raw);
      return shown === ''
        ? `missing ${this.timeColumn}`
        : `${this.timeColumn} "${shown.slice(0, 40)}" is not a time`;
    }
    if (ts < this.timeFrom) this.timeFrom = ts;
    if (ts > this.timeTo) this.timeTo = ts;
    return ts;
  }

  protected dimensionGetters(): DimensionGetter[] {
    const out: DimensionGetter[] = [];
    for (const [column, role] of Object.entries(this.ctx.mapping.columns)) {
      if (role.role !== 'dimension') continue;
      const get = this.ctx.file.accessor(column);
      const lookup = this.ctx.dictionary.forDimension(role.as);
      const dim: Dimension = role.as;
      const masked = this.ctx.maskedColumns.has(column);
      const pseudonymise = this.ctx.pseudonymise;
      // Rows of one session sit together in exports, so the previous row's value is the likeliest.
      let lastValue = '';
      let lastId: number | null = null;
      out.push({
        index: DIMENSIONS.indexOf(role.as),
        id: (record) => {
          const value = text(get(record));
          if (value === '') return null;
          if (value === lastValue) return lastId;
          lastValue = value;
          lastId = lookup(masked ? pseudonymise(`dim:${dim}`, value) : value);
          return lastId;
        },
      });
    }
    return out;
  }
}

const SEGMENT_CALL_EVENTS: Record<string, string> = {
  page: 'page_view',
  screen: 'page_view',
  identify: 'identify',
};

interface ValueSlot {
  slot: number;
  get: Getter;
  column: string;
}

/**
 * Clickstream, Segment calls and orders all become rows of `events`. Only the columns the mapping fills are
 * bound (the others default to NULL, and source_id is a literal): binding is most of the insert cost.
 */
export class EventEncoder extends TimedEncoder implements RowEncoder {
  private readonly insert: RowSink;
  private readonly getEvent: Getter | undefined;
  private readonly getCallType: Getter | undefined;
  private readonly userGetters: Getter[];
  private readonly keySlots: { slot: number; get: Getter; key: (raw: string) => number }[] = [];
  private readonly userSlot: number;
  private readonly dimSlots: { slot: number; id: (record: unknown) => number | null }[];
  private readonly values: ValueSlot[] = [];
  private readonly eventIds = new Map<string, number>();
  private readonly fixedEventId: number | undefined;
  private readonly purchaseId: number;
  private readonly priceSlot: number;
  private readonly quantitySlot: number;
  /** Where revenue derived from price × quantity goes, for exports without a revenue column; -1 if none. */
  private readonly derivedRevenueSlot: number;

  constructor(ctx: EncodeContext) {
    super(ctx);
    const { mapping, file } = ctx;
    const columns: string[] = ['ts', 'type_id'];
    const idColumn = (as: string) => firstColumn(mapping, (r) => r.role === 'identifier' && r.as === as);
    // A user is known by the first of these that the row carries.
    this.userGetters = ['user', 'anonymous_id', 'email']
      .map(idColumn)
      .filter((c): c is string => c !== undefined)
      .map((c) => file.accessor(c));
    this.userSlot = this.userGetters.length > 0 ? columns.push('user_key') - 1 : -1;
    this.userKey = ctx.keys.forKind('user');
    for (const kind of ['session', 'order'] as const) {
      const column = idColumn(kind);
      if (column)
        this.keySlots.push({
          slot: columns.push(`${kind}_key`) - 1,
          get: file.accessor(column),
          key: ctx.keys.forKind(kind),
        });
    }
    this.dimSlots = this.dimensionGetters().map((d) => ({
      slot: columns.push(DIMENSIONS[d.index] as string) - 1,
      id: d.id,
    }));
    for (const [column, role] of Object.entries(mapping.columns))
      if (role.role === 'value' && !columns.includes(role.as))
        this.values.push({ slot: columns.push(role.as) - 1, get: file.accessor(column), column });
    const slotOf = (name: EventValue) => columns.indexOf(name);
    this.priceSlot = slotOf('price');
    this.quantitySlot = slotOf('quantity');
    this.derivedRevenueSlot =
      mapping.revenueFromPrice && slotOf('revenue') < 0 && this.priceSlot >= 0
        ? columns.push('revenue') - 1
        : -1;
    this.columns = columns;
    this.insert = ctx.eventSink
      ? ctx.eventSink(columns)
      : new BatchInsert(ctx.db, 'events', columns, { source_id: ctx.sourceId });

    const eventColumn = firstColumn(mapping, (r) => r.role === 'event');
    this.getEvent = eventColumn ? file.accessor(eventColumn) : undefined;
    const callColumn = firstColumn(mapping, (r) => r.role === 'call_type');
    this.getCallType = callColumn ? file.accessor(callColumn) : undefined;
    this.purchaseId = ctx.dictionary.id('event_type', 'purchase');
    // An orders export has no event column: every row is a purchase.
    this.fixedEventId = mapping.shape === 'orders' ? this.purchaseId : undefined;
  }

  private readonly userKey: (raw: string) => number;
  /** The events columns this encoder fills, in buffer order. */
  readonly columns: string[];

  private eventId(raw: string): number {
    let id = this.eventIds.get(raw);
    if (id === undefined) {
      const custom = this.ctx.mapping.eventNames?.[raw];
      id = this.ctx.dictionary.id('event_type', custom ?? canonicalEventName(raw));
      this.eventIds.set(raw, id);
    }
    return id;
  }

  encode(record: unknown): string | null {
    const ts = this.time(record);
    if (typeof ts === 'string') return ts;
    let typeId = this.fixedEventId;
    if (typeId === undefined) {
      let name = this.getEvent ? text(this.getEvent(record)) : '';
      if (name === '' && this.getCallType) {
        const call = text(this.getCallType(record)).toLowerCase();
        name = SEGMENT_CALL_EVENTS[call] ?? '';
      }
      if (name === '') return 'missing event name';
      typeId = this.eventId(name);
    }
    const p = this.insert.buffer;
    const o = this.insert.offset;
    // Values first: a bad number rejects the row before the row is committed to the buffer.
    for (const value of this.values) {
      const n = numberOrReason(value.get(record), value.column);
      if (typeof n === 'string') return n;
      p[o + value.slot] = n;
    }
    p[o] = ts;
    p[o + 1] = typeId;
    if (this.userSlot >= 0) {
      let user = '';
      for (const get of this.userGetters) {
        user = text(get(record));
        if (user !== '') break;
      }
      p[o + this.userSlot] = user === '' ? null : this.userKey(user);
    }
    for (const k of this.keySlots) {
      const raw = text(k.get(record));
      p[o + k.slot] = raw === '' ? null : k.key(raw);
    }
    for (const d of this.dimSlots) p[o + d.slot] = d.id(record);
    if (this.derivedRevenueSlot >= 0) {
      const price = p[o + this.priceSlot];
      const quantity = this.quantitySlot >= 0 ? p[o + this.quantitySlot] : null;
      p[o + this.derivedRevenueSlot] =
        typeId === this.purchaseId && typeof price === 'number'
          ? price * (typeof quantity === 'number' ? quantity : 1)
          : null;
    }
    this.insert.commitRow();
    return null;
  }

  flush(): void {
    this.insert.flush();
  }

  get rowsStored(): number {
    return this.insert.rowsWritten;
  }
}

const METRIC_COLUMNS = ['ts', 'measure_id', ...DIMENSIONS, 'value'] as const;

/** A pre-aggregated table: one stored row per (input row × measure); an empty cell is missing data, not zero. */
export class MetricEncoder extends TimedEncoder implements RowEncoder {
  private readonly insert: BatchInsert;
  private readonly dims;
  private readonly measures: { id: number; get: Getter; column: string }[];
  private readonly dimIds = new Array<number | null>(DIMENSIONS.length);
  private readonly numbers: (number | null)[];

  constructor(ctx: EncodeContext) {
    super(ctx);
    this.insert = new BatchInsert(ctx.db, 'metric_values', METRIC_COLUMNS, { source_id: ctx.sourceId });
    this.dims = this.dimensionGetters();
    this.measures = Object.entries(ctx.mapping.columns).flatMap(([column, role]) =>
      role.role === 'measure'
        ? [{ id: ctx.dictionary.id('measure', role.as), get: ctx.file.accessor(column), column }]
        : [],
    );
    this.numbers = new Array(this.measures.length);
  }

  encode(record: unknown): string | null {
    const ts = this.time(record);
    if (typeof ts === 'string') return ts;
    for (let m = 0; m < this.measures.length; m++) {
      const measure = this.measures[m] as (typeof this.measures)[number];
      const n = numberOrReason(measure.get(record), measure.column);
      if (typeof n === 'string') return n;
      this.numbers[m] = n;
    }
    this.dimIds.fill(null);
    for (const d of this.dims) this.dimIds[d.index] = d.id(record);
    for (let m = 0; m < this.measures.length; m++) {
      const value = this.numbers[m];
      if (value === null || value === undefined) continue;
      const p = this.insert.buffer;
      const o = this.insert.offset;
      p[o] = ts;
      p[o + 1] = (this.measures[m] as (typeof this.measures)[number]).id;
      for (let i = 0; i < DIMENSIONS.length; i++) p[o + 2 + i] = this.dimIds[i];
      p[o + 2 + DIMENSIONS.length] = value;
      this.insert.commitRow();
    }
    return null;
  }

  flush(): void {
    this.insert.flush();
  }

  get rowsStored(): number {
    return this.insert.rowsWritten;
  }
}

const COHORT_PATTERN = /^\s*[a-z_]+\s*=\s*[^&=]+(\s*&\s*[a-z_]+\s*=\s*[^&=]+)*\s*$/i;

/** Deploys, promos, incidents and campaigns. Labels are free text and are redacted. */
export class AnnotationEncoder extends TimedEncoder implements RowEncoder {
  private readonly insert;
  private readonly getEnd: Getter | undefined;
  private readonly getKind: Getter;
  private readonly getLabel: Getter;
  private readonly getCohort: Getter | undefined;
  private stored = 0;

  constructor(ctx: EncodeContext) {
    super(ctx);
    const { mapping, file } = ctx;
    this.insert = ctx.db.prepare(
      'INSERT INTO annotations (source_id, start_ts, end_ts, kind, label, cohort) VALUES (?, ?, ?, ?, ?, ?)',
    );
    const column = (role: ColumnRole['role']) => firstColumn(mapping, (r) => r.role === role);
    const endColumn = column('end_time');
    this.getEnd = endColumn ? file.accessor(endColumn) : undefined;
    this.getKind = file.accessor(column('annotation_kind') as string);
    this.getLabel = file.accessor(column('annotation_label') as string);
    const cohortColumn = column('annotation_cohort');
    this.getCohort = cohortColumn ? file.accessor(cohortColumn) : undefined;
  }

  encode(record: unknown): string | null {
    const start = this.time(record);
    if (typeof start === 'string') return start;
    let end: number | null = null;
    const rawEnd = this.getEnd ? text(this.getEnd(record)) : '';
    if (rawEnd !== '') {
      end = this.ctx.parseTime(rawEnd);
      if (end === null) return `end "${rawEnd.slice(0, 40)}" is not a time`;
      if (end < start) return 'end is before start';
    }
    const kind = text(this.getKind(record)).toLowerCase();
    if (kind === '') return 'missing kind';
    const label = redactText(text(this.getLabel(record)));
    if (label === '') return 'missing label';
    const cohort = this.getCohort ? text(this.getCohort(record)) : '';
    if (cohort !== '' && !COHORT_PATTERN.test(cohort))
      return `cohort "${cohort.slice(0, 60)}" is not written as dim=value&dim=value`;
    this.insert.run(this.ctx.sourceId, start, end, kind, label, redactText(cohort.replace(/\s+/g, '')));
    this.stored++;
    return null;
  }

  flush(): void {}

  get rowsStored(): number {
    return this.stored;
  }
}

export function createEncoder(ctx: EncodeContext): RowEncoder {
  switch (ctx.mapping.shape) {
    case 'metric_table':
      return new MetricEncoder(ctx);
    case 'annotations':
      return new AnnotationEncoder(ctx);
    default:
      return new EventEncoder(ctx);
  }
}
