import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ControlFixture, controlFixture } from './harness.js';

// biome-ignore lint/suspicious/noTemplateCurlyInString: a config provider placeholder
const PLACEHOLDER = '${env:CONTROL_TEST_TOPIC}';

let fx: ControlFixture;
beforeAll(async () => {
  process.env.CONTROL_TEST_TOPIC = 'resolved-topic';
  fx = await controlFixture('ctl-plug', {
    providers: { env: (await import('../../../lib/config/providers/env.js')).envConfigProvider() },
  });
});
afterAll(() => fx.dispose());

describe('root and health', () => {
  it('answers GET / with version 3.9.1, the commit and the real Kafka cluster id', async () => {
    // Act
    const reply = await fx.call('GET', '/');
    // Assess
    expect(reply.body).toEqual({
      version: '3.9.1',
      commit: 'test-commit',
      kafka_cluster_id: expect.any(String),
    });
    expect(reply.body.kafka_cluster_id.length).toBeGreaterThan(0);
  });

  it('answers GET /health healthy while the state store answers', async () => {
    // Act
    const reply = await fx.call('GET', '/health');
    // Assess
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({
      status: 'healthy',
      message: 'Worker has completed startup and is ready to handle requests.',
    });
  });
});

describe('connector plugins', () => {
  it('lists connectors only by default, and every kind with connectorsOnly=false', async () => {
    // Act
    const connectors = await fx.call('GET', '/connector-plugins');
    const all = await fx.call('GET', '/connector-plugins?connectorsOnly=false');
    // Assess
    expect(connectors.body.map((p: { class: string; type: string }) => [p.class, p.type])).toEqual([
      ['io.aiven.kafka.connect.opensearch.OpenSearchSinkConnector', 'sink'],
      ['io.aiven.kafka.connect.opensearch.OpensearchSinkConnector', 'sink'],
      ['io.confluent.connect.elasticsearch.ElasticsearchSinkConnector', 'sink'],
      ['io.confluent.connect.jdbc.JdbcSinkConnector', 'sink'],
      ['io.confluent.connect.s3.S3SinkConnector', 'sink'],
      ['org.apache.kafka.connect.file.FileStreamSinkConnector', 'sink'],
      ['serverless.connect.http.HttpSinkConnector', 'sink'],
      ['io.confluent.connect.jdbc.JdbcSourceConnector', 'source'],
      ['io.confluent.kafka.connect.datagen.DatagenConnector', 'source'],
      ['io.debezium.connector.postgresql.PostgresConnector', 'source'],
      ['org.apache.kafka.connect.file.FileStreamSourceConnector', 'source'],
    ]);
    const kinds = new Set(all.body.map((p: { type: string }) => p.type));
    expect([...kinds]).toEqual([
      'sink',
      'source',
      'transformation',
      'predicate',
      'converter',
      'header_converter',
    ]);
  });

  it('lists a connector\'s own keys first, then framework keys; 404 "Unknown plugin <p>."', async () => {
    // Act
    const config = await fx.call('GET', '/connector-plugins/FileStreamSource/config');
    const unknown = await fx.call('GET', '/connector-plugins/Nope/config');
    // Assess
    const names = config.body.map((k: { name: string }) => k.name);
    expect(names.slice(0, 3)).toEqual(['file', 'topic', 'batch.size']);
    expect(names).toContain('tasks.max');
    expect(config.body[1]).toMatchObject({
      name: 'topic',
      type: 'STRING',
      required: true,
      default_value: null,
    });
    expect(unknown.body).toEqual({ error_code: 404, message: 'Unknown plugin Nope.' });
  });

  it('validates with 200 even when invalid, reporting placeholders unresolved', async () => {
    // Act
    const reply = await fx.call('PUT', '/connector-plugins/FileStreamSourceConnector/config/validate', {
      'connector.class': 'org.apache.kafka.connect.file.FileStreamSourceConnector',
      topic: PLACEHOLDER,
      'tasks.max': 'zero',
    });
    // Assess
    expect(reply.status).toBe(200);
    expect(reply.body.name).toBe('org.apache.kafka.connect.file.FileStreamSourceConnector');
    expect(
      reply.body.configs.flatMap((c: { value?: { errors: string[] } }) => c.value?.errors ?? []),
    ).toEqual([
      'Missing required configuration "name" which has no default value.',
      'Invalid value zero for configuration tasks.max: Not a number of type INT',
      'Invalid value null for configuration tasks.max: Value must be non-null',
    ]);
    expect(reply.body.error_count).toBe(3);
    const topic = reply.body.configs.find((c: { value?: { name: string } }) => c.value?.name === 'topic');
    expect(topic.value.value).toBe(PLACEHOLDER);
    expect(topic.value.errors).toEqual([]);
  });

  it("answers 400 when the body's class does not match the path or is missing", async () => {
    // Act
    const mismatch = await fx.call('PUT', '/connector-plugins/FileStreamSink/config/validate', {
      'connector.class': 'FileStreamSource',
    });
    const missing = await fx.call('PUT', '/connector-plugins/FileStreamSink/config/validate', {
      topics: 't',
    });
    // Assess
    expect(mismatch.body).toEqual({
      error_code: 400,
      message: 'Included connector type FileStreamSource does not match request type FileStreamSink',
    });
    expect(missing.body).toEqual({
      error_code: 400,
      message: 'Connector config {topics=t} contains no connector type',
    });
  });
});

describe('/admin/loggers', () => {
  it('sets a level on a logger and its descendants, lists them sorted with root, and reads one', async () => {
    // Act
    const child = await fx.call('PUT', '/admin/loggers/org.apache.kafka.connect.file', { level: 'DEBUG' });
    const parent = await fx.call('PUT', '/admin/loggers/org.apache.kafka', { level: 'warn' });
    const cluster = await fx.call('PUT', '/admin/loggers/org.other?scope=cluster', { level: 'ERROR' });
    const all = await fx.call('GET', '/admin/loggers');
    const one = await fx.call('GET', '/admin/loggers/org.apache.kafka.connect.file');
    // Assess
    expect(child.body).toEqual(['org.apache.kafka.connect.file']);
    expect(parent.body).toEqual(['org.apache.kafka', 'org.apache.kafka.connect.file']);
    expect(cluster.status).toBe(204);
    expect(Object.keys(all.body)).toEqual([
      'org.apache.kafka',
      'org.apache.kafka.connect.file',
      'org.other',
      'root',
    ]);
    expect(all.body.root).toEqual({ level: 'INFO', last_modified: null });
    expect(one.body).toEqual({ level: 'WARN', last_modified: expect.any(Number) });
  });

  it('answers 404 for an unknown logger and an invalid level, 400 for a missing level', async () => {
    // Act
    const unknown = await fx.call('GET', '/admin/loggers/never.set');
    const invalid = await fx.call('PUT', '/admin/loggers/root', { level: 'LOUD' });
    const missing = await fx.call('PUT', '/admin/loggers/root', {});
    // Assess
    expect(unknown.body).toEqual({ error_code: 404, message: 'Logger never.set not found.' });
    expect(invalid.body).toEqual({ error_code: 404, message: "invalid log level 'LOUD'." });
    expect(missing.body).toEqual({
      error_code: 400,
      message: "Desired 'level' parameter was not specified in request.",
    });
  });
});
