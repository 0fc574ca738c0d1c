export * from './account';
export * from './day';
export * from './decide';
export * from './document';
