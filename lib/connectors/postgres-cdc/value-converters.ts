/**
 * PostgreSQL column → Connect schema and value, as Debezium 3.6.1.Final's PostgresValueConverter maps
 * them, from the text PostgreSQL writes (snapshot SELECTs and pgoutput alike) under {@link SESSION_SETTINGS}.
 *
 * @see https://github.com/debezium/debezium/blob/v3.6.1.Final/debezium-connector-postgres/src/main/java/io/debezium/connector/postgresql/PostgresValueConverter.java
 * @see https://github.com/debezium/debezium/blob/v3.6.1.Final/debezium-connector-common/src/main/java/io/debezium/jdbc/JdbcValueConverters.java
 */
import { type Schema, SchemaBuilder, Schemas, validateValue } from '../../api/index.js';
import { arrayMapping } from './array-types.js';
import { DebeziumData, pointValue } from './debezium-types.js';
import { type Conversion, finish, int64, type Mapping, mapping, utf8 } from './mapping.js';
import { bitLength, bitsMapping, intervalMapping, moneyMapping, numericMapping } from './numeric-types.js';
import { jacksonObject, parseBytea, parseHstore, parsePoint } from './pg-text.js';
import { PgOid, type PgType, type TypeCatalog } from './pg-types.js';
import {
  dateConversion,
  type TimePrecisionMode,
  timeConversion,
  timestampConversion,
  timestamptzConversion,
  timetzConversion,
} from './temporal.js';

/**
 * The session settings every connection (snapshot and replication) runs with: the text formats the
 * parsers here read. ISO dates without locale words, UTC, shortest exact floats, hex bytea, `$` money
 * and ISO 8601 intervals (one signed number per field).
 */
export const SESSION_SETTINGS = {
  DateStyle: 'ISO',
  IntervalStyle: 'iso_8601',
  TimeZone: 'UTC',
  extra_float_digits: '3',
  bytea_output: 'hex',
  lc_monetary: 'C',
} as const;

/** The connector's handling modes (`decimal.handling.mode`, `time.precision.mode`, …). */
export interface HandlingModes {
  decimal: 'precise' | 'string' | 'double';
  time: TimePrecisionMode;
  binary: 'bytes' | 'base64' | 'base64-url-safe' | 'hex';
  hstore: 'json' | 'map';
  interval: 'numeric' | 'string';
  moneyFractionDigits: number;
  includeUnknownDatatypes: boolean;
  unavailablePlaceholder: string;
}

/** A table column as the catalog describes it (`pg_attribute`). */
export interface PgColumn {
  name: string;
  typeOid: number;
  typeMod: number;
  optional: boolean;
}

export interface ColumnConverter {
  schema: Schema;
  /** The Connect value of the column's text; throws a DataError where Debezium's conversion fails. */
  fromText(text: string): unknown;
  /** The value for an unchanged TOAST datum: the placeholder in the column's shape, or null where Debezium gives null. */
  unavailable: unknown;
  /** The value of a NULL: null, or for a required column Debezium's fallback (0, '', epoch, …), as in key-only before images. */
  nullValue: unknown;
}

interface Context {
  catalog: TypeCatalog;
  modes: HandlingModes;
}

const identity = (text: string): string => text;
const text = (builder: () => SchemaBuilder = SchemaBuilder.string): Conversion => ({
  builder,
  fromText: identity,
  fallback: '',
});

/**
 * The converter of a column, or undefined when Debezium leaves the column out of its events (types it does
 * not know, unless `include.unknown.datatypes`, and the arrays it has no schema for).
 */
export function columnConverter(
  column: PgColumn,
  catalog: TypeCatalog,
  modes: HandlingModes,
): ColumnConverter | undefined {
  // Debezium maps a domain column as its root type, with the length and scale the domains apply.
  const { type, typmod } = catalog.resolveDomain(column.typeOid, column.typeMod);
  const m = type && typeMapping(type, typmod, { catalog, modes }, column.optional);
  if (!m) return undefined;
  const candidate = m.unchanged === undefined ? modes.unavailablePlaceholder : m.unchanged;
  return {
    schema: m.schema,
    fromText: m.fromText,
    unavailable: fits(m.schema, candidate) ? candidate : null,
    nullValue: column.optional ? null : m.fallback,
  };
}

function fits(schema: Schema, value: unknown): boolean {
  try {
    validateValue(schema, value);
    return true;
  } catch {
    return false;
  }
}

function typeMapping(type: PgType, typmod: number, ctx: Context, optional: boolean): Mapping | undefined {
  const { modes } = ctx;
  switch (type.oid) {
    case PgOid.BOOL:
      return mapping({ builder: SchemaBuilder.bool, fromText: (t) => t === 't', fallback: false }, optional);
    case PgOid.INT2:
      return mapping({ builder: SchemaBuilder.int16, fromText: Number, fallback: 0 }, optional);
    case PgOid.INT4:
      return mapping({ builder: SchemaBuilder.int32, fromText: Number, fallback: 0 }, optional);
    case PgOid.INT8:
    case PgOid.OID:
      return mapping(
        { builder: SchemaBuilder.int64, fromText: (t) => int64(BigInt(t)), fallback: 0 },
        optional,
      );
    case PgOid.FLOAT4:
      return mapping(
        { builder: SchemaBuilder.float32, fromText: (t) => Math.fround(Number(t)), fallback: 0 },
        optional,
      );
    case PgOid.FLOAT8:
      return mapping({ builder: SchemaBuilder.float64, fromText: Number, fallback: 0 }, optional);
    case PgOid.NUMERIC:
      return numericMapping(typmod, modes.decimal, optional);
    case PgOid.MONEY:
      return moneyMapping(modes, optional);
    case PgOid.BIT:
    case PgOid.VARBIT:
      return bitsMapping(bitLength(type.oid, typmod), optional);
    case PgOid.CHAR:
    case PgOid.NAME:
    case PgOid.TEXT:
    case PgOid.VARCHAR:
    case PgOid.BPCHAR:
    case PgOid.INET:
    case PgOid.CIDR:
    case PgOid.MACADDR:
    case PgOid.MACADDR8:
    case PgOid.INT4RANGE:
    case PgOid.INT8RANGE:
    case PgOid.NUMRANGE:
    case PgOid.TSRANGE:
    case PgOid.TSTZRANGE:
    case PgOid.DATERANGE:
      return mapping(text(), optional);
    case PgOid.JSON:
    case PgOid.JSONB:
      return mapping(text(DebeziumData.json), optional);
    case PgOid.XML:
      return mapping(text(DebeziumData.xml), optional);
    case PgOid.UUID:
      return mapping(text(DebeziumData.uuid), optional);
    case PgOid.TSVECTOR:
      return mapping(text(DebeziumData.tsvector), optional);
    case PgOid.BYTEA:
      return binaryMapping(modes, parseBytea, optional);
    case PgOid.DATE:
      return mapping(dateConversion(modes.time), optional);
    case PgOid.TIME:
      return mapping(timeConversion(modes.time, timeScale(typmod)), optional);
    case PgOid.TIMESTAMP:
      return mapping(timestampConversion(modes.time, timeScale(typmod), optional), optional);
    case PgOid.TIMESTAMPTZ:
      return mapping(timestamptzConversion(timeScale(typmod)), optional);
    case PgOid.TIMETZ:
      return mapping(timetzConversion(), optional);
    case PgOid.INTERVAL:
      return intervalMapping(modes.interval, optional);
    case PgOid.POINT: {
      const schema = finish(DebeziumData.point(), optional);
      const fromText = (t: string) => {
        const { x, y } = parsePoint(t);
        return pointValue(schema, x, y);
      };
      return { schema, fromText, fallback: pointValue(schema, 0, 0) };
    }
  }
  if (type.name === 'citext') return mapping(text(), optional);
  if (type.name === 'hstore') return hstoreMapping(modes, optional);
  if (type.enumLabels)
    return mapping(
      text(() => DebeziumData.enumeration(type.enumLabels ?? [])),
      optional,
    );
  if (type.elementOid !== undefined) {
    return arrayMapping(type, typmod, ctx, optional, (element, mod, opt) =>
      typeMapping(element, mod, ctx, opt),
    );
  }
  return modes.includeUnknownDatatypes ? binaryMapping(modes, utf8, optional) : undefined;
}

/** pgjdbc's scale of a time type: the modifier, 6 without one. */
const timeScale = (typmod: number): number => (typmod === -1 ? 6 : typmod);

/**
 * `binary.handling.mode` for bytea (and unknown types, as their text's UTF-8 bytes). Unchanged TOAST: the
 * placeholder's bytes or text — except in the base64 modes, where Debezium's converter gives null.
 */
function binaryMapping(modes: HandlingModes, bytesOf: (t: string) => Uint8Array, optional: boolean): Mapping {
  const encoded = (encode: (b: Buffer) => string, unchanged: unknown): Mapping =>
    mapping(
      { builder: SchemaBuilder.string, fromText: (t) => encode(Buffer.from(bytesOf(t))), fallback: '' },
      optional,
      unchanged,
    );
  switch (modes.binary) {
    case 'base64':
      return encoded((b) => b.toString('base64'), null);
    case 'base64-url-safe':
      // Java's URL-safe encoder keeps the `=` padding that Node's base64url drops.
      return encoded((b) => b.toString('base64').replaceAll('+', '-').replaceAll('/', '_'), null);
    case 'hex':
      return encoded((b) => b.toString('hex'), undefined);
    default:
      return mapping(
        { builder: SchemaBuilder.bytes, fromText: bytesOf, fallback: new Uint8Array(0) },
        optional,
        utf8(modes.unavailablePlaceholder),
      );
  }
}

/** hstore: a JSON object string or a map of optional strings, in Java HashMap order. */
function hstoreMapping(modes: HandlingModes, optional: boolean): Mapping {
  const placeholder = new Map([[modes.unavailablePlaceholder, modes.unavailablePlaceholder]]);
  if (modes.hstore === 'json') {
    const c = {
      builder: DebeziumData.json,
      fromText: (t: string) => jacksonObject(parseHstore(t)),
      fallback: '{}',
    };
    return mapping(c, optional, jacksonObject(placeholder));
  }
  const builder = () => SchemaBuilder.map(Schemas.STRING, Schemas.OPTIONAL_STRING);
  return mapping({ builder, fromText: parseHstore, fallback: new Map() }, optional, placeholder);
}
