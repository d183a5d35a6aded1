import { describe, expect, it } from 'vitest';
import { AlreadyExistsError, NotFoundError } from '../../../../lib/api/errors.js';
import { configMap } from '../../../../lib/control/rest/body.js';
import { errorReply } from '../../../../lib/control/rest/error-reply.js';
import { router } from '../../../../lib/control/rest/router.js';
import { ConflictError } from '../../../../lib/store/index.js';

const api = router([
  {
    method: 'GET',
    path: '/connectors/:connector/status',
    handle: ({ params }) => ({ status: 200, body: params }),
  },
  { method: 'GET', path: '/', handle: () => ({ status: 200, body: 'root' }) },
]);

async function reply(method: string, path: string) {
  try {
    return await api({ method, path, query: {} });
  } catch (error) {
    return errorReply(error);
  }
}

describe('router', () => {
  it('decodes each path segment on its own, so %2F stays inside a connector name', async () => {
    // Act
    const r = await reply('GET', '/connectors/a%2Fb%20c/status');
    // Assess
    expect(r.body).toEqual({ connector: 'a/b c' });
  });

  it('ignores a trailing slash and matches the root', async () => {
    // Act / Assess
    expect((await reply('GET', '/connectors/x/status/')).status).toBe(200);
    expect((await reply('GET', '/')).body).toBe('root');
  });

  it('answers 404 for an unknown path and 405 for a known path with another method', async () => {
    // Act / Assess
    expect((await reply('GET', '/connectors/x/nope')).body).toEqual({
      error_code: 404,
      message: 'HTTP 404 Not Found',
    });
    expect((await reply('POST', '/connectors/x/status')).body).toEqual({
      error_code: 405,
      message: 'HTTP 405 Method Not Allowed',
    });
  });
});

describe('errorReply', () => {
  it('maps not found to 404, exists and store conflicts to 409, anything else to 500', () => {
    // Act / Assess
    expect(errorReply(new NotFoundError('gone')).body).toEqual({ error_code: 404, message: 'gone' });
    expect(errorReply(new AlreadyExistsError('dup')).status).toBe(409);
    expect(errorReply(new ConflictError('raw')).body.message).toMatch(/^Cannot complete request momentarily/);
    expect(errorReply(new TypeError('oops')).body).toEqual({ error_code: 500, message: 'oops' });
  });
});

describe('configMap', () => {
  it('turns numbers and booleans into strings, keeps null, refuses nested values', () => {
    // Act / Assess
    expect(configMap({ a: 1, b: true, c: null, d: 'x' })).toEqual({ a: '1', b: 'true', c: null, d: 'x' });
    expect(() => configMap({ a: [1] })).toThrow(expect.objectContaining({ status: 400 }));
    expect(() => configMap([1])).toThrow(expect.objectContaining({ status: 400 }));
  });
});
