export { fromFlag, fromJsonText, toFlag, toIso, toJsonText } from './columns.js';
export { StorageError, isForeignKeyViolation, isUniqueViolation } from './errors.js';
export { newId } from './ids.js';
export { migrateToLatest, migrationsFor, type Dialect } from './migrate.js';
export { openStorage, storageOptionsFor, type OpenStorageOptions, type Storage } from './open.js';
export type * from './schema.js';
export { inTransaction } from './transaction.js';
