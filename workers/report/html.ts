import { impactChart, seriesChart } from './charts';
import { escapeHtml as e, metricText, money, num, RECOVERY_TEXT, time } from './format';
import type { ReportIncident, ReportModel } from './model';

/**
 * One self-contained HTML file: inline CSS and SVG only. The CSP forbids every fetch, so even a reference
 * slipped in by mistake would not load (and the export test checks there is none).
 */
const STYLE = `
body { font: 14px/1.45 sans-serif; color: #1d2433; margin: 32px auto; max-width: 820px; padding: 0 16px; }
h1 { font-size: 24px; margin: 0 0 4px; } h2 { font-size: 18px; margin: 28px 0 8px; border-bottom: 1px solid #d5dae3; }
h3 { font-size: 15px; margin: 18px 0 6px; }
.meta { color: #5b6475; font-size: 12px; }
table { border-collapse: collapse; width: 100%; margin: 6px 0 12px; font-size: 13px; }
th, td { text-align: left; padding: 4px 6px; border-bottom: 1px solid #e5e8ee; vertical-align: top; }
th { background: #f3f5f8; } td.n { text-align: right; white-space: nowrap; }
.sev-critical, .sev-high { color: #b3261e; font-weight: bold; } .sev-medium { color: #9a6700; }
/* In print, charts and table rows are not split across pages. */
svg, tr { break-inside: avoid; } .policy { font-size: 12px; color: #5b6475; margin-top: 28px; }
svg { max-width: 100%; height: auto; }
@media print { body { margin: 0; max-width: none; } h2 { page-break-after: avoid; } }
`;

const isRatio = (i: ReportIncident) => i.metric.endsWith('_rate') || i.metric === 'checkout_conversion';

function table(head: string[], rows: string[][], numeric: number[] = []): string {
  const th = head.map((h) => `<th>${e(h)}</th>`).join('');
  const body = rows
    .map(
      (r) =>
        `<tr>${r.map((c, i) => `<td${numeric.includes(i) ? ' class="n"' : ''}>${c}</td>`).join('')}</tr>`,
    )
    .join('\n');
  return `<table><thead><tr>${th}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

function executive(model: ReportModel): string {
  const chart = impactChart(model.incidents);
  const rows = model.incidents.map((i, k) => [
    String(k + 1),
    `<span class="sev-${e(i.severity)}">${e(i.severity)}</span>`,
    `${e(i.metricLabel)} ${i.direction === 'down' ? 'fell' : 'rose'} in ${e(i.cohort)}<br><span class="meta">${e(time(i.start))} – ${e(time(i.end))}${i.expectedChange ? ' · during a promo or campaign' : ''}</span>`,
    money(i.revenueAtRisk),
    e(i.likelyCause),
    e(i.playbook.action),
    e(RECOVERY_TEXT[i.recovery]),
  ]);
  return `<h2>Incidents by revenue at risk</h2>
${chart ?? ''}
${table(['#', 'Severity', 'What happened', 'Revenue at risk', 'Likely cause', 'Recommended action', 'Trend'], rows, [3])}`;
}

function operationalIncident(i: ReportIncident): string {
  const chart = seriesChart(i);
  const ratio = isRatio(i);
  const evidence = table(
    ['Score', 'Detected', 'Expected', 'Observed', 'Lost conversions', 'Revenue at risk', 'Trend'],
    [
      [
        num(i.score),
        e(time(i.detectedAt)),
        metricText(i.expected, ratio),
        metricText(i.observed, ratio),
        num(i.lostConversions, 1),
        money(i.revenueAtRisk),
        e(RECOVERY_TEXT[i.recovery]),
      ],
    ],
    [0, 2, 3, 4, 5],
  );
  const attribution =
    i.attribution.length > 0
      ? table(
          ['Cohort', 'Share of the change', 'Score'],
          i.attribution.map((a) => [e(a.cohort), `${Math.round(a.share * 100)} %`, num(a.score)]),
          [1, 2],
        )
      : '<p class="meta">No narrower cohort explains the change.</p>';
  // A sessions breakdown needs no second sessions column.
  const volume = i.metric !== 'sessions';
  const breakdown = i.breakdown
    ? `<h3>${e(i.metricLabel)} by ${e(i.breakdown.dimension)} during the incident</h3>` +
      table(
        [i.breakdown.dimension, i.metricLabel, ...(volume ? ['Sessions'] : [])],
        i.breakdown.rows.map((r) => [
          e(r.value),
          metricText(r.metric, ratio),
          ...(volume ? [num(r.sessions, 0)] : []),
        ]),
        [1, 2],
      )
    : '';
  return `<section class="incident">
<h2>${e(i.metricLabel)} ${i.direction === 'down' ? 'fell' : 'rose'} in ${e(i.cohort)}</h2>
<p class="meta">${e(i.id)} · <span class="sev-${e(i.severity)}">${e(i.severity)}</span> · ${e(i.status)}${i.expectedChange ? ' · expected (promo or campaign)' : ''}</p>
${i.note ? `<p>Note: ${e(i.note)}</p>` : ''}
${chart ?? (i.cohortSuppressed ? '<p class="meta">Chart not shown: the cohort has too few users.</p>' : '')}
<h3>Timeline</h3>
${table(
  ['Time', 'Event'],
  i.timeline.map((t) => [e(time(t.at)), e(t.event)]),
)}
<h3>Detector evidence</h3>
${evidence}
<h3>Attribution</h3>
${attribution}
${breakdown}
<h3>Playbook: ${e(i.playbook.title)}</h3>
<ol>${i.playbook.steps.map((s) => `<li>${e(s)}</li>`).join('')}</ol>
</section>`;
}

export function renderHtml(model: ReportModel): string {
  const body =
    model.incidents.length === 0
      ? '<p>No incident in this period.</p>'
      : model.template === 'executive'
        ? executive(model)
        : model.incidents.map(operationalIncident).join('\n');
  const p = model.policy;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(model.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>${e(model.title)}</h1>
<p class="meta">${e(model.scope)} · ${model.incidents.length} incident${model.incidents.length === 1 ? '' : 's'} · generated ${e(time(model.generatedAt))}</p>
${body}
<p class="policy">Masked export: no user, session or order pseudonym; cohorts with fewer than ${p.minUsers} distinct users merged into "other" or not shown (${model.suppressedCohorts} here); e-mail addresses, IP addresses, phone and card numbers redacted from notes and labels (${model.redactedTexts} fields)${p.maskedDimensions.length > 0 ? `; values of ${e(p.maskedDimensions.join(', '))} masked` : ''}.</p>
</body>
</html>
`;
}
