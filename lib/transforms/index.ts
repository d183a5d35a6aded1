/**
 * The built-in SMTs and predicates of Apache Kafka Connect, as typed lists for the plugin registry
 * (`lib/plugins.ts`): each entry is Kafka's full class name and a factory of a fresh, unconfigured
 * instance.
 */
import type { Predicate, Transformation } from '../api/index.js';
import { CastKey, CastValue } from './cast.js';
import { ExtractNewRecordState } from './debezium/extract-new-record-state.js';
import { DropHeaders } from './drop-headers.js';
import { ExtractFieldKey, ExtractFieldValue } from './extract-field.js';
import { Filter } from './filter.js';
import { FlattenKey, FlattenValue } from './flatten.js';
import { HeaderFromKey, HeaderFromValue } from './header-from.js';
import { HoistFieldKey, HoistFieldValue } from './hoist-field.js';
import { InsertFieldKey, InsertFieldValue } from './insert-field.js';
import { InsertHeader } from './insert-header.js';
import { MaskFieldKey, MaskFieldValue } from './mask-field.js';
import { HasHeaderKey } from './predicates/has-header-key.js';
import { RecordIsTombstone } from './predicates/record-is-tombstone.js';
import { TopicNameMatches } from './predicates/topic-name-matches.js';
import { RegexRouter } from './regex-router.js';
import { ReplaceFieldKey, ReplaceFieldValue } from './replace-field.js';
import { SetSchemaMetadataKey, SetSchemaMetadataValue } from './set-schema-metadata.js';
import { TimestampConverterKey, TimestampConverterValue } from './timestamp-converter.js';
import { TimestampRouter } from './timestamp-router.js';
import { ValueToKey } from './value-to-key.js';

export { Cast, CastKey, CastValue } from './cast.js';
export { ExtractNewRecordState } from './debezium/extract-new-record-state.js';
export { DropHeaders } from './drop-headers.js';
export { ExtractField, ExtractFieldKey, ExtractFieldValue } from './extract-field.js';
export { Filter } from './filter.js';
export { Flatten, FlattenKey, FlattenValue } from './flatten.js';
export { HeaderFrom, HeaderFromKey, HeaderFromValue } from './header-from.js';
export { HoistField, HoistFieldKey, HoistFieldValue } from './hoist-field.js';
export { InsertField, InsertFieldKey, InsertFieldValue } from './insert-field.js';
export { InsertHeader } from './insert-header.js';
export { MaskField, MaskFieldKey, MaskFieldValue } from './mask-field.js';
export { HasHeaderKey } from './predicates/has-header-key.js';
export { RecordIsTombstone } from './predicates/record-is-tombstone.js';
export { TopicNameMatches } from './predicates/topic-name-matches.js';
export { RegexRouter } from './regex-router.js';
export { ReplaceField, ReplaceFieldKey, ReplaceFieldValue } from './replace-field.js';
export { SetSchemaMetadata, SetSchemaMetadataKey, SetSchemaMetadataValue } from './set-schema-metadata.js';
export { TimestampConverter, TimestampConverterKey, TimestampConverterValue } from './timestamp-converter.js';
export { TimestampRouter } from './timestamp-router.js';
export { ValueToKey } from './value-to-key.js';

/** One plugin: Kafka's full class name and a factory of a fresh, unconfigured instance. */
export interface PluginEntry<T> {
  readonly className: string;
  readonly create: () => T;
}

type PluginClass<T> = { readonly CLASS_NAME: string; new (): T };
const entry = <T>(plugin: PluginClass<T>): PluginEntry<T> => ({
  className: plugin.CLASS_NAME,
  create: () => new plugin(),
});

/** Every built-in SMT, in the order of Kafka's service file, then Debezium's. */
export const TRANSFORMATIONS: readonly PluginEntry<Transformation>[] = [
  CastKey,
  CastValue,
  DropHeaders,
  ExtractFieldKey,
  ExtractFieldValue,
  Filter,
  FlattenKey,
  FlattenValue,
  HeaderFromKey,
  HeaderFromValue,
  HoistFieldKey,
  HoistFieldValue,
  InsertFieldKey,
  InsertFieldValue,
  InsertHeader,
  MaskFieldKey,
  MaskFieldValue,
  RegexRouter,
  ReplaceFieldKey,
  ReplaceFieldValue,
  SetSchemaMetadataKey,
  SetSchemaMetadataValue,
  TimestampConverterKey,
  TimestampConverterValue,
  TimestampRouter,
  ValueToKey,
  ExtractNewRecordState,
].map((plugin) => entry<Transformation>(plugin));

/** Every built-in predicate. */
export const PREDICATES: readonly PluginEntry<Predicate>[] = [
  HasHeaderKey,
  RecordIsTombstone,
  TopicNameMatches,
].map((plugin) => entry<Predicate>(plugin));
