/**
 * @module
 * The single registry of the server's tools. The write tools are listed here like every other
 * tool; the server drops them unless the operator passed --allow-write (and, for
 * `apply_migration`, --allow-ddl).
 * Listing comes from the manifest the build writes, so importing this module (and zod) waits for
 * the first call.
 */
import { explainQuery } from './explain.js';
import { checkDatabaseHealth, listTopQueries } from './health.js';
import { analyzeQueryIndexes, analyzeWorkloadIndexes } from './index-advice.js';
import { applyMigration, listMigrations } from './migrations.js';
import { executeSql, query } from './query.js';
import { describeObject, listObjects, listSchemas } from './schema.js';
import { runSqlTransaction } from './transaction.js';

export const tools = [
  query,
  listSchemas,
  listObjects,
  describeObject,
  explainQuery,
  checkDatabaseHealth,
  listTopQueries,
  analyzeQueryIndexes,
  analyzeWorkloadIndexes,
  listMigrations,
  executeSql,
  runSqlTransaction,
  applyMigration,
];
