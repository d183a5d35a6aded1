/**
 * The names a connector may be created with: what every place a name ends up accepts.
 *
 * - DynamoDB: the name is the partition key of the configs, status and offsets tables (at most 2048
 *   UTF-8 bytes, never empty); it is never part of a sort key.
 * - The sink's consumer group `connect-<name>` is the `ConsumerGroupId` of its Lambda event source
 *   mapping on AWS, which takes 1–200 characters: `connect-` leaves 192 for the name.
 * - The REST API addresses a connector by one path segment: `/` (even as `%2F`, which proxies and
 *   servlet containers refuse or decode), `.` and `..` (which clients resolve away) cannot be reached.
 * - Kafka's own rule (`NonEmptyStringWithoutControlChars`): not empty, no ISO control characters.
 *   Invisible formatting characters (bidirectional overrides, zero-width marks) and unpaired surrogates
 *   are refused too: a name must read as what it is.
 *
 * Names already stored stay addressable: reads only refuse what no table can hold
 * ({@link isStorableConnectorName}).
 */

/** 200 (the event source mapping's `ConsumerGroupId` limit) less `connect-`. */
export const CONNECTOR_NAME_MAX_LENGTH = 192;

/** DynamoDB's partition key limit. */
const MAX_PARTITION_KEY_BYTES = 2048;

/** Format (Cf), line/paragraph separators (Zl, Zp), private use (Co) and unassigned (Cn) code points. */
const INVISIBLE = /[\p{Cf}\p{Zl}\p{Zp}\p{Co}\p{Cn}]/u;

/**
 * Why `name` cannot be a new connector's name, worded as the message of Kafka's
 * `ConfigException(name, value, reason)` (`Invalid value <name> for configuration name: <reason>`
 * is built from it); `undefined` when it can. Empty and control-character names get Kafka's reasons.
 */
export function connectorNameProblem(name: string): string | undefined {
  if (name === '') return 'String may not be empty';
  const control: number[] = [];
  for (const ch of name) {
    const code = ch.codePointAt(0) as number;
    if (code <= 0x1f || (code >= 0x7f && code <= 0x9f)) control.push(code);
  }
  if (control.length > 0)
    return `String may not contain control sequences but had the following ASCII chars: ${control.join(', ')}`;
  if (!name.isWellFormed()) return 'String may not contain unpaired surrogates';
  const length = [...name].length;
  if (length > CONNECTOR_NAME_MAX_LENGTH)
    return `A connector name may have at most ${CONNECTOR_NAME_MAX_LENGTH} characters (its consumer group connect-<name> at most 200), but this one has ${length}`;
  if (name.includes('/')) return "A connector name may not contain '/': it is one segment of the REST path";
  if (name === '.' || name === '..')
    return `A connector name may not be '${name}': clients resolve it away in a REST path`;
  const invisible = INVISIBLE.exec(name);
  if (invisible)
    return `A connector name may not contain invisible or unassigned characters, but had U+${(invisible[0].codePointAt(0) as number).toString(16).toUpperCase().padStart(4, '0')}`;
  return undefined;
}

/** Kafka's whole message for a bad name: `Invalid value <name> for configuration name: <reason>`. */
export function connectorNameError(name: string): string | undefined {
  const problem = connectorNameProblem(name);
  return problem === undefined ? undefined : `Invalid value ${name} for configuration name: ${problem}`;
}

/**
 * Whether some table could hold `name` as a key: not empty, at most 2048 UTF-8 bytes, well-formed. A
 * name that fails this cannot exist, so a read or delete of it is a 404 without asking the store
 * (which would refuse the key with a 500).
 */
export function isStorableConnectorName(name: string): boolean {
  return name !== '' && name.isWellFormed() && Buffer.byteLength(name, 'utf8') <= MAX_PARTITION_KEY_BYTES;
}

/** What a Lambda event source mapping takes as `ConsumerGroupId` (Kafka and MSK sources). */
const ESM_GROUP_ID = /^[a-zA-Z0-9\-/*:_+=.@]{1,200}$/;

/**
 * Why a Lambda event source mapping would refuse `groupId` (1–200 of `[a-zA-Z0-9-/*:_+=.@]`), or
 * undefined. The name rule keeps `connect-<name>` within 200 characters but, as Kafka, allows any
 * printable character; on AWS a sink whose group (`sinkGroupId`) fails this gets no mapping, so the
 * control plane should refuse it before writing the config when its sink mappings are AWS's.
 */
export function eventSourceMappingGroupIdProblem(groupId: string): string | undefined {
  if (ESM_GROUP_ID.test(groupId)) return undefined;
  return `A Lambda event source mapping's consumer group id has 1 to 200 of the characters a-z A-Z 0-9 - / * : _ + = . @, but this one is '${groupId}'`;
}
