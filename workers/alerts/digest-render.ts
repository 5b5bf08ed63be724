import { escapeHtml as e, money, num, time } from '../report/format';
import type { DigestAlert, DigestModel } from './digest-model';

/**
 * The digest as plain text, HTML and JSON. The HTML uses inline styles only and no reference of any kind
 * (no image, link, font or URL), so a mail client opening the draft fetches nothing.
 */

const headline = (a: DigestAlert) =>
  `${a.incident.metricLabel} ${a.incident.direction === 'down' ? 'fell' : 'rose'} in ${a.incident.cohort}`;

function policyLine(model: DigestModel): string {
  const p = model.policy;
  return (
    `Masked: no user, session or order key; cohorts under ${p.minUsers} users not named` +
    ` (${model.suppressedCohorts} left out); e-mails, IPs, phone and card numbers in free text redacted` +
    ` (${model.redactedTexts} texts).`
  );
}

export function digestText(model: DigestModel): string {
  const lines = [model.title, `Generated ${time(model.generatedAt)} · ${model.scope}`, ''];
  if (model.alerts.length === 0) lines.push('No alert in this digest.', '');
  model.alerts.forEach((a, k) => {
    const i = a.incident;
    lines.push(
      `${k + 1}. [${i.severity.toUpperCase()}] ${headline(a)}`,
      `   Rule: ${a.rule} · raised ${time(a.raisedAt)}`,
      `   From ${time(i.start)} to ${time(i.end)}, detected ${time(i.detectedAt)}`,
      `   Revenue at risk: ${money(i.revenueAtRisk)} · lost conversions: ${num(i.lostConversions, 0)}`,
      `   Likely cause: ${i.likelyCause}`,
      `   Recommended: ${i.playbook.action}`,
      ...i.playbook.steps.map((s) => `     - ${s}`),
      ...(i.note ? [`   Analyst's note: ${i.note}`] : []),
      '',
    );
  });
  lines.push(policyLine(model), 'Written by Funnelscope on this computer; nothing was sent.');
  return `${lines.join('\n')}\n`;
}

const CELL = 'padding:4px 8px;border-bottom:1px solid #e5e8ee;text-align:left;vertical-align:top';
const SEVERITY_COLOUR: Record<string, string> = {
  critical: '#b3261e',
  high: '#b3261e',
  medium: '#9a6700',
  low: '#5b6475',
};

function alertHtml(a: DigestAlert, k: number): string {
  const i = a.incident;
  const steps = i.playbook.steps.map((s) => `<li>${e(s)}</li>`).join('');
  return `<tr>
<td style="${CELL}">${k + 1}</td>
<td style="${CELL};color:${SEVERITY_COLOUR[i.severity] ?? '#1d2433'};font-weight:bold">${e(i.severity)}</td>
<td style="${CELL}"><strong>${e(headline(a))}</strong><br>
<span style="color:#5b6475;font-size:12px">${e(time(i.start))} – ${e(time(i.end))} · detected ${e(time(i.detectedAt))} · rule ${e(a.rule)}</span><br>
Likely cause: ${e(i.likelyCause)}<br>
Recommended: ${e(i.playbook.action)}<ol style="margin:4px 0 0 18px;padding:0">${steps}</ol>${i.note ? `<br>Analyst's note: ${e(i.note)}` : ''}</td>
<td style="${CELL};text-align:right;white-space:nowrap">${e(money(i.revenueAtRisk))}</td>
</tr>`;
}

export function digestHtml(model: DigestModel): string {
  const rows = model.alerts.map(alertHtml).join('\n');
  const body =
    model.alerts.length === 0
      ? '<p>No alert in this digest.</p>'
      : `<table style="border-collapse:collapse;width:100%;font-size:13px">
<thead><tr><th style="${CELL}">#</th><th style="${CELL}">Severity</th><th style="${CELL}">What happened</th><th style="${CELL};text-align:right">Revenue at risk</th></tr></thead>
<tbody>
${rows}
</tbody></table>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${e(model.title)}</title></head>
<body style="font:14px/1.45 sans-serif;color:#1d2433;max-width:820px">
<h1 style="font-size:20px;margin:0 0 4px">${e(model.title)}</h1>
<p style="color:#5b6475;font-size:12px;margin:0 0 12px">Generated ${e(time(model.generatedAt))} · ${e(model.scope)}</p>
${body}
<p style="color:#5b6475;font-size:12px;margin-top:20px">${e(policyLine(model))} Written by Funnelscope on this computer; nothing was sent.</p>
</body></html>
`;
}

/** Every field a stakeholder's script may want, without the series (a digest is a summary). */
export function digestJson(model: DigestModel): string {
  const alerts = model.alerts.map((a) => {
    const { series: _series, breakdown: _breakdown, timeline: _timeline, ...incident } = a.incident;
    return { rule: a.rule, raisedAt: a.raisedAt, read: a.read, incident };
  });
  const digest = {
    title: model.title,
    generatedAt: model.generatedAt,
    scope: model.scope,
    policy: model.policy,
    suppressedCohorts: model.suppressedCohorts,
    redactedTexts: model.redactedTexts,
  };
  return `${JSON.stringify({ digest, alerts }, null, 2)}\n`;
}
