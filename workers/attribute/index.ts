/**
 * Cohort localization: which cohorts (combinations of up to three dimension values) explain how a metric
 * deviated from its forecast. Pure: no I/O, no SQLite.
 */
export * from './types';
export { localize, localizeLeaves } from './localize';
export { encodeLeaves, LeafTableError, type EncodedLeaves } from './leaves';
export { surpriseTerm, jensenShannon, dimensionSurprises } from './divergence';
