import type { BigDecimal } from './data/big-decimal.js';
import { validateValue } from './data/connect-schema.js';
import { ConnectDate, ConnectTime, ConnectTimestamp, Decimal } from './data/logical.js';
import { type Schema, Schemas } from './data/schema.js';
import type { Struct } from './data/struct.js';
import { DataError } from './errors.js';

/** One record header (Kafka's `Header`): a key with a Connect value and its (possibly null) schema. */
export interface Header {
  readonly key: string;
  readonly schema: Schema | null;
  readonly value: unknown;
}

/**
 * The ordered, multi-valued headers of a record (Kafka's `ConnectHeaders`). Mutable, as in Kafka; records
 * copy them when copied, so mutate only headers you own.
 *
 * @example
 * const headers = new ConnectHeaders().addString('source', 'orders').addInt('attempt', 1);
 * headers.lastWithName('attempt')?.value; // 1
 */
export class ConnectHeaders implements Iterable<Header> {
  #headers: Header[];

  constructor(headers?: Iterable<Header>) {
    this.#headers = headers ? [...headers] : [];
  }

  get size(): number {
    return this.#headers.length;
  }

  isEmpty(): boolean {
    return this.#headers.length === 0;
  }

  [Symbol.iterator](): Iterator<Header> {
    return this.#headers[Symbol.iterator]();
  }

  /** Adds a header; validates the value against the schema when there is one. */
  add(key: string, value: unknown, schema: Schema | null = null): this {
    if (typeof key !== 'string') throw new DataError('Header key cannot be null');
    if (schema) validateValue(schema, value);
    this.#headers.push(Object.freeze({ key, schema, value: value ?? null }));
    return this;
  }

  /** Adds an existing header as is. */
  addHeader(header: Header): this {
    return this.add(header.key, header.value, header.schema);
  }

  addString(key: string, value: string | null): this {
    return this.add(key, value, value === null ? Schemas.OPTIONAL_STRING : Schemas.STRING);
  }
  addBoolean(key: string, value: boolean): this {
    return this.add(key, value, Schemas.BOOLEAN);
  }
  addByte(key: string, value: number): this {
    return this.add(key, value, Schemas.INT8);
  }
  addShort(key: string, value: number): this {
    return this.add(key, value, Schemas.INT16);
  }
  addInt(key: string, value: number): this {
    return this.add(key, value, Schemas.INT32);
  }
  addLong(key: string, value: number | bigint): this {
    return this.add(key, value, Schemas.INT64);
  }
  addFloat(key: string, value: number): this {
    return this.add(key, value, Schemas.FLOAT32);
  }
  addDouble(key: string, value: number): this {
    return this.add(key, value, Schemas.FLOAT64);
  }
  addBytes(key: string, value: Uint8Array): this {
    return this.add(key, value, Schemas.BYTES);
  }
  addList(key: string, value: unknown[], schema: Schema): this {
    return this.add(key, value, schema);
  }
  addMap(key: string, value: Map<unknown, unknown> | Record<string, unknown>, schema: Schema): this {
    return this.add(key, value, schema);
  }
  addStruct(key: string, value: Struct): this {
    return this.add(key, value, value.schema);
  }
  addDecimal(key: string, value: BigDecimal): this {
    return this.add(key, value, Decimal.schema(value.scale));
  }
  addDate(key: string, value: Date): this {
    return this.add(key, value, ConnectDate.SCHEMA);
  }
  addTime(key: string, value: Date): this {
    return this.add(key, value, ConnectTime.SCHEMA);
  }
  addTimestamp(key: string, value: Date): this {
    return this.add(key, value, ConnectTimestamp.SCHEMA);
  }

  /** The headers with this key, in order. */
  allWithName(key: string): Header[] {
    return this.#headers.filter((h) => h.key === key);
  }

  /** The last header with this key, or `undefined`. */
  lastWithName(key: string): Header | undefined {
    return this.#headers.findLast((h) => h.key === key);
  }

  /** Removes every header with this key. */
  remove(key: string): this {
    this.#headers = this.#headers.filter((h) => h.key !== key);
    return this;
  }

  /** Keeps only the last header of each key (or of the given key). */
  retainLatest(key?: string): this {
    const seen = new Set<string>();
    const kept: Header[] = [];
    for (let i = this.#headers.length - 1; i >= 0; i--) {
      const h = this.#headers[i] as Header;
      if ((key !== undefined && h.key !== key) || !seen.has(h.key)) kept.push(h);
      seen.add(h.key);
    }
    this.#headers = kept.reverse();
    return this;
  }

  /** Removes all headers. */
  clear(): this {
    this.#headers = [];
    return this;
  }

  /** A copy that can be changed independently. */
  duplicate(): ConnectHeaders {
    return new ConnectHeaders(this.#headers);
  }

  toString(): string {
    return `ConnectHeaders(headers=${this.#headers.map((h) => `${h.key}=${String(h.value)}`).join(', ')})`;
  }
}
