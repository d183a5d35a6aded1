import { DataError, type SinkRecord } from '../../api/index.js';
import { BEHAVIOR_ON_NULL_VALUES } from './config-keys.js';
import { toDocument } from './document.js';
import { documentIdentity, keyAsId, recordString } from './document-id.js';
import { type SinkSettings, schemaIgnored } from './settings.js';

const { rawJSON: rawJson, isRawJSON } = JSON as unknown as {
  rawJSON(text: string): unknown;
  isRawJSON(value: unknown): boolean;
};
const TIMESTAMP = '@timestamp';

/** One record as a bulk action: its NDJSON lines, and what the writer needs to order and judge it. */
export interface BulkAction {
  record: SinkRecord;
  op: 'index' | 'create' | 'update' | 'delete';
  /** `<index>/<id>`: two actions on one document are never in flight at once. `null`: no id. */
  document: string | null;
  /** Written with `version_type=external`: a version conflict then means a replay of an older offset. */
  versioned: boolean;
  /** The action line and, but for deletes, the source line; each ends with `\n`. */
  body: string;
}

/**
 * The bulk action for a record, or `null` when it is skipped: a null value under
 * `behavior.on.null.values=ignore`, or one to delete that has no key (nothing can be deleted). Inserts
 * are `index` actions (`create` into a data stream), upserts `update` with the value as both the
 * partial document and the upsert, tombstones `delete` under `behavior.on.null.values=delete`.
 * Throws a DataError when the record cannot be converted (`drop.invalid.message` decides).
 */
export function toBulkAction(record: SinkRecord, index: string, s: SinkSettings): BulkAction | null {
  if (record.value === null || record.value === undefined) return deleteAction(record, index, s);
  const { id, version } = documentIdentity(record, s);
  const doc = withTimestamp(
    toDocument(record.value, record.valueSchema, {
      preprocess: !schemaIgnored(s, record.topic),
      compactMapEntries: s.compactMapEntries,
    }),
    record,
    s,
  );
  const meta: Record<string, unknown> = { _index: index };
  if (id !== null) meta._id = id;
  if (version !== null) Object.assign(meta, { version: jsonNumber(version), version_type: 'external' });
  const routing = routingOf(record, doc, s);
  if (routing !== null) meta.routing = routing;
  const document = id === null ? null : `${index}/${id}`;
  if (s.writeMethod === 'upsert') {
    meta.retry_on_conflict = s.upsertRetries;
    // Confluent sends the value as doc and as upsert; Aiven as doc with doc_as_upsert: the same effect.
    const source = s.flavor === 'confluent' ? { doc, upsert: doc } : { doc, doc_as_upsert: true };
    return { record, op: 'update', document, versioned: false, body: lines({ update: meta }, source) };
  }
  const op = s.target.dataStream ? 'create' : 'index';
  return { record, op, document, versioned: version !== null, body: lines({ [op]: meta }, doc) };
}

function deleteAction(record: SinkRecord, index: string, s: SinkSettings): BulkAction | null {
  if (s.nullValues === 'ignore') return null;
  if (s.nullValues === 'fail') {
    throw new DataError(
      `${recordString(record)} has a null value (to ignore future records like this change the configuration property '${BEHAVIOR_ON_NULL_VALUES}' from 'fail' to 'ignore')`,
    );
  }
  if (record.key === null || record.key === undefined) return null;
  const { id, version } = documentIdentity(record, s, true);
  if (id === null) return null;
  const meta: Record<string, unknown> = { _index: index, _id: id };
  if (version !== null) Object.assign(meta, { version: jsonNumber(version), version_type: 'external' });
  const routing = routingOf(record, null, s);
  if (routing !== null) meta.routing = routing;
  return {
    record,
    op: 'delete',
    document: `${index}/${id}`,
    versioned: version !== null,
    body: lines({ delete: meta }),
  };
}

/**
 * Data streams need `@timestamp`. Confluent sets it from the first of `data.stream.timestamp.field`
 * present in the document (as text), or the record timestamp when none is configured; Aiven adds the
 * record timestamp when `@timestamp` is its timestamp field and the document has none.
 */
function withTimestamp(doc: unknown, record: SinkRecord, s: SinkSettings): unknown {
  const rule = s.timestamp;
  if (!rule) return doc;
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc))
    throw new DataError(
      `Top level payload contains data of Json type ${jsonType(doc)}. Required Json object.`,
    );
  const source = doc as Record<string, unknown>;
  if (rule.onlyIfMissing) {
    if (rule.fields[0] !== TIMESTAMP || TIMESTAMP in source) return doc;
    if (record.timestamp === null) throw new DataError("Record timestamp hasn't been set");
    return { ...source, [TIMESTAMP]: record.timestamp };
  }
  if (rule.fields.length === 0) return { ...source, [TIMESTAMP]: record.timestamp };
  const field = rule.fields.find((f) => f in source);
  return field === undefined ? doc : { ...source, [TIMESTAMP]: asText(source[field]) };
}

/** Aiven's `routing.type`: the key, or the value at a JSON pointer (a string or a number). */
function routingOf(record: SinkRecord, doc: unknown, s: SinkSettings): string | null {
  if (s.routing.type === 'key') return keyAsId(record.keySchema, record.key);
  if (s.routing.type !== 'value' || doc === null) return null;
  const node = pointer(doc, s.routing.path ?? '');
  if (typeof node === 'string' || typeof node === 'number' || typeof node === 'bigint' || isRawNumber(node)) {
    const text = asText(node);
    if (text !== '') return text;
    throw new DataError(`Couldn't determine value for path: ${s.routing.path}`);
  }
  throw new DataError(
    `${jsonType(node)} node type is not supported. Supported are: JSON string or JSON numeric values`,
  );
}

/** RFC 6901: `/a/0/b`, with `~1` for `/` and `~0` for `~`. */
function pointer(doc: unknown, path: string): unknown {
  if (path === '') return doc;
  let node = doc;
  for (const token of path.slice(1).split('/')) {
    const key = token.replaceAll('~1', '/').replaceAll('~0', '~');
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

const isRawNumber = (v: unknown) => typeof v === 'object' && v !== null && isRawJSON(v);

/** Jackson's `asText`: scalars as text, containers and null as `""`. */
function asText(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') return String(v);
  return isRawNumber(v) ? (v as { rawJSON: string }).rawJSON : '';
}

function jsonType(v: unknown): string {
  if (v === null || v === undefined) return v === null ? 'NULL' : 'MISSING';
  if (Array.isArray(v)) return 'ARRAY';
  if (isRawNumber(v)) return 'NUMBER';
  return typeof v === 'object'
    ? 'OBJECT'
    : typeof v === 'string'
      ? 'STRING'
      : typeof v === 'boolean'
        ? 'BOOLEAN'
        : 'NUMBER';
}

const jsonNumber = (v: number | bigint) => (typeof v === 'bigint' ? rawJson(v.toString()) : v);

function lines(meta: unknown, source?: unknown): string {
  return source === undefined
    ? `${JSON.stringify(meta)}\n`
    : `${JSON.stringify(meta)}\n${JSON.stringify(source)}\n`;
}
