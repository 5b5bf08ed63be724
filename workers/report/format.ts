/** Number and time formatting shared by the HTML, CSV and JSON outputs. */

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function num(value: number | null, digits = 2): string {
  if (value === null || !Number.isFinite(value)) return '–';
  if (Math.abs(value) >= 1000) return Math.round(value).toLocaleString('en-US');
  return Number(value.toFixed(digits)).toString();
}

/** Ratios as percentages; anything else as a number. */
export function metricText(value: number | null, isRatio: boolean): string {
  if (value === null) return '–';
  return isRatio ? `${(value * 100).toFixed(1)} %` : num(value);
}

export function money(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

/** 2026-10-05T10:00:00.000Z → 2026-10-05 10:00 UTC */
export function time(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

export const RECOVERY_TEXT = {
  recovered: 'recovered: back in the expected band',
  not_recovered: 'not recovered: still outside the expected band',
  no_data: 'no data after the incident yet',
} as const;
