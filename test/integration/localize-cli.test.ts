import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import type { AdditiveLeaf, LeafTable, RatioLeaf } from '../../workers/attribute';
import { syntheticCase } from '../unit/attribute/synthetic';
import { runCli, tempDir } from './helpers';

const cli = (args: string[]) => runCli(['localize', ...args]);

/** The table as the CLI reads it: dimension columns, then the metric columns. */
function writeCsv(file: string, table: LeafTable): void {
  const lines =
    table.kind === 'additive'
      ? [
          [...table.dimensions, 'real', 'predict'].join(','),
          ...table.rows.map((r: AdditiveLeaf) => [...r.values, r.real, r.predict].join(',')),
        ]
      : [
          [...table.dimensions, 'real_num', 'predict_num', 'real_den', 'predict_den'].join(','),
          ...table.rows.map((r: RatioLeaf) =>
            [...r.values, r.realNum, r.predictNum, r.realDen, r.predictDen].join(','),
          ),
        ];
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
}

const sets = (line: string) => line.trim().split(';').sort();

test('localize prints the injected root-cause sets on one line', () => {
  const dir = tempDir();
  const additive = syntheticCase('additive', 2, 5);
  writeCsv(path.join(dir, 'additive.csv'), additive.table);
  const run = cli([path.join(dir, 'additive.csv')]);
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stdout.split('\n').length, 2, run.stdout);
  assert.deepEqual(sets(run.stdout), [...additive.truth].sort());
  // Pairs are sorted by dimension name within a set.
  for (const set of sets(run.stdout)) {
    const names = set.split('&').map((pair) => pair.split('=')[0]!);
    assert.deepEqual(names, [...names].sort());
  }

  const ratio = syntheticCase('ratio', 3, 5);
  writeCsv(path.join(dir, 'ratio.csv'), ratio.table);
  const json = cli([path.join(dir, 'ratio.csv'), '--ratio', '--json']);
  assert.equal(json.code, 0, json.stderr);
  const out = JSON.parse(json.stdout);
  assert.equal(out.kind, 'ratio');
  assert.equal(out.rows, ratio.table.rows.length);
  assert.deepEqual(out.rootCauses.map((c: { set: string }) => c.set).sort(), [...ratio.truth].sort());
  for (const cause of out.rootCauses) {
    assert.ok(cause.share >= 0 && cause.share <= 1 && cause.score >= 0 && cause.score <= 1);
    assert.ok(cause.actual < cause.expected, 'the injected causes lowered the rate');
  }
});

test('localize: malformed input is a one-line error with exit 1, a usage mistake exits 2', () => {
  const dir = tempDir();
  const write = (name: string, text: string) => {
    fs.writeFileSync(path.join(dir, name), text);
    return path.join(dir, name);
  };
  const failures: [string[], RegExp][] = [
    [
      [write('missing.csv', 'os,real\niOS,3\n')],
      /no predict column; expected dimension columns, then real, predict/,
    ],
    [[write('ratio.csv', 'os,real_num,predict_num,real_den,predict_den\niOS,1,2,3,4\n')], /add --ratio/],
    [
      [write('text.csv', 'os,real,predict\niOS,3,4\nAndroid,three,4\n')],
      /line 3: real is not a number \("three"\)/,
    ],
    [[write('negative.csv', 'os,real,predict\niOS,3,-4\n')], /line 2: predict is negative/],
    [[write('ragged.csv', 'os,real,predict\niOS,3\n')], /line 2: 2 columns where the header has 3/],
    [[write('empty.csv', '')], /is empty/],
    [[write('header.csv', 'os,real,predict\n')], /has a header but no rows/],
    [[write('nodims.csv', 'real,predict\n1,2\n')], /no dimension column/],
    [[path.join(dir, 'absent.csv')], /Cannot read .*absent\.csv: no such file/],
  ];
  for (const [args, message] of failures) {
    const run = cli(args);
    assert.equal(run.code, 1, `${args.join(' ')}: ${run.stderr}`);
    assert.equal(run.stderr.trim().split('\n').length, 1, run.stderr);
    assert.match(run.stderr, message);
  }

  const good = write('good.csv', 'os,real,predict\niOS,3,4\n');
  for (const args of [[], [good, good], [good, '--colour']]) {
    const run = cli(args);
    assert.equal(run.code, 2, `${args.join(' ')}: ${run.stderr}`);
    assert.match(run.stderr, /Run "funnelscope --help"/);
  }
});
