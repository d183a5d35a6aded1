import { describe, expect, it } from 'vitest';
import { RegexRouter } from '../../../lib/transforms/regex-router.js';
import { sourceRecord } from './records.js';

function route(regex: string, replacement: string, topic: string): string {
  const router = new RegexRouter();
  router.configure({ regex, replacement });
  return router.apply(sourceRecord({ topic })).topic;
}

describe('RegexRouter', () => {
  // Kafka's RegexRouterTest cases.
  it.each([
    ['foo', 'bar', 'foo', 'bar'],
    ['foo', 'bar', 'foobar', 'foobar'],
    ['(.*)', 'prefix-$1', 'orig', 'prefix-orig'],
    ['(.*)', '$1-suffix', 'orig', 'orig-suffix'],
    ['(.*)-(\\d\\d\\d\\d\\d\\d\\d\\d)', '$1', 'index-20160117', 'index'],
    ['(.*)-(\\d\\d\\d\\d\\d\\d\\d\\d)', '$2', 'index-20160117', '20160117'],
    ['.*', '$0-suffix', 'orig', 'orig-suffix'],
  ])('routes %j → %j: %s becomes %s', (regex, replacement, topic, expected) => {
    expect(route(regex, replacement, topic)).toBe(expected);
  });

  it('rejects an invalid regex', () => {
    expect(() => new RegexRouter().configure({ regex: '(', replacement: 'x' })).toThrow(
      /Invalid value \( for configuration regex: Invalid regex/,
    );
  });
});
