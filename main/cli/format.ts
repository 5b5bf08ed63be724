import type { DetectionKpis } from '../../shared/explore';
import type { ImportResult } from '../../shared/ingest';
import { isImportFailure } from '../../shared/ingest';
import type { WorkspaceInfo } from '../../shared/workspace';
import type { DetectionRun } from '../../shared/incidents';
import type { IncidentExplanation } from '../../shared/attribution';

const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

export function formatImportResults(results: ImportResult[]): string {
  const lines: string[] = [];
  for (const r of results) {
    if (isImportFailure(r)) {
      lines.push(`✗ ${r.file}: ${r.error.message} [${r.error.code}]`);
      continue;
    }
    const verb = r.status === 'already_imported' ? 'already imported' : 'imported';
    lines.push(
      `✓ ${r.file}: ${verb} as source #${r.sourceId} — ${r.preset} (${r.shape}, ${r.format}${r.compression === 'gzip' ? '.gz' : ''}), ` +
        `${r.rowsImported.toLocaleString('en-US')} of ${r.rowsRead.toLocaleString('en-US')} rows, ${r.rowsRejected.toLocaleString('en-US')} rejected` +
        (r.status === 'imported' ? `, ${(r.durationMs / 1000).toFixed(2)} s` : ''),
    );
    if (r.timeSpan) lines.push(`    time span ${iso(r.timeSpan.from)} – ${iso(r.timeSpan.to)}`);
    for (const finding of r.pii)
      lines.push(`    PII: ${finding.column} looks like ${finding.kind} → ${finding.action}`);
    for (const note of r.notes) lines.push(`    ${note}`);
    for (const [reason, n] of Object.entries(r.rejectedReasons)) lines.push(`    rejected ×${n}: ${reason}`);
    for (const row of r.rejected.slice(0, 5)) lines.push(`    line ${row.line}: ${row.reason}`);
  }
  return lines.join('\n');
}

export function formatInfo(info: WorkspaceInfo): string {
  const profile = info.profile;
  const lines = [
    `Workspace ${info.path} (schema ${info.schemaVersion}, time zone ${info.timeZone})`,
    `  events: ${info.events.toLocaleString('en-US')}, metric values: ${info.metricRows.toLocaleString('en-US')}, annotations: ${info.annotations}`,
    `  time span: ${info.timeSpan ? `${iso(info.timeSpan.from)} – ${iso(info.timeSpan.to)}` : 'no data'}`,
    ...(profile
      ? [
          `  pseudonyms: ${profile.pseudonyms.user} users, ${profile.pseudonyms.session} sessions, ${profile.pseudonyms.order} orders`,
        ]
      : []),
    `  sources:`,
    ...info.sources.map(
      (s) =>
        `    #${s.id} ${s.fileName} — ${s.preset} (${s.shape}), ${s.rowsImported.toLocaleString('en-US')} rows, ${s.rowsRejected} rejected, sha256 ${s.sha256.slice(0, 12)}…`,
    ),
    `  measures: ${info.measures.join(', ') || 'none'}`,
    ...(profile
      ? [
          `  event types: ${profile.eventTypes.map((t) => `${t.name} ${t.events}`).join(', ') || 'none'}`,
          `  dimensions:`,
          ...profile.dimensions.map(
            (d) =>
              `    ${d.dimension}: ${d.cardinality} values (top: ${d.topValues.map((v) => `${v.value} ${v.events}`).join(', ')})`,
          ),
        ]
      : []),
  ];
  return lines.join('\n');
}

export function formatDetection(run: DetectionRun): string {
  const cohort = (c: Record<string, string>) =>
    Object.keys(c).length === 0
      ? 'all traffic'
      : Object.entries(c)
          .map(([d, v]) => `${d}=${v}`)
          .join(' & ');
  const lines = run.incidents.map(
    (i) =>
      `${i.id}  ${i.detectedAt.slice(0, 16).replace('T', ' ')}  ${i.severity.padEnd(8)} ${i.metric} ${i.direction} in ${cohort(i.cohort)}` +
      ` (${i.start.slice(0, 16).replace('T', ' ')} – ${i.end.slice(11, 16)}, score ${i.score.toFixed(4)}` +
      `${i.impact.revenueAtRisk > 0 ? `, ${i.impact.revenueAtRisk.toFixed(2)} revenue at risk` : ''})${i.expected ? ' [expected]' : ''}`,
  );
  const s = run.stats;
  lines.push(
    `${run.incidents.length} incidents${run.suppressed > 0 ? ` (${run.suppressed} more left out as matching false alarms)` : ''} from ${s.anomalies} anomalous buckets in ${s.series} series of ${s.cohorts} cohorts ` +
      `(${s.bucketMinutes}-minute buckets; cube ${s.stageMs.cube} ms, detectors ${s.stageMs.detectors} ms, grouping ${s.stageMs.grouping} ms)`,
  );
  return lines.join('\n');
}

export function formatKpis(k: DetectionKpis): string {
  const pct = (x: number | null) => (x === null ? 'n/a (nothing labelled yet)' : `${(x * 100).toFixed(1)} %`);
  return [
    `Incidents: ${k.open} open, ${k.trueAlarms} true alarms, ${k.falseAlarms} false alarms, ${k.expected} expected`,
    `Precision of labelled alarms: ${pct(k.precision)}`,
    `False positive rate (false / labelled alarms): ${pct(k.falsePositiveRate)}`,
    `Mean time to detect (true alarms): ${k.meanTimeToDetectMinutes === null ? 'n/a' : `${k.meanTimeToDetectMinutes.toFixed(1)} min`}`,
  ].join('\n');
}

const cohortWords = (c: Record<string, string>) =>
  Object.keys(c).length === 0
    ? 'all traffic'
    : Object.keys(c)
        .sort()
        .map((d) => `${d}=${c[d]}`)
        .join(' & ');

/** An incident's localisation and its evidence lines, best first, each with its score. */
export function formatExplanation(e: IncidentExplanation): string {
  const i = e.incident;
  const lines = [
    `${i.id}: ${i.metric} ${i.direction} in ${cohortWords(i.cohort)} from ${i.start.slice(0, 16).replace('T', ' ')} UTC`,
    `Where (localisation):`,
    ...(e.localization.length === 0
      ? ['  no cohort localisation for this incident']
      : e.localization.map(
          (a, n) =>
            `  ${n + 1}. ${cohortWords(a.cohort)} — ${(a.share * 100).toFixed(0)} % of the deviation, score ${a.score.toFixed(3)}`,
        )),
    e.window.onset === e.window.detected
      ? `Evidence (window ${e.window.onset.slice(11, 16)}–${e.window.to.slice(11, 16)} UTC, best first):`
      : `Evidence (the change began about ${e.window.onset.slice(11, 16)} UTC, before detection saw it; window ${e.window.onset.slice(11, 16)}–${e.window.to.slice(11, 16)} UTC, best first):`,
    ...(e.evidence.length === 0
      ? ['  nothing around the onset stands out']
      : e.evidence.map((l) => `  ${l.score.toFixed(2)}  ${l.kind.padEnd(11)} ${l.summary}`)),
  ];
  return lines.join('\n');
}
