import { AIVEN, CONFLUENT, parseSettings } from '../../../../lib/connectors/elasticsearch/connector-spec.js';
import type { SinkSettings } from '../../../../lib/connectors/elasticsearch/settings.js';

/** The settings each connector class gives for `props` (on top of a URL). */
export function settingsOf(flavor: 'confluent' | 'aiven', props: Record<string, string>): SinkSettings {
  return parseSettings(flavor === 'confluent' ? CONFLUENT : AIVEN, {
    'connection.url': 'http://127.0.0.1:9200',
    ...props,
  });
}
