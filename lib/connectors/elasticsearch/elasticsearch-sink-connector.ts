import type { AddressGuard } from '../http/address-policy.js';
import { CONFLUENT } from './connector-spec.js';
import { SearchSinkConnector } from './sink-connector.js';
import { SearchSinkTask } from './sink-task.js';

/** The task of Confluent's class: Confluent's keys, defaults and failure rules. */
export class ElasticsearchSinkTask extends SearchSinkTask {
  constructor(guard?: AddressGuard) {
    super(CONFLUENT, guard);
  }
}

/**
 * Keeps indices or data streams in step with topics: Confluent's
 * `io.confluent.connect.elasticsearch.ElasticsearchSinkConnector` (15.1), whose configs run unchanged,
 * against Elasticsearch 7/8 and — unlike Confluent's, which refuses them — OpenSearch clusters and
 * Amazon OpenSearch Service (SigV4 with Aiven's `aws.*` keys).
 */
export class ElasticsearchSinkConnector extends SearchSinkConnector {
  static readonly CLASS_NAME = 'io.confluent.connect.elasticsearch.ElasticsearchSinkConnector';
  protected readonly spec = CONFLUENT;
  taskClass = () => {
    const guard = this.guard;
    return class BoundElasticsearchSinkTask extends ElasticsearchSinkTask {
      constructor() {
        super(guard);
      }
    };
  };
}
