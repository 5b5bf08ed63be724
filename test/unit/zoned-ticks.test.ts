import assert from 'node:assert/strict';
import { test } from 'node:test';
import { zonedTicks } from '../../renderer/src/charts/zonedTicks';

const iso = (ms: number) => new Date(ms).toISOString().slice(0, 16);
const DAY = 86_400_000;

test('UTC: daily ticks at midnight, hourly ticks on whole hours', () => {
  const from = Date.UTC(2026, 9, 5, 7, 30);
  const week = zonedTicks(from, from + 7 * DAY, 'UTC');
  assert.deepEqual(week.map(iso).slice(0, 2), ['2026-10-06T00:00', '2026-10-07T00:00']);
  assert.equal(week.length, 7);
  const day = zonedTicks(from, from + DAY, 'UTC');
  assert.ok(day.length <= 8 && day.length >= 4, String(day.length));
  assert.ok(
    day.every((t) => t % (3 * 3_600_000) === 0),
    day.map(iso).join(' '),
  );
});

test("another zone's midnights, across the end of daylight-saving time (New York, 1 November 2026)", () => {
  const ticks = zonedTicks(Date.UTC(2026, 9, 30), Date.UTC(2026, 10, 3), 'America/New_York', 4);
  assert.deepEqual(ticks.map(iso), [
    '2026-10-30T04:00',
    '2026-10-31T04:00',
    '2026-11-01T04:00',
    '2026-11-02T05:00',
  ]);
});

test('half-hour zones get ticks on their own whole hours (Kolkata, UTC+5:30)', () => {
  const from = Date.UTC(2026, 9, 5);
  const ticks = zonedTicks(from, from + DAY, 'Asia/Kolkata');
  assert.ok(ticks.length >= 4);
  for (const t of ticks) assert.equal(new Date(t).getUTCMinutes(), 30, iso(t));
});

test('long spans step by days or weeks starting on Mondays; an empty span has no ticks', () => {
  const from = Date.UTC(2026, 6, 1);
  const ticks = zonedTicks(from, from + 60 * DAY, 'UTC');
  assert.ok(ticks.length <= 9, String(ticks.length));
  assert.ok(
    ticks.every((t) => new Date(t).getUTCDay() === 1),
    ticks.map(iso).join(' '),
  );
  assert.deepEqual(zonedTicks(from, from, 'UTC'), []);
});
