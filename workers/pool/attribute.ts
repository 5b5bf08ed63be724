// Cohort localization, re-exported for main/ (which may import only the pool client of workers/):
// `funnelscope localize` runs it in the CLI process on a plain leaf table.
export { localize, LeafTableError } from '../attribute';
export type { LeafTable, LocalizationResult, RootCause } from '../attribute';
