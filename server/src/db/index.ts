// `@leadline/server/db`: opening the database, for tests, benchmarks and scripts outside the server.
export { assertForeignKeys, type Database, type DatabaseHandle, type Executor, openDatabase } from './client';
export { newId } from './ids';
