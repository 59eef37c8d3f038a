import { describe, expect, it } from 'vitest';
import { mayChangeSchema } from './schema-change.js';

describe('mayChangeSchema', () => {
  it('lets plain data changes pass and asks for everything else', () => {
    for (const sql of [
      "INSERT INTO t VALUES (1, 'drop table x')",
      '  -- create table y\n update t set a = 1',
      '/* alter */ DELETE FROM t',
      'merge into t using s on true when matched then do nothing',
    ])
      expect(mayChangeSchema(sql), sql).toBe(false);
    for (const sql of [
      'CREATE TABLE t (id int)',
      'drop table t',
      'ALTER TABLE t ADD COLUMN b int',
      'TRUNCATE t',
      'GRANT ALL ON t TO public',
      "SELECT make_me_a_table('x')",
      'WITH x AS (SELECT 1) SELECT * FROM x',
      '-- only a comment',
    ])
      expect(mayChangeSchema(sql), sql).toBe(true);
  });
});
