export * from './cadence';
export * from './due';
export * from './kinds';
export * from './schemas';
