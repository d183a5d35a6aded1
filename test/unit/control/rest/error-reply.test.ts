import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../../lib/api/errors.js';
import { BadRequestError } from '../../../../lib/control/errors.js';
import { errorReply } from '../../../../lib/control/rest/error-reply.js';

describe('errorReply', () => {
  it('hides passwords of the URLs a message quotes', () => {
    const reply = errorReply(
      new BadRequestError(
        'Connector configuration is invalid and contains the following 1 error(s):\nInvalid value jdbc:mysql://root:hunter2@db/x?password=hunter2 for configuration connection.url: bad',
      ),
    );
    expect(reply).toEqual({
      status: 400,
      body: {
        error_code: 400,
        message:
          'Connector configuration is invalid and contains the following 1 error(s):\nInvalid value jdbc:mysql://root:[hidden]@db/x?password=[hidden] for configuration connection.url: bad',
      },
    });
    expect(errorReply(new ConfigError('https://u:p@h/ refused')).body.message).toBe(
      'https://u:[hidden]@h/ refused',
    );
  });

  it('answers 400 when the broker refused a topic name the caller gave, 500 for other Kafka failures', () => {
    const refused = Object.assign(
      new Error('The request attempted to perform an operation on an invalid topic'),
      {
        type: 'INVALID_TOPIC_EXCEPTION',
      },
    );
    const down = Object.assign(new Error('Connection timeout'), { type: 'REQUEST_TIMED_OUT' });
    expect(errorReply(new Error('set group offsets failed: invalid topic', { cause: refused })).status).toBe(
      400,
    );
    expect(errorReply(new Error('set group offsets failed: timeout', { cause: down })).status).toBe(500);
  });
});
