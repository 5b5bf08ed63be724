import { echarts, type ChartOption, type ECharts } from './echarts';

function download(url: string, fileName: string): void {
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.click();
}

/** The chart as a PNG at twice its screen resolution, on the panel's background. */
export function savePng(chart: ECharts, fileName: string, background: string): void {
  // The zoom slider is a control, not part of the picture.
  const url = chart.getDataURL({
    type: 'png',
    pixelRatio: 2,
    backgroundColor: background,
    excludeComponents: ['dataZoom'],
  });
  download(url, `${fileName}.png`);
}

/**
 * The chart as SVG. The screen chart draws on a canvas (fast with 20,000 points), so the same option is drawn
 * once more by ECharts' SVG renderer, off screen, at the same size.
 */
export function saveSvg(
  chart: ECharts,
  fileName: string,
  theme: string | undefined,
  background: string,
): void {
  const svgChart = echarts.init(null, theme, {
    renderer: 'svg',
    ssr: true,
    width: chart.getWidth(),
    height: chart.getHeight(),
  });
  try {
    const option = chart.getOption() as ChartOption;
    svgChart.setOption({ ...option, dataZoom: [], animation: false, backgroundColor: background });
    const blob = new Blob([svgChart.renderToSVGString()], { type: 'image/svg+xml' });
    const url = URL.createObjectURL(blob);
    download(url, `${fileName}.svg`);
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  } finally {
    svgChart.dispose();
  }
}
