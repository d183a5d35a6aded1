import { describe, expect, it } from 'vitest';
import { PREDICATES, TRANSFORMATIONS } from '../../../lib/transforms/index.js';

describe('transforms registry lists', () => {
  it('lists the 26 SMTs of Kafka service file, then Debezium’s ExtractNewRecordState, with working factories', () => {
    // Act
    const names = TRANSFORMATIONS.map((t) => t.className.replace('org.apache.kafka.connect.transforms.', ''));
    // Assess
    expect(names).toEqual([
      'Cast$Key',
      'Cast$Value',
      'DropHeaders',
      'ExtractField$Key',
      'ExtractField$Value',
      'Filter',
      'Flatten$Key',
      'Flatten$Value',
      'HeaderFrom$Key',
      'HeaderFrom$Value',
      'HoistField$Key',
      'HoistField$Value',
      'InsertField$Key',
      'InsertField$Value',
      'InsertHeader',
      'MaskField$Key',
      'MaskField$Value',
      'RegexRouter',
      'ReplaceField$Key',
      'ReplaceField$Value',
      'SetSchemaMetadata$Key',
      'SetSchemaMetadata$Value',
      'TimestampConverter$Key',
      'TimestampConverter$Value',
      'TimestampRouter',
      'ValueToKey',
      'io.debezium.transforms.ExtractNewRecordState',
    ]);
    for (const t of TRANSFORMATIONS) {
      const instance = t.create();
      expect(instance.version).toBe(t.className.startsWith('io.debezium.') ? '3.6.1.Final' : '3.9.1');
      expect(instance.config()).toBeDefined();
      expect(t.create()).not.toBe(instance);
    }
  });

  it('lists the 3 predicates', () => {
    expect(PREDICATES.map((p) => p.className)).toEqual([
      'org.apache.kafka.connect.transforms.predicates.HasHeaderKey',
      'org.apache.kafka.connect.transforms.predicates.RecordIsTombstone',
      'org.apache.kafka.connect.transforms.predicates.TopicNameMatches',
    ]);
    for (const p of PREDICATES) expect(typeof p.create().test).toBe('function');
  });
});
