import {
  type ConfigDef,
  ConfigType,
  Importance,
  NonEmptyString,
  type Password,
  Range,
} from '../../api/index.js';
import {
  AWS_ACCESS_KEY_ID,
  AWS_REGION,
  AWS_SECRET_ACCESS_KEY,
  AWS_SERVICE_SIGNING_NAME,
  AWS_STS_ROLE_ARN,
  AWS_STS_ROLE_EXTERNAL_ID,
  AWS_STS_ROLE_SESSION_DURATION,
  AWS_STS_ROLE_SESSION_NAME,
  CONNECTION_PASSWORD,
  CONNECTION_USERNAME,
} from './config-keys.js';
import type { SigV4Settings } from './settings.js';

const GROUP = 'AWS Sig4 Authentication';
const STS_KEYS = [AWS_STS_ROLE_ARN, AWS_STS_ROLE_SESSION_NAME, AWS_STS_ROLE_EXTERNAL_ID];

/**
 * Amazon OpenSearch Service with IAM: the `aws.*` keys of Aiven's connector
 * (https://github.com/Aiven-Open/opensearch-connector-for-apache-kafka/blob/v4.0.1/src/main/java/io/aiven/kafka/connect/opensearch/sig4/OpenSearchSigV4ConfigDefContributor.java),
 * on both connector classes. Requests are signed when `aws.region` and `aws.service.signing.name` are
 * set, with the static keys if given and otherwise the AWS default credential chain. Aiven's STS keys
 * are defined so that configs naming them are told why they do not work here.
 */
export function defineSigV4(def: ConfigDef, withSts: boolean): ConfigDef {
  let order = 0;
  def
    .define({
      name: AWS_REGION,
      type: ConfigType.STRING,
      defaultValue: null,
      importance: Importance.MEDIUM,
      group: GROUP,
      orderInGroup: ++order,
      documentation:
        'AWS region of the domain or collection, e.g. us-east-1. With aws.service.signing.name it turns on SigV4 request signing.',
    })
    .define({
      name: AWS_SERVICE_SIGNING_NAME,
      type: ConfigType.STRING,
      defaultValue: null,
      importance: Importance.MEDIUM,
      group: GROUP,
      orderInGroup: ++order,
      documentation:
        'Service name requests are signed for: es (Amazon OpenSearch Service domains) or aoss (OpenSearch Serverless).',
    })
    .define({
      name: AWS_ACCESS_KEY_ID,
      type: ConfigType.STRING,
      defaultValue: null,
      importance: Importance.MEDIUM,
      group: GROUP,
      orderInGroup: ++order,
      documentation:
        'Static access key id. Leave unset to use the AWS default credential chain (on AWS: the sink function’s role).',
    })
    .define({
      name: AWS_SECRET_ACCESS_KEY,
      type: ConfigType.PASSWORD,
      defaultValue: null,
      importance: Importance.MEDIUM,
      group: GROUP,
      orderInGroup: ++order,
      documentation:
        'Static secret access key, with aws.access_key_id; use a config provider to keep it out of the stored config.',
    });
  if (!withSts) return def;
  for (const name of STS_KEYS)
    def.define({
      name,
      type: ConfigType.STRING,
      defaultValue: null,
      validator: NonEmptyString,
      importance: Importance.LOW,
      group: GROUP,
      orderInGroup: ++order,
      documentation:
        'Aiven’s STS assume-role setting: not supported here; grant the sink function’s role access instead.',
    });
  return def.define({
    name: AWS_STS_ROLE_SESSION_DURATION,
    type: ConfigType.INT,
    defaultValue: 3600,
    validator: Range.between(900, 43_200),
    importance: Importance.LOW,
    group: GROUP,
    orderInGroup: ++order,
    documentation: 'Aiven’s STS session duration in seconds: not used here (no STS role).',
  });
}

/** Multi-key problems of the `aws.*` keys, by key. */
export function sigv4Problems(p: Readonly<Record<string, unknown>>): [string, string][] {
  const out: [string, string][] = [];
  const set = (k: string) => p[k] !== null && p[k] !== undefined && p[k] !== '';
  if (set(AWS_REGION) !== set(AWS_SERVICE_SIGNING_NAME)) {
    const message = `${AWS_REGION} and ${AWS_SERVICE_SIGNING_NAME} must be set together to sign requests with SigV4.`;
    out.push([AWS_REGION, message], [AWS_SERVICE_SIGNING_NAME, message]);
  }
  if (set(AWS_ACCESS_KEY_ID) !== set(AWS_SECRET_ACCESS_KEY)) {
    const message = `Both '${AWS_ACCESS_KEY_ID}' and '${AWS_SECRET_ACCESS_KEY}' must be set.`;
    out.push([AWS_ACCESS_KEY_ID, message], [AWS_SECRET_ACCESS_KEY, message]);
  }
  if (set(AWS_ACCESS_KEY_ID) && !set(AWS_REGION))
    out.push([
      AWS_REGION,
      `${AWS_REGION} and ${AWS_SERVICE_SIGNING_NAME} are needed with ${AWS_ACCESS_KEY_ID}.`,
    ]);
  for (const k of STS_KEYS)
    if (set(k))
      out.push([
        k,
        'STS role assumption is not supported: grant the sink function’s role (or the default credential chain’s identity) access to the domain.',
      ]);
  if (set(AWS_REGION) && (set(CONNECTION_USERNAME) || set(CONNECTION_PASSWORD)))
    out.push([
      AWS_REGION,
      'More than one authenticated configurator is applied for the client. Only one is allowed',
    ]);
  return out;
}

export function sigv4Settings(p: Readonly<Record<string, unknown>>): SigV4Settings | null {
  const region = p[AWS_REGION] as string | null;
  const service = p[AWS_SERVICE_SIGNING_NAME] as string | null;
  if (!region || !service) return null;
  const id = p[AWS_ACCESS_KEY_ID] as string | null;
  const secret = (p[AWS_SECRET_ACCESS_KEY] as Password | null)?.value();
  return { region, service, credentials: id && secret ? { accessKeyId: id, secretAccessKey: secret } : null };
}
