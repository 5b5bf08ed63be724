import type { FunnelStep } from '../../../shared/explore';
import { formatInteger, formatPercent } from '../format/numbers';
import type { ChartOption } from './echarts';
import type { Palette } from './palette';
import { escapeHtml, valueAxisStyle } from './timeAxis';

const STEP_LABEL: Record<FunnelStep['step'], string> = {
  sessions: 'Sessions',
  viewed: 'Viewed a product',
  added_to_cart: 'Added to cart',
  began_checkout: 'Began checkout',
  purchased: 'Purchased',
};

/**
 * Sessions reaching each step, one bar group per step and one bar per cohort; shares of the first step so
 * cohorts of different size compare, with counts and step-to-step rates in the tooltip.
 */
export function funnelOption(funnels: { name: string; steps: FunnelStep[] }[], colors: Palette): ChartOption {
  const steps = funnels[0]?.steps.map((s) => s.step) ?? [];
  return {
    animation: false,
    aria: { enabled: true },
    grid: { left: 56, right: 16, top: 32, bottom: 32 },
    legend: { top: 0, textStyle: { color: colors.muted } },
    tooltip: {
      trigger: 'axis',
      formatter: (raw: unknown) => {
        const items = raw as { seriesIndex: number; dataIndex: number; marker: string; seriesName: string }[];
        const index = items[0]?.dataIndex ?? 0;
        const head = `<b>${STEP_LABEL[steps[index] ?? 'sessions']}</b>`;
        const rows = items.map((p) => {
          const step = funnels[p.seriesIndex]?.steps[p.dataIndex];
          if (!step) return '';
          const rate =
            step.rateFromPrevious === null
              ? ''
              : `, ${formatPercent(step.rateFromPrevious)} of the step before`;
          return `${p.marker}${escapeHtml(p.seriesName)}: ${formatInteger(step.sessions)} sessions${rate}`;
        });
        return [head, ...rows].join('<br/>');
      },
    },
    xAxis: { type: 'category', data: steps.map((s) => STEP_LABEL[s]), axisLabel: { color: colors.text } },
    yAxis: {
      type: 'value',
      max: 1,
      ...valueAxisStyle(colors),
      axisLabel: { color: colors.muted, formatter: (v: number) => `${Math.round(v * 100)} %` },
    },
    series: funnels.map((f, k) => {
      const first = f.steps[0]?.sessions ?? 0;
      return {
        name: f.name,
        type: 'bar',
        data: f.steps.map((s) => (first > 0 ? s.sessions / first : 0)),
        itemStyle: { color: colors.series[k % colors.series.length] },
        label: {
          show: true,
          position: 'top',
          color: colors.muted,
          fontSize: 10,
          formatter: (p: { value: number }) => formatPercent(p.value),
        },
      };
    }),
  } as ChartOption;
}
