import { describe, expect, it } from 'vitest';
import { Filter } from '../../../lib/transforms/filter.js';
import { sourceRecord } from './records.js';

describe('Filter', () => {
  it('drops every record', () => {
    const filter = new Filter();
    filter.configure({});
    expect(filter.apply(sourceRecord({ value: 'x' }))).toBeNull();
    expect(filter.config().names()).toEqual([]);
    expect(Filter.CLASS_NAME).toBe('org.apache.kafka.connect.transforms.Filter');
  });
});
