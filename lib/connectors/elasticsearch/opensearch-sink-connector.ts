import type { AddressGuard } from '../http/address-policy.js';
import { AIVEN } from './connector-spec.js';
import { SearchSinkConnector } from './sink-connector.js';
import { SearchSinkTask } from './sink-task.js';

/** The task of Aiven's class: Aiven's keys, defaults and failure rules. */
export class OpenSearchSinkTask extends SearchSinkTask {
  constructor(guard?: AddressGuard) {
    super(AIVEN, guard);
  }
}

/**
 * Aiven's OpenSearch sink, `io.aiven.kafka.connect.opensearch.OpenSearchSinkConnector` (4.x), with its
 * own keys and defaults, on the same implementation as Confluent's class; against OpenSearch, Amazon
 * OpenSearch Service (SigV4) and Elasticsearch 7-compatible clusters.
 */
export class OpenSearchSinkConnector extends SearchSinkConnector {
  static readonly CLASS_NAME: string = 'io.aiven.kafka.connect.opensearch.OpenSearchSinkConnector';
  protected readonly spec = AIVEN;
  taskClass = () => {
    const guard = this.guard;
    return class BoundOpenSearchSinkTask extends OpenSearchSinkTask {
      constructor() {
        super(guard);
      }
    };
  };
}

/** The same connector under the class name of Aiven's 1.x–3.x releases, which many configs still name. */
export class OpensearchSinkConnector extends OpenSearchSinkConnector {
  static override readonly CLASS_NAME: string = 'io.aiven.kafka.connect.opensearch.OpensearchSinkConnector';
}
