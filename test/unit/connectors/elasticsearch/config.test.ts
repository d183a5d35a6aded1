import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../../lib/api/index.js';
import { ElasticsearchSinkConnector } from '../../../../lib/connectors/elasticsearch/elasticsearch-sink-connector.js';
import {
  OpenSearchSinkConnector,
  OpensearchSinkConnector,
} from '../../../../lib/connectors/elasticsearch/opensearch-sink-connector.js';
import { plugins } from '../../../../lib/plugins.js';
import { settingsOf } from './settings-fixture.js';

const URL = { 'connection.url': 'http://127.0.0.1:9200' };
const errorsOf = (
  connector: ElasticsearchSinkConnector | OpenSearchSinkConnector,
  props: Record<string, string>,
) =>
  Object.fromEntries(
    connector
      .validate({ ...URL, ...props })
      .filter((v) => v.errorMessages.length > 0)
      .map((v) => [v.name, v.errorMessages]),
  );

describe('each class keeps its own keys and defaults', () => {
  it('Confluent: fail on null values and malformed documents, insert, 3 min flush timeout, 5 MiB bulks', () => {
    const s = settingsOf('confluent', {});
    expect(s).toMatchObject({
      flavor: 'confluent',
      batchSize: 2000,
      bulkSizeBytes: 5_242_880,
      maxInFlightRequests: 5,
      maxRetries: 5,
      retryBackoffMs: 100,
      flushTimeoutMs: 180_000,
      nullValues: 'fail',
      malformedDocuments: 'fail',
      versionConflicts: null,
      writeMethod: 'insert',
      compactMapEntries: true,
      upsertRetries: 5,
      checkElasticsearchVersion: true,
    });
    expect(s.target.name('_My.Topic')).toBe('my.topic');
  });

  it('Aiven: ignore null values, fail version conflicts, 10 s flush timeout, index.write.method', () => {
    const s = settingsOf('aiven', { 'index.write.method': 'UPSERT', 'key.ignore.id.strategy': 'record.key' });
    expect(s).toMatchObject({
      flavor: 'aiven',
      flushTimeoutMs: 10_000,
      nullValues: 'ignore',
      malformedDocuments: 'fail',
      versionConflicts: 'fail',
      writeMethod: 'upsert',
      upsertRetries: 3,
      bulkSizeBytes: -1,
      checkElasticsearchVersion: false,
    });
    expect(s.target.name('+a:b')).toBe('a_b');
  });

  it('Confluent ignores Aiven-only keys, and the other way round', () => {
    expect(settingsOf('confluent', { 'index.write.method': 'upsert' }).writeMethod).toBe('insert');
    expect(settingsOf('aiven', { 'write.method': 'upsert' }).writeMethod).toBe('insert');
  });

  it('reads enum values case-insensitively, as both connectors do', () => {
    expect(settingsOf('confluent', { 'behavior.on.null.values': 'Delete' }).nullValues).toBe('delete');
    expect(() => settingsOf('confluent', { 'behavior.on.null.values': 'drop' })).toThrow(
      'Invalid value drop for configuration behavior.on.null.values: Value must be one of: [ignore, delete, fail]',
    );
  });

  it('makes every URL https when one is, and adds http to one without a scheme (https when signed)', () => {
    expect(settingsOf('confluent', { 'connection.url': 'a:9200/,https://b:9200' }).connection.urls).toEqual([
      'https://a:9200',
      'https://b:9200',
    ]);
    expect(settingsOf('confluent', { 'connection.url': 'a:9200' }).connection.urls).toEqual([
      'http://a:9200',
    ]);
    const signed = settingsOf('aiven', {
      'connection.url': 'search-x.us-east-1.es.amazonaws.com',
      'aws.region': 'us-east-1',
      'aws.service.signing.name': 'es',
    });
    expect(signed.connection.urls).toEqual(['https://search-x.us-east-1.es.amazonaws.com']);
    expect(signed.connection.sigv4).toEqual({ region: 'us-east-1', service: 'es', credentials: null });
  });

  it('names data streams as each class does', () => {
    const confluent = settingsOf('confluent', { 'data.stream.type': 'LOGS', 'data.stream.dataset': 'app' });
    expect(confluent.target).toMatchObject({ dataStream: true, create: true });
    expect(confluent.target.name('Clicks')).toBe('logs-app-clicks');
    const aiven = settingsOf('aiven', { 'data.stream.enabled': 'true', 'data.stream.prefix': 'web' });
    expect(aiven.target.name('Clicks')).toBe('web-clicks');
    expect(aiven.timestamp).toEqual({ fields: ['@timestamp'], onlyIfMissing: true });
  });

  it('writes to mapped resources as they are, creating nothing, with external.resource.usage', () => {
    const s = settingsOf('confluent', {
      topics: 'a,b',
      'external.resource.usage': 'alias_datastream',
      'topic.to.external.resource.mapping': 'a:logs-x-y,b:logs-x-z',
    });
    expect(s.target).toMatchObject({ dataStream: true, create: false });
    expect(s.target.name('b')).toBe('logs-x-z');
    expect(() => s.target.name('c')).toThrow("Topic 'c' is not mapped to any resource.");
  });
});

describe('validation of key combinations', () => {
  it('refuses what Confluent’s Validator refuses', () => {
    const confluent = new ElasticsearchSinkConnector();
    expect(errorsOf(confluent, { 'connection.username': 'u' })['connection.password']).toEqual([
      "Both 'connection.username' and 'connection.password' must be set.",
    ]);
    expect(errorsOf(confluent, { 'data.stream.type': 'logs' })['data.stream.dataset']).toEqual([
      "Either both or neither 'data.stream.dataset' and 'data.stream.type' must be set.",
    ]);
    expect(
      errorsOf(confluent, {
        'data.stream.type': 'logs',
        'data.stream.dataset': 'a',
        'write.method': 'upsert',
      })['write.method'],
    ).toEqual([
      'Upserts are not supported with data streams. write.method must not be UPSERT when using data streams.',
    ]);
    expect(errorsOf(confluent, { 'key.ignore': 'true', 'topic.key.ignore': 't' })['key.ignore']).toHaveLength(
      1,
    );
    expect(errorsOf(confluent, { 'batch.size': '10000' })['max.buffered.records']).toEqual([
      "'max.buffered.records' (20000) must be larger than or equal to 'batch.size' (10000) x max.in.flight.requests (5).",
    ]);
    expect(errorsOf(confluent, { 'data.stream.dataset': 'Has-Dash' })['data.stream.dataset']?.[0]).toMatch(
      /must be in all lowercase/,
    );
    expect(
      errorsOf(confluent, {
        topics: 'a,b',
        'external.resource.usage': 'index',
        'topic.to.external.resource.mapping': 'a:x',
      })['topic.to.external.resource.mapping'],
    ).toEqual([
      "Topic 'b' is not mapped to any resource. All configured topics must be mapped to a resource.",
    ]);
  });

  it('refuses what it cannot do rather than ignoring it: Kerberos, key and trust stores, STS roles', () => {
    const confluent = new ElasticsearchSinkConnector();
    expect(
      errorsOf(confluent, { 'kerberos.user.principal': 'me@X' })['kerberos.user.principal'],
    ).toHaveLength(1);
    expect(
      errorsOf(confluent, { 'elastic.https.ssl.truststore.location': '/t.jks' })[
        'elastic.security.protocol'
      ]?.[0],
    ).toMatch(/Custom key and trust stores are not supported \(elastic.https.ssl.truststore.location\)/);
    const aiven = new OpenSearchSinkConnector();
    expect(errorsOf(aiven, { 'aws.sts.role.arn': 'arn:aws:iam::1:role/x' })['aws.sts.role.arn']?.[0]).toMatch(
      /STS role assumption is not supported/,
    );
  });

  it('refuses what Aiven refuses, and SigV4 with Basic credentials', () => {
    const aiven = new OpenSearchSinkConnector();
    expect(
      errorsOf(aiven, { 'data.stream.enabled': 'true', 'index.write.method': 'upsert' })[
        'index.write.method'
      ],
    ).toEqual(['Data streams do not support upsert index write method']);
    expect(
      errorsOf(aiven, { 'key.ignore': 'true', 'index.write.method': 'upsert' })['key.ignore.id.strategy'],
    ).toEqual(['topic.partition.offset is not supported for index upsert. Supported is: record.key']);
    expect(errorsOf(aiven, { 'routing.type': 'value' })['routing.type.record.value.path']).toHaveLength(1);
    expect(errorsOf(aiven, { 'aws.region': 'us-east-1' })['aws.service.signing.name']).toHaveLength(1);
    expect(
      errorsOf(aiven, {
        'aws.region': 'us-east-1',
        'aws.service.signing.name': 'es',
        'connection.username': 'u',
        'connection.password': 'p',
      })['aws.region'],
    ).toEqual(['More than one authenticated configurator is applied for the client. Only one is allowed']);
  });

  it('fails start with every problem named, and passes a valid config to each task unchanged', () => {
    const connector = new ElasticsearchSinkConnector();
    expect(() => connector.start({ ...URL, 'connection.username': 'u' })).toThrow(ConfigError);
    connector.start({ ...URL, topics: 't' });
    expect(connector.taskConfigs(2)).toEqual([
      { ...URL, topics: 't' },
      { ...URL, topics: 't' },
    ]);
  });
});

describe('registration', () => {
  it('installs both class names and Aiven’s 3.x name, each with its own spec', () => {
    const registry = plugins();
    for (const name of [
      ElasticsearchSinkConnector.CLASS_NAME,
      OpenSearchSinkConnector.CLASS_NAME,
      OpensearchSinkConnector.CLASS_NAME,
      'ElasticsearchSink',
      'OpenSearchSink',
      'OpensearchSink',
    ])
      expect(registry.connectorType(name)).toBe('sink');
    const keys = (name: string) => registry.configDef(registry.find(name, 'sink')!).names();
    expect(keys(ElasticsearchSinkConnector.CLASS_NAME)).toContain('write.method');
    expect(keys(ElasticsearchSinkConnector.CLASS_NAME)).not.toContain('index.write.method');
    expect(keys(OpensearchSinkConnector.CLASS_NAME)).toContain('behavior.on.version.conflict');
  });
});
