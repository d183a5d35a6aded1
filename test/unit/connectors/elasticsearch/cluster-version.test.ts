import { describe, expect, it } from 'vitest';
import { versionProblem } from '../../../../lib/connectors/elasticsearch/resources.js';

const es = (version: string) => ({ distribution: 'elasticsearch' as const, version });

describe('the cluster versions Confluent’s class writes to', () => {
  it('refuses Elasticsearch before 7.0.0, and before 7.9.0 for data streams', () => {
    expect(versionProblem(es('6.8.23'), false)).toBe(
      'Elasticsearch version 6.8.23 is not compatible with this connector. Elasticsearch version must be at least 7.0.0.',
    );
    expect(versionProblem(es('7.0.0'), false)).toBeNull();
    expect(versionProblem(es('7.8.1'), true)).toMatch(/not compatible with data streams/);
    expect(versionProblem(es('8.15.0-SNAPSHOT'), true)).toBeNull();
  });

  it('accepts OpenSearch of any version (Confluent’s refuses it), and a cluster that does not say', () => {
    expect(versionProblem({ distribution: 'opensearch', version: '1.3.0' }, true)).toBeNull();
    expect(versionProblem(null, false)).toBeNull();
  });
});
