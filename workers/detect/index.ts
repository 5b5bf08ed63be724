/**
 * The online detector library: counts (Poisson / negative binomial around a seasonal baseline), ratios
 * (binomial / beta-binomial CUSUM), generic values (robust seasonal z, EWMA, CUSUM, S-H-ESD and their
 * ensemble), calibration (sensitivities, CUSUM thresholds, Benjamini–Hochberg). Pure: no I/O, no SQLite.
 */
export * from './types';
export * from './calibrate';
export * from './series';
export * from './distributions';
export { logGamma, logBeta, logChoose, gammaP, gammaQ, betaRegularized } from './special';
export * from './counts';
export * from './ratios';
export * from './means';
export * from './generic';
export * from './shesd';
export * from './combine';
export * from './isolation-forest';
