import {
  ConfigDef,
  ConfigError,
  ConfigType,
  Importance,
  invalidValueMessage,
  lambdaValidator,
  NO_DEFAULT,
  NonEmptyString,
  Range,
  ValidString,
} from '../../api/index.js';
import { type AddressPolicy, displayUrl, ipLiteral, refusedAddress } from './address-policy.js';

export const URL_CONFIG = 'http.api.url';
export const METHOD = 'request.method';
export const HEADERS = 'headers';
export const HEADER_SEPARATOR = 'header.separator';
export const AUTH_TYPE = 'auth.type';
export const USER = 'connection.user';
export const PASSWORD = 'connection.password';
export const BEARER_TOKEN = 'bearer.token';
export const BATCH_MAX_SIZE = 'batch.max.size';
export const BATCH_MAX_BYTES = 'batch.max.bytes';
export const MAX_RETRIES = 'max.retries';
export const RETRY_BACKOFF = 'retry.backoff.ms';
export const RETRY_BACKOFF_MAX = 'retry.backoff.max.ms';
export const RETRY_AFTER_MAX = 'retry.after.max.ms';
export const REQUEST_TIMEOUT = 'request.timeout.ms';
export const VERSION = '0.1.0';

/**
 * `http.api.url`: an http(s) URL, and one whose host, when it is an IP literal, the address policy
 * allows (`http://169.254.169.254/` is refused here already; host names are checked when connecting).
 * The message shows the URL without its password or query.
 */
function urlValidator(policy: AddressPolicy) {
  return lambdaValidator((name, value) => {
    if (value === null || value === undefined) return;
    const text = String(value);
    const invalid = (reason: string) => new ConfigError(invalidValueMessage(name, displayUrl(text), reason));
    if (text === '') throw new ConfigError(invalidValueMessage(name, '', 'String must be non-empty'));
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      throw invalid('not a valid URL');
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
      throw invalid('the scheme must be http or https');
    const literal = ipLiteral(url.hostname);
    const reason = literal === undefined ? undefined : refusedAddress(literal, policy);
    if (reason)
      throw invalid(`the HTTP sink may not connect to ${url.host}: ${reason} addresses are refused`);
  }, 'an http:// or https:// URL');
}

/**
 * The HTTP sink's config spec. Key names follow Confluent's HTTP sink where it has one. Without a
 * policy the URL check is the strictest (public addresses only).
 */
export const httpConfigDef = (policy: AddressPolicy = { allowPrivateNetworks: false }) =>
  new ConfigDef()
    .define({
      name: URL_CONFIG,
      type: ConfigType.STRING,
      defaultValue: NO_DEFAULT,
      validator: urlValidator(policy),
      importance: Importance.HIGH,
      group: 'Request',
      documentation:
        'The URL each batch is sent to (http:// or https://). Link-local and instance metadata addresses are always refused; loopback and private ones unless the deployment allows them (local mode does).',
    })
    .define({
      name: METHOD,
      type: ConfigType.STRING,
      defaultValue: 'POST',
      validator: ValidString.in('POST', 'PUT'),
      importance: Importance.MEDIUM,
      group: 'Request',
      documentation: 'HTTP method of each request.',
    })
    .define({
      name: HEADERS,
      type: ConfigType.STRING,
      defaultValue: '',
      importance: Importance.MEDIUM,
      group: 'Request',
      documentation: 'Extra request headers as Name:Value pairs separated by header.separator.',
    })
    .define({
      name: HEADER_SEPARATOR,
      type: ConfigType.STRING,
      defaultValue: '|',
      validator: NonEmptyString,
      importance: Importance.LOW,
      group: 'Request',
      documentation: 'Separator between the pairs of headers.',
    })
    .define({
      name: REQUEST_TIMEOUT,
      type: ConfigType.INT,
      defaultValue: 30_000,
      validator: Range.atLeast(1),
      importance: Importance.LOW,
      group: 'Request',
      documentation: 'Milliseconds before a request is abandoned (and retried).',
    })
    .define({
      name: AUTH_TYPE,
      type: ConfigType.STRING,
      defaultValue: 'NONE',
      validator: ValidString.in('NONE', 'BASIC', 'BEARER'),
      importance: Importance.HIGH,
      group: 'Authentication',
      documentation: 'NONE, BASIC (connection.user / connection.password) or BEARER (bearer.token).',
    })
    .define({
      name: USER,
      type: ConfigType.STRING,
      defaultValue: null,
      importance: Importance.HIGH,
      group: 'Authentication',
      documentation: 'User name for BASIC authentication.',
    })
    .define({
      name: PASSWORD,
      type: ConfigType.PASSWORD,
      defaultValue: null,
      importance: Importance.HIGH,
      group: 'Authentication',
      documentation:
        'Password for BASIC authentication; use a config provider to keep it out of the stored config.',
    })
    .define({
      name: BEARER_TOKEN,
      type: ConfigType.PASSWORD,
      defaultValue: null,
      importance: Importance.HIGH,
      group: 'Authentication',
      documentation:
        'Token for BEARER authentication; use a config provider to keep it out of the stored config.',
    })
    .define({
      name: BATCH_MAX_SIZE,
      type: ConfigType.INT,
      defaultValue: 100,
      validator: Range.atLeast(1),
      importance: Importance.MEDIUM,
      group: 'Batching',
      documentation: 'Most records in one request.',
    })
    .define({
      name: BATCH_MAX_BYTES,
      type: ConfigType.INT,
      defaultValue: 1_048_576,
      validator: Range.atLeast(1),
      importance: Importance.MEDIUM,
      group: 'Batching',
      documentation: 'Most body bytes in one request (a single larger record is sent alone).',
    })
    .define({
      name: MAX_RETRIES,
      type: ConfigType.INT,
      defaultValue: 5,
      validator: Range.atLeast(0),
      importance: Importance.MEDIUM,
      group: 'Retries',
      documentation:
        'Retries of a request answered 408, 429 or 5xx (or not answered) within one put; then the batch is redelivered by the runtime, and the task fails when its time budget is spent.',
    })
    .define({
      name: RETRY_BACKOFF,
      type: ConfigType.INT,
      defaultValue: 200,
      validator: Range.atLeast(0),
      importance: Importance.MEDIUM,
      group: 'Retries',
      documentation: 'First backoff in ms, doubling per retry up to retry.backoff.max.ms.',
    })
    .define({
      name: RETRY_BACKOFF_MAX,
      type: ConfigType.INT,
      defaultValue: 5_000,
      validator: Range.atLeast(0),
      importance: Importance.LOW,
      group: 'Retries',
      documentation: 'Longest backoff in ms between retries.',
    })
    .define({
      name: RETRY_AFTER_MAX,
      type: ConfigType.INT,
      defaultValue: 10_000,
      validator: Range.atLeast(0),
      importance: Importance.LOW,
      group: 'Retries',
      documentation: 'Longest wait in ms honoured from a Retry-After header (seconds or HTTP date).',
    });
