// The plain-series scorer and the timestamp reader, re-exported for main/ (which may import only the pool
// client of workers/): `funnelscope score-series` runs them in the CLI process, as they stream a file.
export { SeriesScorer, describeSeriesScoring } from '../detect/score-series';
export type { SeriesPoint, SeriesScore, SeriesScoringSummary } from '../detect/score-series';
export { detectTimeFormat, makeTimeParser } from '../ingest/timestamps';
