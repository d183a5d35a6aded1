import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueName } from '../../support/services.js';
import { type ControlFixture, controlFixture, sinkConfig, sourceConfig } from './harness.js';

let fx: ControlFixture;
beforeAll(async () => {
  fx = await controlFixture('ctl-offs');
});
afterAll(() => fx.dispose());

const STOP_FIRST = (name: string) =>
  'Connectors must be in the STOPPED state before their offsets can be modified. This can be done for the ' +
  `specified connector by issuing a 'PUT' request to the '/connectors/${name}/stop' endpoint`;

async function stoppedSource(): Promise<string> {
  const name = uniqueName('osrc');
  await fx.call('POST', '/connectors', { name, config: sourceConfig(), initial_state: 'STOPPED' });
  return name;
}

describe('source connector offsets', () => {
  it("alters, reads and resets offsets in DynamoDB with Kafka's success messages", async () => {
    // Prepare
    const name = await stoppedSource();
    const partition = { filename: '/tmp/control-test.txt' };
    // Act
    const altered = await fx.call('PATCH', `/connectors/${name}/offsets`, {
      offsets: [{ partition, offset: { position: 42 } }],
    });
    const read = await fx.call('GET', `/connectors/${name}/offsets`);
    const reset = await fx.call('DELETE', `/connectors/${name}/offsets`);
    const afterReset = await fx.call('GET', `/connectors/${name}/offsets`);
    // Assess
    expect(altered.body).toEqual({
      message: 'The offsets for this connector have been altered successfully',
    });
    expect(read.body).toEqual({ offsets: [{ partition, offset: { position: 42 } }] });
    expect(reset.body).toEqual({ message: 'The offsets for this connector have been reset successfully' });
    expect(afterReset.body).toEqual({ offsets: [] });
  });

  it('refuses PATCH and DELETE unless STOPPED, but GET works in any state', async () => {
    // Prepare
    const name = uniqueName('osrc');
    await fx.call('POST', '/connectors', { name, config: sourceConfig() });
    // Act
    const get = await fx.call('GET', `/connectors/${name}/offsets`);
    const patch = await fx.call('PATCH', `/connectors/${name}/offsets`, {
      offsets: [{ partition: { filename: 'f' }, offset: null }],
    });
    const del = await fx.call('DELETE', `/connectors/${name}/offsets`);
    // Assess
    expect(get.body).toEqual({ offsets: [] });
    expect(patch.body).toEqual({ error_code: 400, message: STOP_FIRST(name) });
    expect(del.body).toEqual({ error_code: 400, message: STOP_FIRST(name) });
  });

  it("answers 400 for a missing offsets list, a non-primitive value, 500 for the connector's refusal, 404 when unknown", async () => {
    // Prepare
    const name = await stoppedSource();
    // Act
    const empty = await fx.call('PATCH', `/connectors/${name}/offsets`, { offsets: [] });
    const nested = await fx.call('PATCH', `/connectors/${name}/offsets`, {
      offsets: [{ partition: { filename: 'f' }, offset: { position: { deep: 1 } } }],
    });
    const refused = await fx.call('PATCH', `/connectors/${name}/offsets`, {
      offsets: [{ partition: { filename: 'f' }, offset: { position: -1 } }],
    });
    const unknown = await fx.call('GET', '/connectors/nobody/offsets');
    // Assess
    expect(empty.body).toEqual({
      error_code: 400,
      message: 'Partitions / offsets need to be provided for an alter offsets request',
    });
    expect(nested.body).toEqual({
      error_code: 400,
      message: 'Offsets may only contain primitive types as values, but field position contains MAP',
    });
    expect(refused.body).toEqual({
      error_code: 500,
      message: "The value for the 'position' key in the offset should be a non-negative value",
    });
    expect(unknown.body).toEqual({ error_code: 404, message: 'Connector nobody not found' });
  });
});

describe('sink connector offsets', () => {
  it('alters (numeric strings accepted), reads and resets the consumer group connect-<name>', async () => {
    // Prepare
    const topic = uniqueName('ctl-sink');
    await fx.admin.createTopics([{ topic, numPartitions: 2, replicationFactor: 1 }]);
    const name = uniqueName('osink');
    await fx.call('POST', '/connectors', {
      name,
      config: sinkConfig({ topics: topic }),
      initial_state: 'STOPPED',
    });
    // Act
    const altered = await fx.call('PATCH', `/connectors/${name}/offsets`, {
      offsets: [
        { partition: { kafka_topic: topic, kafka_partition: 0 }, offset: { kafka_offset: 0 } },
        { partition: { kafka_topic: topic, kafka_partition: '1' }, offset: { kafka_offset: '0' } },
      ],
    });
    const read = await fx.call('GET', `/connectors/${name}/offsets`);
    const group = await fx.admin.groupOffsets(`connect-${name}`);
    const reset = await fx.call('DELETE', `/connectors/${name}/offsets`);
    const afterReset = await fx.call('GET', `/connectors/${name}/offsets`);
    // Assess
    expect(altered.body).toEqual({
      message: 'The offsets for this connector have been altered successfully',
    });
    expect(read.body).toEqual({
      offsets: [
        { partition: { kafka_topic: topic, kafka_partition: 0 }, offset: { kafka_offset: 0 } },
        { partition: { kafka_topic: topic, kafka_partition: 1 }, offset: { kafka_offset: 0 } },
      ],
    });
    expect(group).toHaveLength(2);
    expect(reset.body).toEqual({ message: 'The offsets for this connector have been reset successfully' });
    expect(afterReset.body).toEqual({ offsets: [] });
  });

  it('uses the group named by consumer.override.group.id, as the sink itself does', async () => {
    // Prepare
    const topic = uniqueName('ctl-sink');
    await fx.admin.createTopics([{ topic, numPartitions: 1, replicationFactor: 1 }]);
    const name = uniqueName('osink');
    // Under `connect-`, the prefix a worker allows by default (consumer.group.id.allowed.prefixes).
    const groupId = uniqueName('connect-own-group');
    await fx.call('POST', '/connectors', {
      name,
      config: sinkConfig({ topics: topic, 'consumer.override.group.id': groupId }),
      initial_state: 'STOPPED',
    });
    // Act
    await fx.call('PATCH', `/connectors/${name}/offsets`, {
      offsets: [{ partition: { kafka_topic: topic, kafka_partition: 0 }, offset: { kafka_offset: 0 } }],
    });
    // Assess
    expect(await fx.admin.groupOffsets(groupId)).toEqual([{ topic, partition: 0, offset: 0 }]);
    expect(await fx.admin.groupOffsets(`connect-${name}`)).toEqual([]);
  });

  it("answers Kafka's 400s for malformed sink partitions and offsets", async () => {
    // Prepare
    const name = uniqueName('osink');
    await fx.call('POST', '/connectors', { name, config: sinkConfig(), initial_state: 'STOPPED' });
    const patch = (entry: unknown) => fx.call('PATCH', `/connectors/${name}/offsets`, { offsets: [entry] });
    // Act
    const noKeys = await patch({ partition: { kafka_topic: 't' }, offset: null });
    const noOffsetKey = await patch({
      partition: { kafka_topic: 't', kafka_partition: 0 },
      offset: { x: 1 },
    });
    const badNumber = await patch({
      partition: { kafka_topic: 't', kafka_partition: 0 },
      offset: { kafka_offset: 'ten' },
    });
    // Assess
    expect(noKeys.body.message).toBe(
      "The partition for a sink connector offset must contain the keys 'kafka_topic' and 'kafka_partition'",
    );
    expect(noOffsetKey.body.message).toBe(
      "The offset for a sink connector should either be null or contain the key 'kafka_offset'",
    );
    expect(badNumber.status).toBe(400);
    expect(badNumber.body.message).toMatch(/^Failed to parse the following Kafka offset value/);
  });
});
