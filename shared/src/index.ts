export * from './identity';
export * from './schemas/auth';
export * from './schemas/common';
export * from './schemas/lead';
export * from './schemas/problem';
export * from './schemas/touchpoint';
export * from './touchpoint-types';
