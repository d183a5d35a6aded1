/**
 * Index and data stream names from topics, as each connector names them. Elasticsearch and OpenSearch
 * want index names lower-case, at most 255 bytes, not starting with `-`, `_` or `+`, and not `.`/`..`.
 */

/**
 * Confluent's `convertTopicToIndexName`: lower-cased, cut to 255 characters, **one** leading `-` or `_`
 * dropped, `.`/`..` become `dot`/`dotdot`; nothing else changes.
 * https://github.com/confluentinc/kafka-connect-elasticsearch/blob/v15.1.3/src/main/java/io/confluent/connect/elasticsearch/ElasticsearchSinkTask.java
 */
export function confluentIndexName(topic: string): string {
  let index = topic.toLowerCase().slice(0, 255);
  if (index.startsWith('-') || index.startsWith('_')) index = index.slice(1);
  return dots(index);
}

/**
 * Aiven's `convertTopicToIndexName`: as Confluent's, plus `:` becomes `_` and a leading `+` is dropped
 * too.
 * https://github.com/Aiven-Open/opensearch-connector-for-apache-kafka/blob/v4.0.1/src/main/java/io/aiven/kafka/connect/opensearch/OpenSearchSinkConnectorConfig.java
 */
export function aivenIndexName(topic: string): string {
  let index = topic.toLowerCase().slice(0, 255).replaceAll(':', '_');
  if (/^[-_+]/.test(index)) index = index.slice(1);
  return dots(index);
}

const dots = (index: string) => (index === '.' || index === '..' ? index.replaceAll('.', 'dot') : index);

/**
 * Confluent's data stream name `<type>-<dataset>-<namespace>`: the type lower-cased, every
 * `${topic}` in the namespace replaced by the lower-cased topic, the namespace cut to 100 characters.
 */
export function confluentDataStreamName(type: string, dataset: string, namespace: string, topic: string) {
  // biome-ignore lint/suspicious/noTemplateCurlyInString: Confluent's placeholder syntax
  const ns = namespace.replaceAll('${topic}', topic.toLowerCase()).slice(0, 100);
  return `${type.toLowerCase()}-${dataset}-${ns}`;
}

/** Aiven's data stream name: `<prefix>-<index name>`, or the index name without a prefix. */
export function aivenDataStreamName(prefix: string | null, topic: string): string {
  const index = aivenIndexName(topic);
  return prefix === null ? index : `${prefix}-${index}`;
}
