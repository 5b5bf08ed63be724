import type { Severity } from '../../../shared/incidents';
import type { Theme } from '../state/theme';

/** Chart colours per theme (the same values as styles.css, which charts drawn on a canvas cannot read). */
export interface Palette {
  background: string;
  text: string;
  muted: string;
  grid: string;
  actual: string;
  expected: string;
  band: string;
  parent: string;
  alarm: string;
  incident: string;
  annotation: string;
  series: string[];
  severity: Record<Severity, string>;
  heat: [string, string, string];
}

const LIGHT: Palette = {
  background: '#ffffff',
  text: '#1d2330',
  muted: '#5d6677',
  grid: '#e6e9ef',
  actual: '#2f62d8',
  expected: '#7b8799',
  band: 'rgba(123, 135, 153, 0.22)',
  parent: '#b07cc6',
  alarm: '#d32f2f',
  incident: 'rgba(211, 47, 47, 0.08)',
  annotation: '#a06a00',
  series: ['#2f62d8', '#e0662b', '#1d8a5b', '#b07cc6', '#c99a06', '#4aa3c8'],
  severity: { critical: '#c62828', high: '#e0662b', medium: '#c99a06', low: '#6b7a90' },
  heat: ['#d64541', '#f4f1e8', '#2f8f5b'],
};

const DARK: Palette = {
  background: '#1c2028',
  text: '#e3e7ee',
  muted: '#98a2b3',
  grid: '#2c323d',
  actual: '#6d95f2',
  expected: '#98a2b3',
  band: 'rgba(152, 162, 179, 0.22)',
  parent: '#c9a0dc',
  alarm: '#ff6b6b',
  incident: 'rgba(255, 107, 107, 0.1)',
  annotation: '#e6c14a',
  series: ['#6d95f2', '#ff9b5e', '#4cc38a', '#c9a0dc', '#e6c14a', '#6cc4e8'],
  severity: { critical: '#ff6b6b', high: '#ff9b5e', medium: '#e6c14a', low: '#a3afc2' },
  heat: ['#e05a56', '#2a2f39', '#4cc38a'],
};

export function palette(theme: Theme): Palette {
  return theme === 'dark' ? DARK : LIGHT;
}
