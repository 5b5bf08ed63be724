import { useEffect, useRef } from 'react';
import { useThemeName } from '../state/workspace';
import { echarts, type ChartOption, type ECharts } from './echarts';
import { savePng, saveSvg } from './exportChart';
import { palette } from './palette';
import { zoomedTimeAxis } from './timeAxis';

// ECharts' event parameters are loosely typed; each chart reads the fields it set itself.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ChartEventHandler = (params: any) => void;

interface Props {
  title: string;
  option: ChartOption;
  height?: number;
  /** Base name of saved pictures. */
  fileName: string;
  onEvents?: Record<string, ChartEventHandler>;
  /** Text read by screen readers in place of the picture. */
  description?: string;
}

/**
 * One ECharts chart: drawn on a canvas, resized with its box, redrawn in the current theme, and saveable as PNG
 * or SVG from its header.
 */
export function EChart({ title, option, height = 320, fileName, onEvents, description }: Props) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<ECharts | null>(null);
  const theme = useThemeName();
  const echartsTheme = theme === 'dark' ? 'dark' : undefined;
  const background = palette(theme).background;

  useEffect(() => {
    if (!box.current) return;
    const instance = echarts.init(box.current, echartsTheme, { renderer: 'canvas' });
    chart.current = instance;
    const observer = new ResizeObserver(() => instance.resize());
    observer.observe(box.current);
    return () => {
      observer.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, [echartsTheme]);

  useEffect(() => {
    chart.current?.setOption(
      { backgroundColor: 'transparent', ...option },
      { notMerge: true, lazyUpdate: true },
    );
  }, [option, echartsTheme]);

  // A zoomed time axis gets ticks for its window again (whole hours or days of the workspace's zone).
  useEffect(() => {
    const instance = chart.current;
    if (!instance) return;
    const onZoom = () => {
      const zoom = (instance.getOption() as { dataZoom?: { start?: number; end?: number }[] }).dataZoom?.[0];
      const patch = zoomedTimeAxis(option.xAxis, zoom?.start ?? 0, zoom?.end ?? 100);
      if (patch) instance.setOption({ xAxis: [patch] }, { lazyUpdate: true });
    };
    instance.on('datazoom', onZoom);
    return () => {
      instance.off('datazoom', onZoom);
    };
  }, [option, echartsTheme]);

  useEffect(() => {
    const instance = chart.current;
    if (!instance || !onEvents) return;
    for (const [name, handler] of Object.entries(onEvents)) instance.on(name, handler);
    return () => {
      for (const [name, handler] of Object.entries(onEvents)) instance.off(name, handler);
    };
  }, [onEvents, echartsTheme]);

  return (
    <figure className="chart" aria-label={title}>
      <figcaption className="chart-head">
        <span className="chart-title">{title}</span>
        <button
          type="button"
          onClick={() => chart.current && savePng(chart.current, fileName, background)}
          aria-label={`Save ${title} as PNG`}
        >
          PNG
        </button>
        <button
          type="button"
          onClick={() => chart.current && saveSvg(chart.current, fileName, echartsTheme, background)}
          aria-label={`Save ${title} as SVG`}
        >
          SVG
        </button>
      </figcaption>
      <div
        ref={box}
        className="chart-canvas"
        style={{ height }}
        role="img"
        aria-label={description ?? title}
      />
    </figure>
  );
}
