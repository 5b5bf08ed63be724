import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { runCli, tempDir } from './helpers';

const T0 = Date.UTC(2014, 3, 1);

const cli = runCli;

function write(name: string, text: string): string {
  const file = path.join(tempDir('fscope-score-'), name);
  fs.writeFileSync(file, text);
  return file;
}

/** NAB's layout: a header, "YYYY-MM-DD HH:MM:SS" times, 5-minute rows; a daily wave, a spike at row 1500. */
function nabLike(rows: number): string {
  const lines = ['timestamp,value'];
  for (let i = 0; i < rows; i++) {
    const time = new Date(T0 + i * 300_000).toISOString().replace('T', ' ').slice(0, 19);
    const value =
      100 + 30 * Math.sin((2 * Math.PI * i) / 288) + ((i * 7919) % 13) / 4 + (i === 1500 ? 40 : 0);
    lines.push(`${time},${i === 1200 ? '' : value.toFixed(3)}`);
  }
  return `${lines.join('\n')}\n`;
}

function parseOutput(csv: string): string[][] {
  return csv
    .trimEnd()
    .split('\n')
    .map((line) => line.split(','));
}

test('score-series writes timestamp,value,anomaly_score for every row, on stdout or to --out', () => {
  const input = nabLike(1800);
  const file = write('nab.csv', input);
  const run = cli(['score-series', file]);
  assert.equal(run.code, 0, run.stderr);
  const rows = parseOutput(run.stdout);
  assert.deepEqual(rows[0], ['timestamp', 'value', 'anomaly_score']);
  assert.equal(rows.length, 1801);
  const inputRows = parseOutput(input);
  for (let i = 1; i < rows.length; i++) {
    const [time, value, score] = rows[i] as string[];
    assert.equal(time, inputRows[i]?.[0]);
    assert.equal(value, inputRows[i]?.[1]);
    const s = Number(score);
    assert.ok(s >= 0 && s <= 1, `row ${i}: ${score}`);
  }
  assert.ok(Number(rows[1501]?.[2]) > 0.9, `spike ${rows[1501]?.[2]}`);
  assert.deepEqual(rows[1201], [inputRows[1201]?.[0], '', '0'], 'a blank value stays blank and scores 0');
  assert.match(run.stderr, /daily season of 288 points per day/);
  assert.match(run.stderr, /1 row without a numeric value/);

  const out = path.join(path.dirname(file), 'scores.csv');
  const toFile = cli(['score-series', file, '--out', out]);
  assert.equal(toFile.code, 0, toFile.stderr);
  assert.equal(toFile.stdout, '');
  assert.equal(fs.readFileSync(out, 'utf8'), run.stdout);
  assert.deepEqual(
    fs.readdirSync(path.dirname(out)).sort(),
    ['nab.csv', 'scores.csv'],
    'no partial file left',
  );
});

test('headerless epoch seconds and Yahoo-style headers with extra columns', () => {
  const hourly = Array.from({ length: 100 }, (_, i) => `${1416726000 + i * 3600},${(i % 24) + 10}`).join(
    '\n',
  );
  const run = cli(['score-series', write('a2.csv', `${hourly}\n`)]);
  assert.equal(run.code, 0, run.stderr);
  const rows = parseOutput(run.stdout);
  assert.equal(rows.length, 101);
  assert.deepEqual(rows[1]?.slice(0, 2), ['1416726000', '10']);
  assert.match(run.stderr, /daily season of 24 points/);

  const windows = '\uFEFF"timestamp","value"\r\n"2020-01-01 00:00:00","1.5"\r\n"2020-01-01 01:00:00",\r\n';
  const quoted = cli(['score-series', write('windows.csv', windows)]);
  assert.equal(quoted.code, 0, quoted.stderr);
  assert.equal(
    quoted.stdout,
    'timestamp,value,anomaly_score\n2020-01-01 00:00:00,1.5,0\n2020-01-01 01:00:00,,0\n',
    'BOM, quotes and CRLF are read; a blank value stays blank',
  );
  assert.match(quoted.stderr, /only 2 rows, too few to infer the spacing/);

  const yahoo = [
    'timestamp,value,is_anomaly',
    ...Array.from({ length: 60 }, (_, i) => `${i + 1},${i % 5},0`),
  ];
  const a1 = cli(['score-series', write('a1.csv', `${yahoo.join('\n')}\n`)]);
  assert.equal(a1.code, 0, a1.stderr);
  assert.equal(parseOutput(a1.stdout).length, 61);
  assert.match(a1.stderr, /level-only baseline, no season: median interval 1 s.*row numbers/);
});

test('malformed input gives a one-line error and exit 1; usage mistakes exit 2', () => {
  const cases: [string, RegExp][] = [
    [path.join(tempDir(), 'missing.csv'), /Cannot read .*missing\.csv: no such file/],
    [write('empty.csv', ''), /empty\.csv is empty/],
    [write('words.csv', 'timestamp,value\n2020-01-01,high\n2020-01-02,low\n'), /no numeric value/],
    [write('bad-time.csv', '2020-01-01,1\nyesterday,2\n'), /line 2: cannot read the timestamp "yesterday"/],
    [write('backwards.csv', '2020-01-02,1\n2020-01-01,2\n'), /line 2: .*increasing time order/],
    [write('one-column.csv', '2020-01-01\n2020-01-02\n'), /only one column/],
  ];
  for (const [file, message] of cases) {
    const run = cli(['score-series', file]);
    assert.equal(run.code, 1, `${file}: ${run.stderr}`);
    assert.equal(run.stderr.trim().split('\n').length, 1, run.stderr);
    assert.match(run.stderr, message);
    assert.equal(run.stdout, '', 'nothing written on error');
  }
  const noFile = cli(['score-series']);
  assert.equal(noFile.code, 2);
  assert.match(noFile.stderr, /needs exactly one FILE\.csv/);
  const unknownFlag = cli(['score-series', 'x.csv', '--colour']);
  assert.equal(unknownFlag.code, 2);
});

test('the command module loads on its own, before standalone.ts (which imports it to register it)', async () => {
  const { scoreSeriesCommand } = await import('../../main/cli/score-series');
  const { CliUsageError } = await import('../../main/cli/standalone');
  await assert.rejects(scoreSeriesCommand.run([]), CliUsageError);
});
