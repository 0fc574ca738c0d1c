export * from './schemas';
export * from './setup-line';
