/**
 * @module
 * The single registry of the server's tools. `execute_sql` is listed here like every other tool;
 * the server drops it unless the operator passed --allow-write. Listing comes from the manifest
 * the build writes, so importing this module (and zod) waits for the first call.
 */
import { explainQuery } from './explain.js';
import { checkDatabaseHealth, listTopQueries } from './health.js';
import { executeSql, query } from './query.js';
import { describeObject, listObjects, listSchemas } from './schema.js';

export const tools = [
  query,
  listSchemas,
  listObjects,
  describeObject,
  explainQuery,
  checkDatabaseHealth,
  listTopQueries,
  executeSql,
];
