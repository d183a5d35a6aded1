import { describe, expect, it } from 'vitest';
import {
  CONNECTOR_NAME_MAX_LENGTH,
  connectorNameError,
  connectorNameProblem,
  eventSourceMappingGroupIdProblem,
  isStorableConnectorName,
} from '../../../lib/config/connector-name.js';

describe('the connector name rule', () => {
  it('takes what Kafka takes within 192 characters, unicode and spaces included', () => {
    for (const name of [
      'jdbc-source.orders',
      'my connector',
      'zähler-ü',
      '日本語',
      'a'.repeat(192),
      '🙂'.repeat(192),
    ]) {
      expect(connectorNameProblem(name)).toBeUndefined();
    }
  });

  it('leaves room for connect- in a 200-character consumer group id', () => {
    expect(`connect-${'a'.repeat(CONNECTOR_NAME_MAX_LENGTH)}`).toHaveLength(200);
    expect(connectorNameProblem('a'.repeat(193))).toMatch(/at most 192 characters .* has 193/);
  });

  it('words empty and control-character names as Kafka’s NonEmptyStringWithoutControlChars does', () => {
    expect(connectorNameError('')).toBe('Invalid value  for configuration name: String may not be empty');
    expect(connectorNameError('a\nb\u0085')).toBe(
      'Invalid value a\nb\u0085 for configuration name: String may not contain control sequences but had the following ASCII chars: 10, 133',
    );
  });

  it('refuses what a REST path cannot address and what does not read as itself', () => {
    expect(connectorNameProblem('a/b')).toMatch(/'\/'/);
    expect(connectorNameProblem('.')).toMatch(/may not be '.'/);
    expect(connectorNameProblem('..')).toMatch(/may not be '..'/);
    expect(connectorNameProblem('abc\u202Efed')).toMatch(/U\+202E/);
    expect(connectorNameProblem('a\u200Bb')).toMatch(/U\+200B/);
    expect(connectorNameProblem('a\uD800b')).toMatch(/unpaired surrogates/);
    expect(connectorNameProblem('...')).toBeUndefined();
  });

  it('tells which names a table could hold at all: 1 to 2048 UTF-8 bytes, well-formed', () => {
    expect(isStorableConnectorName('x'.repeat(2048))).toBe(true);
    expect(isStorableConnectorName('x'.repeat(2049))).toBe(false);
    expect(isStorableConnectorName('é'.repeat(1025))).toBe(false);
    expect(isStorableConnectorName('')).toBe(false);
    expect(isStorableConnectorName('\uDC00')).toBe(false);
  });

  it('tells which consumer group ids a Lambda event source mapping takes', () => {
    expect(eventSourceMappingGroupIdProblem(`connect-${'a'.repeat(192)}`)).toBeUndefined();
    expect(eventSourceMappingGroupIdProblem('connect-jdbc.orders_v2@eu:1/*+=')).toBeUndefined();
    expect(eventSourceMappingGroupIdProblem(`connect-${'a'.repeat(193)}`)).toMatch(/1 to 200/);
    expect(eventSourceMappingGroupIdProblem('connect-my sink')).toMatch(/'connect-my sink'/);
    expect(eventSourceMappingGroupIdProblem('connect-zähler')).toBeDefined();
    expect(eventSourceMappingGroupIdProblem('')).toBeDefined();
  });
});
