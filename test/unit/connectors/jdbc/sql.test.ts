import { describe, expect, it } from 'vitest';
import {
  BigDecimal,
  ConnectDate,
  ConnectTimestamp,
  Decimal,
  SchemaBuilder,
  Schemas,
} from '../../../../lib/api/index.js';
import { mysqlDialect, postgresDialect } from '../../../../lib/connectors/jdbc/dialect.js';
import {
  alterTableSql,
  createTableSql,
  deleteSql,
  insertSql,
  toDbValue,
  updateSql,
} from '../../../../lib/connectors/jdbc/sink-sql.js';
import { buildSelect } from '../../../../lib/connectors/jdbc/source-query.js';
import { parseTableName } from '../../../../lib/connectors/jdbc/table-id.js';

const pgd = postgresDialect();
const my = mysqlDialect();

describe('identifier quoting', () => {
  it('doubles the quote character inside an identifier, so no name can end the quoting', () => {
    expect(pgd.quote('we"ird; DROP TABLE x')).toBe('"we""ird; DROP TABLE x"');
    expect(my.quote('a`b')).toBe('`a``b`');
    expect(pgd.table({ schema: 'public', table: 'Orders' })).toBe('"public"."Orders"');
    expect(my.table({ catalog: 'shop', schema: 'ignored', table: 't' })).toBe('`shop`.`t`');
  });

  it('accepts only plain identifiers with quote.sql.identifiers=never', () => {
    expect(postgresDialect('never').quote('orders_2')).toBe('orders_2');
    expect(() => postgresDialect('never').quote('a b')).toThrow(/needs quoting/);
  });

  it('parses quoted and qualified table names', () => {
    expect(parseTableName('"my.schema".t')).toEqual({ schema: 'my.schema', table: 't' });
    expect(parseTableName('db.s.t')).toEqual({ catalog: 'db', schema: 's', table: 't' });
    expect(parseTableName('shop.t', 2)).toEqual({ catalog: 'shop', table: 't' });
  });
});

describe('statements', () => {
  it('builds multi-row inserts and upserts with placeholders only', () => {
    expect(insertSql(pgd, { table: 't' }, ['id', 'v'], 2, { keys: ['id'], nonKeys: ['v'] })).toBe(
      'INSERT INTO "t" ("id", "v") VALUES ($1, $2), ($3, $4) ON CONFLICT ("id") DO UPDATE SET "v" = EXCLUDED."v"',
    );
    expect(insertSql(my, { table: 't' }, ['id', 'v'], 1, { keys: ['id'], nonKeys: ['v'] })).toBe(
      'INSERT INTO `t` (`id`, `v`) VALUES (?, ?) ON DUPLICATE KEY UPDATE `v`=VALUES(`v`)',
    );
    expect(insertSql(pgd, { table: 't' }, ['id'], 1, { keys: ['id'], nonKeys: [] })).toMatch(/DO NOTHING$/);
  });

  it('builds updates and deletes by key', () => {
    expect(updateSql(pgd, { table: 't' }, ['a', 'b'], ['id'])).toBe(
      'UPDATE "t" SET "a" = $1, "b" = $2 WHERE "id" = $3',
    );
    expect(deleteSql(my, { table: 't' }, ['k1', 'k2'], 2)).toBe(
      'DELETE FROM `t` WHERE (`k1` = ? AND `k2` = ?) OR (`k1` = ? AND `k2` = ?)',
    );
  });

  it('creates and evolves tables with each dialect’s types', () => {
    const cols = [
      { name: 'id', schema: Schemas.STRING, isKey: true },
      { name: 'price', schema: Decimal.builder(2).optional().build(), isKey: false },
      { name: 'at', schema: ConnectTimestamp.SCHEMA, isKey: false },
      { name: 'n', schema: SchemaBuilder.int32().optional().defaultValue(7).build(), isKey: false },
    ];
    expect(createTableSql(my, { table: 't' }, cols)).toBe(
      'CREATE TABLE `t` (\n  `id` VARCHAR(256) NOT NULL,\n  `price` DECIMAL(65,2) NULL,\n  `at` DATETIME(3) NOT NULL,\n  `n` INT DEFAULT 7 NULL,\n  PRIMARY KEY(`id`))',
    );
    expect(createTableSql(pgd, { table: 't' }, cols)).toContain('"at" TIMESTAMP NOT NULL');
    expect(alterTableSql(pgd, { table: 't' }, [cols[1]!])).toBe(
      'ALTER TABLE "t" ADD COLUMN "price" DECIMAL NULL',
    );
  });

  it('maps every primitive Connect type per dialect', () => {
    const types = [
      'INT8',
      'INT16',
      'INT32',
      'INT64',
      'FLOAT32',
      'FLOAT64',
      'BOOLEAN',
      'STRING',
      'BYTES',
    ] as const;
    expect(types.map((t) => pgd.sqlType(SchemaBuilder.type(t).build(), false))).toEqual([
      'SMALLINT',
      'SMALLINT',
      'INT',
      'BIGINT',
      'REAL',
      'DOUBLE PRECISION',
      'BOOLEAN',
      'TEXT',
      'BYTEA',
    ]);
    expect(types.map((t) => my.sqlType(SchemaBuilder.type(t).build(), false))).toEqual([
      'TINYINT',
      'SMALLINT',
      'INT',
      'BIGINT',
      'FLOAT',
      'DOUBLE',
      'TINYINT',
      'TEXT',
      'LONGBLOB',
    ]);
    expect(pgd.sqlType(ConnectDate.SCHEMA, false)).toBe('DATE');
    expect(() => pgd.sqlType(SchemaBuilder.struct().build(), false)).toThrow(/Unsupported/);
  });

  it('binds values as text where the driver would lose precision', () => {
    expect(toDbValue(pgd, Decimal.schema(3), BigDecimal.parse('-1.250'))).toBe('-1.250');
    expect(toDbValue(my, ConnectTimestamp.SCHEMA, new Date('2024-01-02T03:04:05.678Z'))).toBe(
      '2024-01-02 03:04:05.678000',
    );
    expect(toDbValue(my, ConnectDate.SCHEMA, new Date('2024-01-02T00:00:00Z'))).toBe('2024-01-02');
    expect(toDbValue(pgd, Schemas.INT64, 2n ** 62n)).toBe('4611686018427387904');
    expect(toDbValue(my, Schemas.BOOLEAN, true)).toBe(1);
  });

  it('builds the source queries of each mode with offsets as parameters', () => {
    const base = { dialect: pgd, from: '"t"', incrementingColumn: 'id', timestampColumns: ['u'], limit: 10 };
    expect(buildSelect({ ...base, mode: 'incrementing' })).toEqual({
      sql: 'SELECT * FROM "t" WHERE "id" > $1 ORDER BY "id" ASC LIMIT 10',
      params: ['inc'],
    });
    expect(buildSelect({ ...base, mode: 'timestamp+incrementing', timestampColumns: ['a', 'b'] }).sql).toBe(
      'SELECT * FROM "t" WHERE COALESCE("a", "b") < $1 AND ((COALESCE("a", "b") = $2 AND "id" > $3) OR COALESCE("a", "b") > $4) ORDER BY COALESCE("a", "b"), "id" ASC LIMIT 10',
    );
    expect(buildSelect({ ...base, mode: 'bulk', bulkOrder: [1, 3] })).toEqual({
      sql: 'SELECT * FROM "t" ORDER BY 1, 3 LIMIT 10 OFFSET $1',
      params: ['skip'],
    });
  });
});
