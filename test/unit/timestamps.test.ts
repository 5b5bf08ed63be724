import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FunnelscopeError } from '../../shared/errors';
import { assertTimeZone, detectTimeFormat, makeTimeParser } from '../../workers/ingest/timestamps';

// Hand-computed reference instants (epoch ms, UTC).
const OCT_1_2019 = 1_569_888_000_000; // 2019-10-01T00:00:00Z
const OCT_27_2019 = 1_572_134_400_000; // 2019-10-27T00:00:00Z (Berlin clocks go back at 01:00Z)
const MAR_31_2019 = 1_553_990_400_000; // 2019-03-31T00:00:00Z (Berlin clocks go forward at 01:00Z)
const MAR_10_2019 = 1_552_176_000_000; // 2019-03-10T00:00:00Z (New York forward at 07:00Z)
const NOV_3_2019 = 1_572_739_200_000; // 2019-11-03T00:00:00Z (New York back at 06:00Z)
const H = 3_600_000;
const M = 60_000;

describe('makeTimeParser iso', () => {
  const utc = makeTimeParser('iso', 'UTC');
  const berlin = makeTimeParser('iso', 'Europe/Berlin');
  const newYork = makeTimeParser('iso', 'America/New_York');

  it('reads strings that carry an offset, whatever the zone', () => {
    for (const parse of [utc, berlin, newYork]) {
      assert.equal(parse('2019-10-01 00:00:00 UTC'), OCT_1_2019);
      assert.equal(parse('2019-10-01T00:00:00Z'), OCT_1_2019);
      assert.equal(parse('2019-10-01T00:00:00z'), OCT_1_2019);
      assert.equal(parse('2019-10-01 00:00:00 GMT'), OCT_1_2019);
      assert.equal(parse('2019-10-01T00:00:00.123Z'), OCT_1_2019 + 123);
      assert.equal(parse('2019-10-01T00:00:00+02:00'), OCT_1_2019 - 2 * H);
      assert.equal(parse('2019-10-01T00:00:00+0200'), OCT_1_2019 - 2 * H);
      assert.equal(parse('2019-10-01T00:00:00+02'), OCT_1_2019 - 2 * H);
      assert.equal(parse('2019-10-01T00:00:00-05:30'), OCT_1_2019 + 5 * H + 30 * M);
      assert.equal(parse('2019-10-01 00:00:00 +0000'), OCT_1_2019);
      assert.equal(parse('2019-10-01T00:00Z'), OCT_1_2019);
      assert.equal(parse('2019-10-01T00:00+02:00'), OCT_1_2019 - 2 * H);
      assert.equal(parse('2019-10-01T00:00:00.123+02:00'), OCT_1_2019 - 2 * H + 123);
      assert.equal(parse('  2019-10-01T00:00:00Z \n'), OCT_1_2019);
    }
  });

  it('keeps fractional seconds up to 9 digits, rounding down to the millisecond', () => {
    assert.equal(utc('2019-10-01T00:00:00.1Z'), OCT_1_2019 + 100);
    assert.equal(utc('2019-10-01T00:00:00.12Z'), OCT_1_2019 + 120);
    assert.equal(utc('2019-10-01T00:00:00,5Z'), OCT_1_2019 + 500);
    assert.equal(utc('2019-10-01 12:34:56.123456 UTC'), OCT_1_2019 + 12 * H + 34 * M + 56_000 + 123);
    assert.equal(utc('2019-10-01T00:00:00.999999999Z'), OCT_1_2019 + 999);
    assert.equal(utc('2019-10-01T00:00:00.1234567890Z'), null);
  });

  it('reads naive times, date-only and minute precision in the given zone', () => {
    assert.equal(utc('2019-10-01 00:00:00'), OCT_1_2019);
    assert.equal(utc('2019-10-01'), OCT_1_2019);
    assert.equal(utc('2019-10-01T00:00'), OCT_1_2019);
    assert.equal(berlin('2019-10-01 00:00:00'), OCT_1_2019 - 2 * H); // CEST
    assert.equal(berlin('2019-10-01'), OCT_1_2019 - 2 * H);
    assert.equal(berlin('2019-10-01T00:00'), OCT_1_2019 - 2 * H);
    assert.equal(berlin('2019-12-24 18:00:00'), 1_577_206_800_000); // CET: 17:00Z
    assert.equal(newYork('2019-10-01 00:00:00'), OCT_1_2019 + 4 * H); // EDT
    assert.equal(newYork('2019-12-24 18:00:00'), 1_577_228_400_000); // EST: 23:00Z
  });

  it('Europe/Berlin autumn fold: the repeated hour resolves to its first occurrence', () => {
    assert.equal(berlin('2019-10-27 01:59:59'), OCT_27_2019 - 1000); // 23:59:59Z, CEST
    assert.equal(berlin('2019-10-27 02:00:00'), OCT_27_2019); // first 02:00 is 00:00Z
    assert.equal(berlin('2019-10-27 02:30:00'), OCT_27_2019 + 30 * M); // 00:30Z, not 01:30Z
    assert.equal(berlin('2019-10-27 02:59:59.999'), OCT_27_2019 + H - 1);
    assert.equal(berlin('2019-10-27 03:00:00'), OCT_27_2019 + 2 * H); // CET
    assert.equal(berlin('2019-10-27 03:30:00'), OCT_27_2019 + 2 * H + 30 * M);
  });

  it('Europe/Berlin spring gap: a skipped time moves forward by the gap', () => {
    assert.equal(berlin('2019-03-31 01:59:59'), MAR_31_2019 + H - 1000); // CET
    assert.equal(berlin('2019-03-31 02:00:00'), MAR_31_2019 + H); // = 03:00 CEST
    assert.equal(berlin('2019-03-31 02:30:00'), MAR_31_2019 + H + 30 * M); // = 03:30 CEST
    assert.equal(berlin('2019-03-31 03:30:00'), MAR_31_2019 + H + 30 * M);
    assert.equal(berlin('2019-03-31 04:00:00'), MAR_31_2019 + 2 * H);
  });

  it('America/New_York spring gap and autumn fold', () => {
    assert.equal(newYork('2019-03-10 01:30:00'), MAR_10_2019 + 6 * H + 30 * M); // EST
    assert.equal(newYork('2019-03-10 02:30:00'), MAR_10_2019 + 7 * H + 30 * M); // gap → 03:30 EDT
    assert.equal(newYork('2019-03-10 03:30:00'), MAR_10_2019 + 7 * H + 30 * M); // EDT
    assert.equal(newYork('2019-11-03 00:30:00'), NOV_3_2019 + 4 * H + 30 * M); // EDT
    assert.equal(newYork('2019-11-03 01:30:00'), NOV_3_2019 + 5 * H + 30 * M); // fold → first (EDT)
    assert.equal(newYork('2019-11-03 02:30:00'), NOV_3_2019 + 7 * H + 30 * M); // EST
  });

  it('a zone with a 30-minute DST shift (Australia/Lord_Howe) switches at the right minute', () => {
    const lordHowe = makeTimeParser('iso', 'Australia/Lord_Howe');
    // 2019-10-06 02:00 local (+10:30) jumps to 02:30 (+11:00); the switch is 2019-10-05T15:30:00Z.
    const switchAt = Date.UTC(2019, 9, 5, 15, 30);
    assert.equal(lordHowe('2019-10-06 01:59:00'), switchAt - M);
    assert.equal(lordHowe('2019-10-06 02:10:00'), switchAt + 10 * M); // gap: +30 min → 02:40 (+11:00)
    assert.equal(lordHowe('2019-10-06 02:30:00'), switchAt);
    assert.equal(lordHowe('2019-10-06 02:45:00'), switchAt + 15 * M);
  });

  it('round-trips random Berlin wall times formatted by Intl (folds resolve to the first occurrence)', () => {
    const fmt = new Intl.DateTimeFormat('en-CA', {
      timeZone: 'Europe/Berlin',
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    let seed = 42;
    const next = () => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
    const from = Date.UTC(1990, 0, 1);
    const span = Date.UTC(2035, 0, 1) - from;
    for (let k = 0; k < 2000; k++) {
      const instant = from + Math.floor((next() * span) / 1000) * 1000;
      const wall = fmt.format(new Date(instant)).replace(', ', ' ');
      // A wall time that occurs twice (the autumn fold) resolves to its first occurrence.
      const repeated = fmt.format(new Date(instant - H)).replace(', ', ' ') === wall;
      assert.equal(
        berlin(wall),
        repeated ? instant - H : instant,
        `${wall} from ${new Date(instant).toISOString()}`,
      );
    }
  });

  it('agrees with Date.parse for random UTC strings between 1900 and 2100', () => {
    let seed = 7;
    const next = () => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
    const from = Date.UTC(1900, 0, 1);
    const span = Date.UTC(2100, 0, 1) - from;
    for (let k = 0; k < 5000; k++) {
      const iso = new Date(from + Math.floor(next() * span)).toISOString();
      assert.equal(utc(iso), Date.parse(iso), iso);
      assert.equal(berlin(iso.replace('T', ' ').replace('Z', ' UTC')), Date.parse(iso), iso);
    }
  });

  it('returns null for empty, garbage and impossible values', () => {
    for (const bad of [
      null,
      undefined,
      '',
      '   ',
      'garbage',
      '2019-02-30',
      '2019-02-29 00:00:00',
      '2019-13-01',
      '2019-00-10',
      '2019-10-32',
      '2019-10-01T24:00:00Z',
      '2019-10-01T23:60:00Z',
      '2019-10-01T23:59:60Z',
      '2019-10-01T00:00:00+25:00',
      '2019-10-01T00:00:00 CEST',
      '2019-10-01T00:00:00.Z',
      '2019-10-01T0:00:00Z',
      '2019/10/01 00:00:00',
      '19-10-01',
      '1569888000',
      1569888000,
      {},
      true,
    ]) {
      assert.equal(berlin(bad), null, `should reject ${JSON.stringify(bad)}`);
    }
    assert.equal(utc('2020-02-29'), 1_582_934_400_000); // leap day exists
    assert.equal(utc('2000-02-29'), 951_782_400_000);
    assert.equal(utc('1900-02-29'), null);
  });

  it('accepts Date objects in every layout', () => {
    assert.equal(berlin(new Date(OCT_1_2019)), OCT_1_2019);
    assert.equal(makeTimeParser('epoch_s', 'UTC')(new Date(OCT_1_2019 + 5)), OCT_1_2019 + 5);
    assert.equal(berlin(new Date(Number.NaN)), null);
  });
});

describe('makeTimeParser epoch', () => {
  it('seconds from numbers and strings, fractions kept to the millisecond', () => {
    const parse = makeTimeParser('epoch_s', 'Europe/Berlin');
    assert.equal(parse(1_569_888_000), OCT_1_2019);
    assert.equal(parse('1569888000'), OCT_1_2019);
    assert.equal(parse(1_570_000_000.123), 1_570_000_000_123);
    assert.equal(parse('1570000000.123'), 1_570_000_000_123);
    assert.equal(parse('1570000000.1239'), 1_570_000_000_123);
    assert.equal(parse(' 1570000000.5 '), 1_570_000_000_500);
    assert.equal(parse(1_569_888_000n), OCT_1_2019);
    assert.equal(parse('1.569888e9'), OCT_1_2019);
    assert.equal(parse(-1.5), -1500);
    assert.equal(parse('-0.0005'), -1);
    assert.equal(parse(0), 0);
  });

  it('milliseconds, microseconds and nanoseconds round down', () => {
    const ms = makeTimeParser('epoch_ms', 'UTC');
    const us = makeTimeParser('epoch_us', 'UTC');
    const ns = makeTimeParser('epoch_ns', 'UTC');
    assert.equal(ms(1_569_888_000_123), OCT_1_2019 + 123);
    assert.equal(ms('1569888000123'), OCT_1_2019 + 123);
    assert.equal(ms('1569888000123.9'), OCT_1_2019 + 123);
    assert.equal(us(1_569_888_000_123_456), OCT_1_2019 + 123);
    assert.equal(us('1569888000123456'), OCT_1_2019 + 123);
    assert.equal(us(1_569_888_000_123_456n), OCT_1_2019 + 123);
    assert.equal(ns('1569888000123456789'), OCT_1_2019 + 123);
    assert.equal(ns(1_569_888_000_123_456_789n), OCT_1_2019 + 123);
    assert.equal(ns(1.569888000123e18), OCT_1_2019 + 123);
    assert.equal(ns(-1n), -1);
    assert.equal(ns('-1'), -1);
    assert.equal(ns('-1000000'), -1);
    assert.equal(us(-1_000_001n), -1001);
  });

  it('rejects non-numbers and values outside the Date range', () => {
    const parse = makeTimeParser('epoch_ms', 'UTC');
    for (const bad of [
      '',
      'abc',
      '12a',
      '1.2.3',
      '-',
      '2019-10-01',
      Number.NaN,
      Infinity,
      null,
      {},
      '9e20',
    ]) {
      assert.equal(parse(bad), null, `should reject ${String(bad)}`);
    }
    assert.equal(parse('8640000000000001'), null);
    assert.equal(makeTimeParser('epoch_s', 'UTC')(1e13), null);
  });

  it('auto decides per value', () => {
    const parse = makeTimeParser('auto', 'Europe/Berlin');
    assert.equal(parse('2019-10-01 00:00:00'), OCT_1_2019 - 2 * H);
    assert.equal(parse('2019-10-01T00:00:00Z'), OCT_1_2019);
    assert.equal(parse(1_569_888_000), OCT_1_2019);
    assert.equal(parse('1569888000123'), OCT_1_2019 + 123);
    assert.equal(parse('1569888000123456'), OCT_1_2019 + 123);
    assert.equal(parse(1_569_888_000_123_456_789n), OCT_1_2019 + 123);
    assert.equal(parse('1570000000.123'), 1_570_000_000_123);
    assert.equal(parse('nonsense'), null);
  });
});

describe('detectTimeFormat', () => {
  it('decides the layout of a column from a sample', () => {
    assert.equal(detectTimeFormat(['2019-10-01 00:00:00 UTC', '2019-10-01 00:00:01 UTC']), 'iso');
    assert.equal(detectTimeFormat(['2019-10-01', '', null]), 'iso');
    assert.equal(detectTimeFormat([1_569_888_000, 1_569_888_001]), 'epoch_s');
    assert.equal(detectTimeFormat([1_570_000_000.123]), 'epoch_s');
    assert.equal(detectTimeFormat(['1570000000.123']), 'epoch_s');
    assert.equal(detectTimeFormat(['1569888000123']), 'epoch_ms');
    assert.equal(detectTimeFormat([1_569_888_000_123]), 'epoch_ms');
    assert.equal(detectTimeFormat(['1569888000123456']), 'epoch_us');
    assert.equal(detectTimeFormat([1_569_888_000_123_456n]), 'epoch_us');
    assert.equal(detectTimeFormat(['1569888000123456789']), 'epoch_ns');
    assert.equal(detectTimeFormat([1_569_888_000_123_456_789n]), 'epoch_ns');
  });

  it('goes by the majority and ignores unreadable values', () => {
    assert.equal(detectTimeFormat(['1569888000123', '1569888000124', '1569888000', 'x', null]), 'epoch_ms');
    assert.equal(detectTimeFormat(['2019-10-01T00:00:00Z', '2019-10-01T00:00:01Z', '1569888000']), 'iso');
  });

  it('returns auto when nothing in the sample is readable', () => {
    assert.equal(detectTimeFormat([]), 'auto');
    assert.equal(detectTimeFormat(['', null, 'n/a', '2019-02-30']), 'auto');
    assert.equal(detectTimeFormat([new Date(0)]), 'auto');
  });
});

describe('assertTimeZone', () => {
  it('accepts IANA names and UTC', () => {
    assert.equal(assertTimeZone('Europe/Berlin'), 'Europe/Berlin');
    assert.equal(assertTimeZone('UTC'), 'UTC');
    assert.equal(assertTimeZone('America/New_York'), 'America/New_York');
  });

  it('rejects unknown zones with BAD_ARGUMENT and a helpful message', () => {
    for (const zone of ['Europe/Atlantis', '', 'CEST+1', '+02:00']) {
      assert.throws(
        () => assertTimeZone(zone),
        (error: unknown) =>
          error instanceof FunnelscopeError &&
          error.code === 'BAD_ARGUMENT' &&
          error.message === `Unknown time zone "${zone}"; use an IANA name such as Europe/Berlin or UTC`,
      );
    }
    assert.throws(() => makeTimeParser('iso', 'Mars/Olympus'), { code: 'BAD_ARGUMENT' });
  });
});
