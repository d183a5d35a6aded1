import { describe, expect, it } from 'vitest';
import {
  aivenDataStreamName,
  aivenIndexName,
  confluentDataStreamName,
  confluentIndexName,
} from '../../../../lib/connectors/elasticsearch/index-names.js';

describe('index names as Confluent makes them', () => {
  it('lower-cases the topic and changes nothing else', () => {
    expect(confluentIndexName('Orders.EU:v2')).toBe('orders.eu:v2');
  });

  it('drops one leading - or _, not two, and keeps a leading +', () => {
    expect(confluentIndexName('_private')).toBe('private');
    expect(confluentIndexName('--x')).toBe('-x');
    expect(confluentIndexName('+plus')).toBe('+plus');
  });

  it('cuts to 255 characters before dropping the leading character', () => {
    const name = confluentIndexName(`_${'a'.repeat(300)}`);
    expect(name).toBe('a'.repeat(254));
  });

  it('names . and .. dot and dotdot', () => {
    expect(confluentIndexName('.')).toBe('dot');
    expect(confluentIndexName('..')).toBe('dotdot');
    expect(confluentIndexName('...')).toBe('...');
  });
});

describe('index names as Aiven makes them', () => {
  it('also turns : into _ and drops a leading +', () => {
    expect(aivenIndexName('Orders:EU')).toBe('orders_eu');
    expect(aivenIndexName('+plus')).toBe('plus');
    expect(aivenIndexName('-dash')).toBe('dash');
  });
});

describe('data stream names', () => {
  it('are <type>-<dataset>-<namespace> with the topic placeholder replaced by the lower-cased topic', () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: Confluent's placeholder syntax
    expect(confluentDataStreamName('LOGS', 'app', 'eu-${topic}', 'Clicks')).toBe('logs-app-eu-clicks');
  });

  it('cut the namespace to 100 characters', () => {
    const name = confluentDataStreamName('metrics', 'm', 'n'.repeat(120), 't');
    expect(name).toBe(`metrics-m-${'n'.repeat(100)}`);
  });

  it('are <prefix>-<index name> for Aiven, or the index name without a prefix', () => {
    expect(aivenDataStreamName('logs', 'Web:Clicks')).toBe('logs-web_clicks');
    expect(aivenDataStreamName(null, 'Web')).toBe('web');
  });
});
