import { describe, expect, it } from 'vitest';
import { PluginNotFoundError, plugins } from '../../lib/plugins.js';

describe('the plugin registry', () => {
  it('finds a connector by full class name, simple name and pruned alias', () => {
    const registry = plugins();
    for (const name of [
      'org.apache.kafka.connect.file.FileStreamSinkConnector',
      'FileStreamSinkConnector',
      'FileStreamSink',
    ]) {
      expect(registry.connectorType(name)).toBe('sink');
    }
    expect(registry.connectorType('FileStreamSource')).toBe('source');
    expect(registry.connectorType('Nope')).toBe('unknown');
  });

  it('gives converters their Kafka aliases and serves JsonConverter as a header converter too', () => {
    const registry = plugins();
    expect(registry.find('Json', 'converter')?.className).toBe('org.apache.kafka.connect.json.JsonConverter');
    expect(registry.find('JsonConverter', 'header_converter')).toBeDefined();
    expect(registry.find('StringConverter', 'converter')?.className).toBe(
      'org.apache.kafka.connect.storage.StringConverter',
    );
  });

  it('drops aliases two classes share, so Cast$Value needs its full name', () => {
    const registry = plugins();
    expect(registry.find('org.apache.kafka.connect.transforms.Cast$Value', 'transformation')).toBeDefined();
    expect(registry.find('Value')).toBeUndefined();
    expect(registry.find('Filter', 'transformation')?.className).toBe(
      'org.apache.kafka.connect.transforms.Filter',
    );
    expect(registry.find('RecordIsTombstone', 'predicate')).toBeDefined();
  });

  it('lists connectors in Kafka’s order with their versions, and everything else on request', () => {
    const registry = plugins();
    const connectors = registry.list(['source', 'sink']);
    expect(connectors.map((p) => [p.type, p.class])).toEqual([
      // Kafka's order is Java's String.compareTo: OpenSearch before Opensearch.
      ['sink', 'io.aiven.kafka.connect.opensearch.OpenSearchSinkConnector'],
      ['sink', 'io.aiven.kafka.connect.opensearch.OpensearchSinkConnector'],
      ['sink', 'io.confluent.connect.elasticsearch.ElasticsearchSinkConnector'],
      ['sink', 'io.confluent.connect.jdbc.JdbcSinkConnector'],
      ['sink', 'io.confluent.connect.s3.S3SinkConnector'],
      ['sink', 'org.apache.kafka.connect.file.FileStreamSinkConnector'],
      ['sink', 'serverless.connect.http.HttpSinkConnector'],
      ['source', 'io.confluent.connect.jdbc.JdbcSourceConnector'],
      ['source', 'io.confluent.kafka.connect.datagen.DatagenConnector'],
      ['source', 'io.debezium.connector.postgresql.PostgresConnector'],
      ['source', 'org.apache.kafka.connect.file.FileStreamSourceConnector'],
    ]);
    expect(connectors.find((p) => p.class.endsWith('FileStreamSinkConnector'))?.version).toBe('3.9.1');
    const kinds = registry.list().map((p) => p.type);
    expect(kinds.indexOf('transformation')).toBeGreaterThan(kinds.lastIndexOf('source'));
    expect(kinds.indexOf('header_converter')).toBeGreaterThan(kinds.lastIndexOf('converter'));
    expect(registry.list(['transformation'])).toHaveLength(27);
  });

  it('refuses an unknown connector class with Kafka’s message', () => {
    expect(() => plugins().newConnector('com.example.Missing')).toThrow(PluginNotFoundError);
    expect(() => plugins().newConnector('com.example.Missing')).toThrow(
      /^Failed to find any class that implements Connector and which name matches com\.example\.Missing, available connectors are: io\.aiven\.kafka\.connect\.opensearch\.OpenSearchSinkConnector, .*org\.apache\.kafka\.connect\.file\.FileStreamSourceConnector$/,
    );
  });

  it('registers no FileStream connector when the policy disables them: Kafka’s not-found message, not listed', () => {
    // Prepare
    const registry = plugins({
      fileStream: false,
      fileStreamAllowedPaths: [],
      httpAllowPrivateNetworks: false,
    });
    // Act
    const listed = registry.list(['source', 'sink']).map((p) => p.class);
    // Assess
    expect(registry.connectorType('FileStreamSource')).toBe('unknown');
    expect(registry.connectorType('org.apache.kafka.connect.file.FileStreamSinkConnector')).toBe('unknown');
    expect(listed.some((c) => c.includes('FileStream'))).toBe(false);
    expect(listed).toContain('serverless.connect.http.HttpSinkConnector');
    expect(() => registry.newConnector('FileStreamSource')).toThrow(
      /^Failed to find any class that implements Connector and which name matches FileStreamSource, available connectors are: io\.aiven\.kafka\.connect\.opensearch\.OpenSearchSinkConnector, io\.aiven\.kafka\.connect\.opensearch\.OpensearchSinkConnector, io\.confluent\.connect\.elasticsearch\.ElasticsearchSinkConnector, io\.confluent\.connect\.jdbc\.JdbcSinkConnector, io\.confluent\.connect\.s3\.S3SinkConnector, serverless\.connect\.http\.HttpSinkConnector, io\.confluent\.connect\.jdbc\.JdbcSourceConnector, io\.confluent\.kafka\.connect\.datagen\.DatagenConnector, io\.debezium\.connector\.postgresql\.PostgresConnector$/,
    );
  });

  it('builds one registry per policy, and plugins() with none is local mode’s', () => {
    const policy = { fileStream: true, fileStreamAllowedPaths: ['/data'], httpAllowPrivateNetworks: false };
    expect(plugins({ ...policy })).toBe(plugins(policy));
    expect(plugins(policy)).not.toBe(plugins());
    expect(plugins()).toBe(
      plugins({ fileStream: true, fileStreamAllowedPaths: [], httpAllowPrivateNetworks: true }),
    );
  });
});
