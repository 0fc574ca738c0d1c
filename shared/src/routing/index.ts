export * from './account';
export * from './analytics';
export * from './day';
export * from './decide';
export * from './document';
export * from './sla';
