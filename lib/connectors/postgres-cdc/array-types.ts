/**
 * Array columns as Debezium 3.6.1.Final's PostgresValueConverter maps them: which arrays it knows, which
 * it drops, and the placeholders it uses for unchanged TOAST values.
 *
 * @see https://github.com/debezium/debezium/blob/v3.6.1.Final/debezium-connector-postgres/src/main/java/io/debezium/connector/postgresql/PostgresValueConverter.java
 * @see https://github.com/debezium/debezium/blob/v3.6.1.Final/debezium-connector-postgres/src/main/java/io/debezium/connector/postgresql/UnchangedToastedPlaceholder.java
 */
import { createHash } from 'node:crypto';
import { DataError, SchemaBuilder } from '../../api/index.js';
import { finish, type Mapping, utf8 } from './mapping.js';
import { bitsMapping } from './numeric-types.js';
import { type ArrayElement, parseArray } from './pg-text.js';
import { PgOid, type PgType, type TypeCatalog } from './pg-types.js';
import type { HandlingModes } from './value-converters.js';

/** The mapping of an array's element type, as a column of that type with the array's modifier. */
export type ElementMapping = (type: PgType, typmod: number, optional: boolean) => Mapping | undefined;

// The arrays Debezium gives an explicit schema of optional elements.
const ARRAYS_OF_OPTIONAL = new Set<number>([
  PgOid.INT2_ARRAY,
  PgOid.INT4_ARRAY,
  PgOid.INT8_ARRAY,
  PgOid.OID_ARRAY,
  PgOid.CHAR_ARRAY,
  PgOid.VARCHAR_ARRAY,
  PgOid.TEXT_ARRAY,
  PgOid.BPCHAR_ARRAY,
  PgOid.INET_ARRAY,
  PgOid.CIDR_ARRAY,
  PgOid.MACADDR_ARRAY,
  PgOid.MACADDR8_ARRAY,
  PgOid.TSRANGE_ARRAY,
  PgOid.TSTZRANGE_ARRAY,
  PgOid.DATERANGE_ARRAY,
  PgOid.INT4RANGE_ARRAY,
  PgOid.NUMRANGE_ARRAY,
  PgOid.INT8RANGE_ARRAY,
  PgOid.NUMERIC_ARRAY,
  PgOid.FLOAT4_ARRAY,
  PgOid.FLOAT8_ARRAY,
  PgOid.BOOL_ARRAY,
  PgOid.DATE_ARRAY,
  PgOid.UUID_ARRAY,
  PgOid.JSONB_ARRAY,
  PgOid.JSON_ARRAY,
  PgOid.TIME_ARRAY,
  PgOid.TIMETZ_ARRAY,
  PgOid.TIMESTAMP_ARRAY,
  PgOid.TIMESTAMPTZ_ARRAY,
  PgOid.BYTEA_ARRAY,
]);
// The arrays Debezium has no schema for, whatever the settings.
const ARRAYS_DROPPED = new Set<number>([
  PgOid.MONEY_ARRAY,
  PgOid.NAME_ARRAY,
  PgOid.INTERVAL_ARRAY,
  PgOid.VARBIT_ARRAY,
  PgOid.XML_ARRAY,
  PgOid.POINT_ARRAY,
  PgOid.REFCURSOR_ARRAY,
]);

/**
 * Arrays: each element converted as a column of the element type with the array's modifier. Elements are
 * optional for the arrays Debezium lists (and citext[], hstore[]), required for enum arrays and the rest
 * (where elements of unknown types need `include.unknown.datatypes`). Multi-dimensional arrays are refused.
 */
export function arrayMapping(
  type: PgType,
  typmod: number,
  ctx: { catalog: TypeCatalog; modes: HandlingModes },
  optional: boolean,
  elementMapping: ElementMapping,
): Mapping | undefined {
  if (ARRAYS_DROPPED.has(type.oid)) return undefined;
  if (type.oid === PgOid.BIT_ARRAY) return bitArrayMapping(typmod, optional);
  const elementType = ctx.catalog.get(type.elementOid as number);
  if (!elementType) return undefined;
  const optionalElements =
    ARRAYS_OF_OPTIONAL.has(type.oid) || elementType.name === 'citext' || elementType.name === 'hstore';
  const element = elementMapping(elementType, typmod, optionalElements);
  if (!element) return undefined;
  const convert = (e: ArrayElement): unknown => {
    if (Array.isArray(e)) throw new DataError('Multi-dimensional arrays are not supported');
    return e === null ? null : element.fromText(e);
  };
  // As pgjdbc assumes: box, whose text has commas, is the one stock type whose arrays delimit with ';'.
  const delimiter = elementType.oid === PgOid.BOX ? ';' : ',';
  const schema = finish(SchemaBuilder.array(element.schema), optional);
  return {
    schema,
    fromText: (t) => parseArray(t, delimiter).map(convert),
    fallback: [],
    unchanged: unchangedArray(type, ctx.modes),
  };
}

/** Debezium gives bit[] the schema of one bit(n) and then cannot put its list there: the value fails. */
function bitArrayMapping(typmod: number, optional: boolean): Mapping {
  const { schema } = bitsMapping(typmod, optional);
  const fromText = (): never => {
    throw new DataError('Debezium 3.6.1 maps bit[] to a non-array schema; its values cannot be converted');
  };
  return { schema, fromText, fallback: [] };
}

/** Debezium's unchanged-TOAST placeholders for arrays, by array type. */
function unchangedArray(type: PgType, modes: HandlingModes): unknown {
  const bytes = utf8(modes.unavailablePlaceholder);
  const signed = [...new Int8Array(bytes.buffer, bytes.byteOffset, bytes.length)];
  switch (type.oid) {
    case PgOid.TEXT_ARRAY:
    case PgOid.VARCHAR_ARRAY:
    case PgOid.BPCHAR_ARRAY:
    case PgOid.JSON_ARRAY:
    case PgOid.JSONB_ARRAY:
      return [modes.unavailablePlaceholder];
    case PgOid.BYTEA_ARRAY:
      return [bytes];
    case PgOid.INT4_ARRAY:
    case PgOid.DATE_ARRAY:
    case PgOid.INT8_ARRAY:
      return signed;
    case PgOid.UUID_ARRAY:
      return [nameUuidFromBytes(bytes)];
    default:
      return undefined;
  }
}

/** Java's `UUID.nameUUIDFromBytes`: an MD5 (version 3) UUID. */
function nameUuidFromBytes(bytes: Uint8Array): string {
  const md5 = createHash('md5').update(bytes).digest();
  md5[6] = ((md5[6] as number) & 0x0f) | 0x30;
  md5[8] = ((md5[8] as number) & 0x3f) | 0x80;
  const hex = md5.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
