import { describe, expect, it } from 'vitest';
import { tableNamesFromEnv } from '../../../lib/store/state-store.js';

describe('tableNamesFromEnv', () => {
  it('takes table names from CONFIGS_TABLE, STATUS_TABLE and OFFSETS_TABLE', () => {
    // Act
    const names = tableNamesFromEnv({ CONFIGS_TABLE: 'a', STATUS_TABLE: 'b', OFFSETS_TABLE: 'c' });
    // Assess
    expect(names).toEqual({ configs: 'a', status: 'b', offsets: 'c' });
  });

  it('falls back to the default names for unset or empty variables', () => {
    // Act
    const names = tableNamesFromEnv({ STATUS_TABLE: '' });
    // Assess
    expect(names).toEqual({
      configs: 'connect-configs',
      status: 'connect-status',
      offsets: 'connect-offsets',
    });
  });
});
