import { describe, expect, it } from 'vitest';
import { DataError } from '../../../../lib/api/errors.js';
import { forgetSecrets, rememberSecret } from '../../../../lib/config/redaction.js';
import { dlqHeaders } from '../../../../lib/runtime/errors/dlq-headers.js';
import { type ErrorContext, logReporter } from '../../../../lib/runtime/errors/error-reporter.js';
import { Stage } from '../../../../lib/runtime/errors/stage.js';

const context: ErrorContext = {
  connectorName: 'jdbc-sink',
  taskId: 2,
  stage: Stage.VALUE_CONVERTER,
  executingClass: 'org.apache.kafka.connect.json.JsonConverter',
  error: new DataError('Converting byte[] to Kafka Connect data failed due to serialization error'),
  topic: 'orders',
  partition: 3,
  offset: 1234,
  recordDetails: "{value='secret-payload'}",
};

describe('dlqHeaders', () => {
  it('builds the __connect.errors.* headers as UTF-8 strings', () => {
    // Act
    const headers = Object.fromEntries(
      Object.entries(dlqHeaders(context)).map(([k, v]) => [k, v.toString('utf8')]),
    );
    // Assess
    expect(Object.keys(headers)).toEqual([
      '__connect.errors.topic',
      '__connect.errors.partition',
      '__connect.errors.offset',
      '__connect.errors.connector.name',
      '__connect.errors.task.id',
      '__connect.errors.stage',
      '__connect.errors.class.name',
      '__connect.errors.exception.class.name',
      '__connect.errors.exception.message',
      '__connect.errors.exception.stacktrace',
    ]);
    expect(headers).toMatchObject({
      '__connect.errors.topic': 'orders',
      '__connect.errors.partition': '3',
      '__connect.errors.offset': '1234',
      '__connect.errors.connector.name': 'jdbc-sink',
      '__connect.errors.task.id': '2',
      '__connect.errors.stage': 'VALUE_CONVERTER',
      '__connect.errors.class.name': 'org.apache.kafka.connect.json.JsonConverter',
      '__connect.errors.exception.class.name': 'DataError',
      '__connect.errors.exception.message':
        'Converting byte[] to Kafka Connect data failed due to serialization error',
    });
    expect(headers['__connect.errors.exception.stacktrace']).toContain('DataError: Converting');
  });

  it('hides resolved secrets and URL passwords in the exception message and stack trace', () => {
    // Prepare: a failure quoting a provider-resolved value and the credentials of a connection URL.
    rememberSecret('resolved-t0ken-value');
    const error = new Error(
      'POST https://bob:url-pw-123@api.example/hook as resolved-t0ken-value failed; jdbc:mysql://db/x?password=pw-456',
    );
    try {
      // Act
      const headers = dlqHeaders({ ...context, error });
      const message = headers['__connect.errors.exception.message']?.toString('utf8');
      const stack = headers['__connect.errors.exception.stacktrace']?.toString('utf8') ?? '';
      // Assess
      expect(message).toBe(
        'POST https://bob:[hidden]@api.example/hook as [hidden] failed; jdbc:mysql://db/x?password=[hidden]',
      );
      expect(stack).toContain('https://bob:[hidden]@api.example/hook as [hidden] failed');
      for (const leaked of ['url-pw-123', 'resolved-t0ken-value', 'pw-456'])
        expect(stack).not.toContain(leaked);
    } finally {
      forgetSecrets();
    }
  });
});

describe('logReporter', () => {
  it('logs nothing unless errors.log.enable is true', async () => {
    const lines: string[] = [];

    await logReporter({ enabled: false, includeMessages: false, log: (m) => lines.push(m) }).report(context);

    expect(lines).toEqual([]);
  });

  it('logs coordinates but not record contents unless include.messages is on', async () => {
    const lines: string[] = [];

    await logReporter({ enabled: true, includeMessages: false, log: (m) => lines.push(m) }).report(context);
    await logReporter({ enabled: true, includeMessages: true, log: (m) => lines.push(m) }).report(context);

    expect(lines[0]).toBe(
      "Error encountered in task jdbc-sink-2. Executing stage 'VALUE_CONVERTER' with class 'org.apache.kafka.connect.json.JsonConverter', where consumed record is {topic='orders', partition=3, offset=1234}.",
    );
    expect(lines[0]).not.toContain('secret-payload');
    expect(lines[1]).toContain('secret-payload');
  });
});
