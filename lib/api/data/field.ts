import type { Schema } from './schema.js';

/** A field of a STRUCT schema (Kafka's `Field`). */
export interface Field {
  readonly name: string;
  /** Position in the struct, from 0. */
  readonly index: number;
  readonly schema: Schema;
}
