import type pg from 'pg';

/** One row of `pg_type` (with its enum labels): what the converters need to know about a column's type. */
export interface PgType {
  oid: number;
  schema: string;
  name: string;
  /** `pg_type.typtype`: b base, c composite, d domain, e enum, p pseudo, r range, m multirange. */
  kind: string;
  /** `pg_type.typcategory`: A array, E enum, N numeric, S string, … */
  category: string;
  /** Arrays only (category A): the element type. */
  elementOid?: number;
  /** Domains only: the type the domain is declared over. */
  baseOid?: number;
  /** Domains only: the type modifier the domain applies to its base type (`typtypmod`), when it has one. */
  typmod?: number;
  /** Enums only: the labels in their sort order. */
  enumLabels?: string[];
}

/** The OIDs of built-in types, fixed across PostgreSQL versions (`pg_type.dat`), that get their own mapping. */
export const PgOid = {
  BOOL: 16,
  BYTEA: 17,
  CHAR: 18,
  NAME: 19,
  INT8: 20,
  INT2: 21,
  INT4: 23,
  TEXT: 25,
  OID: 26,
  JSON: 114,
  XML: 142,
  XML_ARRAY: 143,
  JSON_ARRAY: 199,
  POINT: 600,
  BOX: 603,
  CIDR: 650,
  CIDR_ARRAY: 651,
  FLOAT4: 700,
  FLOAT8: 701,
  MACADDR8: 774,
  MACADDR8_ARRAY: 775,
  MONEY: 790,
  MONEY_ARRAY: 791,
  MACADDR: 829,
  INET: 869,
  BOOL_ARRAY: 1000,
  BYTEA_ARRAY: 1001,
  CHAR_ARRAY: 1002,
  NAME_ARRAY: 1003,
  INT2_ARRAY: 1005,
  INT4_ARRAY: 1007,
  TEXT_ARRAY: 1009,
  BPCHAR_ARRAY: 1014,
  VARCHAR_ARRAY: 1015,
  INT8_ARRAY: 1016,
  POINT_ARRAY: 1017,
  FLOAT4_ARRAY: 1021,
  FLOAT8_ARRAY: 1022,
  OID_ARRAY: 1028,
  MACADDR_ARRAY: 1040,
  INET_ARRAY: 1041,
  BPCHAR: 1042,
  VARCHAR: 1043,
  DATE: 1082,
  TIME: 1083,
  TIMESTAMP: 1114,
  TIMESTAMP_ARRAY: 1115,
  DATE_ARRAY: 1182,
  TIME_ARRAY: 1183,
  TIMESTAMPTZ: 1184,
  TIMESTAMPTZ_ARRAY: 1185,
  INTERVAL: 1186,
  INTERVAL_ARRAY: 1187,
  NUMERIC_ARRAY: 1231,
  TIMETZ: 1266,
  TIMETZ_ARRAY: 1270,
  BIT: 1560,
  BIT_ARRAY: 1561,
  VARBIT: 1562,
  VARBIT_ARRAY: 1563,
  NUMERIC: 1700,
  REFCURSOR_ARRAY: 2201,
  UUID: 2950,
  UUID_ARRAY: 2951,
  TSVECTOR: 3614,
  JSONB: 3802,
  JSONB_ARRAY: 3807,
  INT4RANGE: 3904,
  INT4RANGE_ARRAY: 3905,
  NUMRANGE: 3906,
  NUMRANGE_ARRAY: 3907,
  TSRANGE: 3908,
  TSRANGE_ARRAY: 3909,
  TSTZRANGE: 3910,
  TSTZRANGE_ARRAY: 3911,
  DATERANGE: 3912,
  DATERANGE_ARRAY: 3913,
  INT8RANGE: 3926,
  INT8RANGE_ARRAY: 3927,
} as const;

// As Debezium's TypeRegistry reads it: every type outside pg_toast, enum labels in sort order. Everything
// comes back as text (the per-query parser below), so no client-wide type parser can change what we read.
const CATALOG_SQL = `SELECT t.oid::text, n.nspname, t.typname, t.typtype, t.typcategory, t.typelem::text,
    t.typbasetype::text, t.typtypmod::text, e.labels
  FROM pg_catalog.pg_type t
  JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
  LEFT JOIN (SELECT enumtypid, json_agg(enumlabel ORDER BY enumsortorder)::text AS labels
               FROM pg_catalog.pg_enum GROUP BY enumtypid) e ON e.enumtypid = t.oid
  WHERE n.nspname <> 'pg_toast'`;

type CatalogRow = [string, string, string, string, string, string, string, string, string | null];

/** The database's types by OID, read once per connection (a few hundred rows). */
export class TypeCatalog {
  readonly #byOid = new Map<number, PgType>();

  constructor(types: Iterable<PgType>) {
    for (const type of types) this.#byOid.set(type.oid, type);
  }

  static async load(client: pg.ClientBase): Promise<TypeCatalog> {
    const result = await client.query<CatalogRow>({
      text: CATALOG_SQL,
      rowMode: 'array',
      types: { getTypeParser: () => (value: string) => value },
    });
    return new TypeCatalog(result.rows.map(toType));
  }

  get(oid: number): PgType | undefined {
    return this.#byOid.get(oid);
  }

  /** The type a domain (chain) stands for, and the type modifier the nearest domain applies to it. */
  resolveDomain(oid: number, typmod: number): { type: PgType | undefined; typmod: number } {
    let type = this.get(oid);
    let effective = typmod;
    for (let depth = 0; type?.kind === 'd' && type.baseOid !== undefined && depth < 32; depth++) {
      if (effective === -1 && type.typmod !== undefined) effective = type.typmod;
      type = this.get(type.baseOid);
    }
    return { type, typmod: effective };
  }
}

function toType([oid, schema, name, kind, category, elem, base, typmod, labels]: CatalogRow): PgType {
  const type: PgType = { oid: Number(oid), schema, name, kind, category };
  if (category === 'A' && elem !== '0') type.elementOid = Number(elem);
  if (kind === 'd') {
    type.baseOid = Number(base);
    if (typmod !== '-1') type.typmod = Number(typmod);
  }
  if (labels !== null) type.enumLabels = JSON.parse(labels) as string[];
  return type;
}
