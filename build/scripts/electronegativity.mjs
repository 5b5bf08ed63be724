// `npm run lint:electron`: Electronegativity over the Electron main process and preload, plus the app's
// Content-Security-Policy through the same CSP evaluator. Fails on any finding above INFORMATIONAL that is
// not written down with its reason in build/electronegativity.json. Runs offline: the tool's two network
// look-ups (translations, Electron's release list) are stubbed out.
// Run with tsx (it imports main/security.ts for the CSP).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { CONTENT_SECURITY_POLICY } from '../../main/security.ts';

const require = createRequire(import.meta.url);
const config = JSON.parse(fs.readFileSync('build/electronegativity.json', 'utf8'));
const problems = [];

// No network: Electronegativity fetches translations with `got` (and the release list, whose check is
// excluded). A rejecting stub makes it fall back to its bundled English texts at once.
const toolDir = path.dirname(require.resolve('@doyensec/electronegativity/package.json'));
const gotPath = require.resolve('got', { paths: [toolDir] });
const offline = () => Promise.reject(new Error('offline: network disabled for the lint'));
offline.head = offline;
offline.default = offline;
require.cache[gotPath] = { id: gotPath, filename: gotPath, loaded: true, exports: offline };
const log = console.log;
console.log = (...args) => {
  if (!String(args[0]).startsWith('Could not retrieve updated translations')) log(...args);
};
const run = require('@doyensec/electronegativity');
const { severity: SEVERITY } = require(path.join(toolDir, 'dist/finder/attributes.js'));

// Scan a copy of the listed paths, so nothing else of the repository (tests, fixtures) is read.
const stage = fs.mkdtempSync(path.join(os.tmpdir(), 'fscope-eng-'));
for (const entry of config.scan) fs.cpSync(entry, path.join(stage, entry), { recursive: true });

const maxSeverity = SEVERITY[config.maxSeverity].value;
const electronVersion = JSON.parse(fs.readFileSync('node_modules/electron/package.json', 'utf8')).version;
let result;
try {
  result = await run({
    input: stage,
    isRelative: true,
    excludeFromScan: Object.keys(config.excludedChecks).map((name) => name.toLowerCase()),
    electronVersionOverride: electronVersion,
  });
} finally {
  fs.rmSync(stage, { recursive: true, force: true });
  console.log = log;
}

for (const error of result.errors) problems.push(`could not parse ${error.file}: ${error.message}`);
for (const issue of result.issues) {
  const line = `${issue.id} (${issue.severity.name}, ${issue.confidence.name}) ${issue.file}:${issue.location.line} ${issue.description}`;
  if (issue.severity.value > maxSeverity) problems.push(line);
  else log(`  informational: ${line}`);
}

// Every inline eng-disable must be an exception written down with its reason, and every listed one must exist.
const listed = new Set(config.inlineExceptions.map((e) => `${e.file} ${e.check}`));
const found = new Set();
for (const entry of config.scan.filter((p) => fs.statSync(p).isDirectory())) {
  for (const file of fs.readdirSync(entry, { recursive: true })) {
    const rel = path.join(entry, String(file)).split(path.sep).join('/');
    if (!/\.(ts|js|mjs|cjs|html)$/.test(rel)) continue;
    for (const match of fs.readFileSync(rel, 'utf8').matchAll(/eng-disable[ \t]+([A-Z_ \t]+)/g))
      for (const check of match[1].trim().split(/\s+/)) found.add(`${rel} ${check}`);
  }
}
for (const key of found) if (!listed.has(key)) problems.push(`eng-disable without a written reason: ${key}`);
for (const key of listed)
  if (!found.has(key)) problems.push(`listed exception no longer in the code: ${key}`);
for (const exception of config.inlineExceptions)
  if (!exception.reason?.trim())
    problems.push(`exception without a reason: ${exception.file} ${exception.check}`);

// The CSP, evaluated as the excluded CSPGlobalCheck would if it could see it.
const csp = require(require.resolve('@doyensec/csp-evaluator', { paths: [toolDir] }));
const findings = new csp.CspEvaluator(
  new csp.CspParser(CONTENT_SECURITY_POLICY).csp,
  csp.Version.CSP3,
).evaluate();
const accepted = config.acceptedCspFindings;
for (const finding of findings) {
  if (finding.severity >= csp.severities.INFO) continue;
  const known = accepted.some(
    (a) => a.directive === finding.directive && (a.value ?? undefined) === finding.value,
  );
  const text = `CSP ${finding.directive} ${finding.value ?? ''}: ${finding.description}`;
  if (known) log(`  accepted (see build/electronegativity.json): ${text}`);
  else problems.push(text);
}

log(
  `Electronegativity ${require(path.join(toolDir, 'package.json')).version} (Electron ${electronVersion}): ` +
    `${result.globalChecks} global and ${result.atomicChecks} atomic checks over ${config.scan.join(', ')}; ` +
    `${Object.keys(config.excludedChecks).length} checks excluded and ${config.inlineExceptions.length} inline ` +
    'exceptions, each with its reason in build/electronegativity.json.',
);
if (problems.length) {
  console.error(`\n${problems.length} finding(s) above ${config.maxSeverity}:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
log('No finding above INFORMATIONAL.');
