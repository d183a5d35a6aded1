import { invalidValue, lambdaValidator, type Validator } from '../../api/index.js';

export const VERSION = '0.1.0';

// Keys both connectors know by the same name.
export const CONNECTION_URL = 'connection.url';
export const CONNECTION_USERNAME = 'connection.username';
export const CONNECTION_PASSWORD = 'connection.password';
export const BATCH_SIZE = 'batch.size';
export const MAX_IN_FLIGHT_REQUESTS = 'max.in.flight.requests';
export const MAX_BUFFERED_RECORDS = 'max.buffered.records';
export const LINGER_MS = 'linger.ms';
export const FLUSH_TIMEOUT_MS = 'flush.timeout.ms';
export const MAX_RETRIES = 'max.retries';
export const RETRY_BACKOFF_MS = 'retry.backoff.ms';
export const CONNECTION_TIMEOUT_MS = 'connection.timeout.ms';
export const READ_TIMEOUT_MS = 'read.timeout.ms';
export const KEY_IGNORE = 'key.ignore';
export const TOPIC_KEY_IGNORE = 'topic.key.ignore';
export const SCHEMA_IGNORE = 'schema.ignore';
export const TOPIC_SCHEMA_IGNORE = 'topic.schema.ignore';
export const COMPACT_MAP_ENTRIES = 'compact.map.entries';
export const DROP_INVALID_MESSAGE = 'drop.invalid.message';
export const BEHAVIOR_ON_NULL_VALUES = 'behavior.on.null.values';
export const BEHAVIOR_ON_MALFORMED_DOCS = 'behavior.on.malformed.documents';
export const DATA_STREAM_TIMESTAMP_FIELD = 'data.stream.timestamp.field';

// SigV4 (Aiven's names; the Confluent connector accepts them too).
export const AWS_REGION = 'aws.region';
export const AWS_SERVICE_SIGNING_NAME = 'aws.service.signing.name';
export const AWS_ACCESS_KEY_ID = 'aws.access_key_id';
export const AWS_SECRET_ACCESS_KEY = 'aws.secret_access_key';
export const AWS_STS_ROLE_ARN = 'aws.sts.role.arn';
export const AWS_STS_ROLE_SESSION_NAME = 'aws.sts.role.session.name';
export const AWS_STS_ROLE_EXTERNAL_ID = 'aws.sts.role.external.id';
export const AWS_STS_ROLE_SESSION_DURATION = 'aws.sts.role.session.duration';

/**
 * An enum key checked case-insensitively, as Confluent's `EnumRecommender` and Aiven's enum validators
 * do; the docs show the lower-cased choices.
 */
export function enumValidator(...choices: string[]): Validator {
  const valid = choices.map((c) => c.toLowerCase());
  const text = `[${valid.join(', ')}]`;
  return lambdaValidator((name, value) => {
    if (value === null || value === undefined) return;
    if (!valid.includes(String(value).toLowerCase()))
      throw invalidValue(name, value, `Value must be one of: ${text}`);
  }, text);
}

/**
 * `connection.url`: one or more http(s) URLs. A URL without a scheme means http (Confluent's rule);
 * SigV4 endpoints are often written without one, which {@link normalizeUrls} turns into https.
 */
export const urlListValidator: Validator = lambdaValidator((name, value) => {
  const urls = (value as string[] | null) ?? [];
  if (urls.length === 0) throw invalidValue(name, value, 'At least one URL is needed');
  for (const url of urls) {
    try {
      const parsed = new URL(withScheme(url, 'http'));
      if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error(parsed.protocol);
    } catch {
      throw invalidValue(name, value, `The provided url '${url}' is not a valid url.`);
    }
  }
}, 'List of valid URIs.');

function withScheme(url: string, scheme: 'http' | 'https'): string {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(url) ? url : `${scheme}://${url}`;
}

/**
 * The nodes to connect to: no trailing `/`; a URL without a scheme gets http (https when requests are
 * SigV4-signed, as AWS endpoints are); when any URL is https, all are (Confluent's rule).
 */
export function normalizeUrls(urls: readonly string[], signed: boolean): string[] {
  const full = urls.map((u) => withScheme(u.replace(/\/+$/, ''), signed ? 'https' : 'http'));
  const https = full.some((u) => u.toLowerCase().startsWith('https:'));
  return full.map((u) => (https ? u.replace(/^http:/i, 'https:') : u));
}
