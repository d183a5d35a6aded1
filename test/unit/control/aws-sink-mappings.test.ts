import {
  CreateAliasCommand,
  CreateEventSourceMappingCommand,
  DeleteAliasCommand,
  DeleteEventSourceMappingCommand,
  type EventSourceMappingConfiguration,
  ListEventSourceMappingsCommand,
  UpdateEventSourceMappingCommand,
} from '@aws-sdk/client-lambda';
import { describe, expect, it } from 'vitest';
import { awsSinkMappings, type KafkaEventSource } from '../../../lib/control/aws-sink-mappings.js';
import { sinkAlias } from '../../../lib/runtime/sink-routing.js';

// No AWS is reachable here: a fake LambdaClient records every command and answers List from a list
// of mappings the test sets. What is asserted is the exact requests the real client would send.
function fakeLambda(mappings: EventSourceMappingConfiguration[] = []) {
  const sent: { name: string; input: Record<string, unknown> }[] = [];
  const client = {
    send: async (command: { constructor: { name: string }; input: Record<string, unknown> }) => {
      sent.push({ name: command.constructor.name, input: command.input });
      if (command instanceof ListEventSourceMappingsCommand) return { EventSourceMappings: mappings };
      return {};
    },
  };
  return { client: client as never, sent };
}

const selfManaged: KafkaEventSource = { bootstrapServers: ['b1:9092', 'b2:9092'] };

describe('awsSinkMappings', () => {
  it('creates one alias and one mapping per sink with its group, TRIM_HORIZON, partial batch responses and a connector tag', async () => {
    // Prepare
    const { client, sent } = fakeLambda();
    const mappings = awsSinkMappings({ client, functionName: 'sink-fn', source: selfManaged });
    // Act
    await mappings.ensure('orders', { topics: ['orders'], groupId: 'connect-orders', enabled: true });
    // Assess
    const alias = sinkAlias('orders');
    expect(alias).toMatch(/^sc-[0-9a-f]{40}$/);
    expect(sent.map((s) => s.name)).toEqual([
      ListEventSourceMappingsCommand.name,
      CreateAliasCommand.name,
      CreateEventSourceMappingCommand.name,
    ]);
    expect(sent[0]?.input).toEqual({ FunctionName: `sink-fn:${alias}`, Marker: undefined });
    expect(sent[1]?.input).toEqual({
      FunctionName: 'sink-fn',
      Name: alias,
      FunctionVersion: '$LATEST',
      Description: 'Serverless Connect sink connector orders',
    });
    expect(sent[2]?.input).toEqual({
      FunctionName: `sink-fn:${alias}`,
      Topics: ['orders'],
      Enabled: true,
      BatchSize: 500,
      StartingPosition: 'TRIM_HORIZON',
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      Tags: { 'serverless-connect:connector': 'orders' },
      SelfManagedEventSource: { Endpoints: { KAFKA_BOOTSTRAP_SERVERS: ['b1:9092', 'b2:9092'] } },
      SelfManagedKafkaEventSourceConfig: { ConsumerGroupId: 'connect-orders' },
      SourceAccessConfigurations: undefined,
    });
  });

  it('uses the MSK cluster ARN and AmazonManagedKafkaEventSourceConfig for MSK', async () => {
    // Prepare
    const { client, sent } = fakeLambda();
    const arn = 'arn:aws:kafka:eu-west-1:123456789012:cluster/c/uuid';
    const mappings = awsSinkMappings({ client, functionName: 'sink-fn', source: { mskClusterArn: arn } });
    // Act
    await mappings.ensure('s', { topics: ['t'], groupId: 'connect-s', enabled: false });
    // Assess
    expect(sent[2]?.input).toMatchObject({
      EventSourceArn: arn,
      Enabled: false,
      AmazonManagedKafkaEventSourceConfig: { ConsumerGroupId: 'connect-s' },
    });
  });

  it('finds mappings by group id to disable, enable and delete them; leaves others alone', async () => {
    // Prepare
    const { client, sent } = fakeLambda([
      {
        UUID: 'mine',
        State: 'Enabled',
        Topics: ['t'],
        SelfManagedKafkaEventSourceConfig: { ConsumerGroupId: 'connect-s' },
      },
      {
        UUID: 'other',
        State: 'Enabled',
        Topics: ['t'],
        SelfManagedKafkaEventSourceConfig: { ConsumerGroupId: 'connect-x' },
      },
    ]);
    const mappings = awsSinkMappings({ client, functionName: 'sink-fn', source: selfManaged });
    // Act
    await mappings.setEnabled('s', true);
    await mappings.setEnabled('s', false);
    await mappings.remove('s');
    // Assess
    const writes = sent.filter((s) => s.name !== ListEventSourceMappingsCommand.name);
    expect(writes).toEqual([
      { name: UpdateEventSourceMappingCommand.name, input: { UUID: 'mine', Enabled: false } },
      { name: DeleteEventSourceMappingCommand.name, input: { UUID: 'mine' } },
      { name: DeleteAliasCommand.name, input: { FunctionName: 'sink-fn', Name: sinkAlias('s') } },
    ]);
  });

  it('replaces a mapping whose topic changed and keeps neither mapping nor alias for a multi-topic sink', async () => {
    // Prepare
    const existing = [
      {
        UUID: 'old',
        State: 'Enabled',
        Topics: ['a'],
        SelfManagedKafkaEventSourceConfig: { ConsumerGroupId: 'connect-s' },
      },
    ];
    const changed = fakeLambda(existing);
    const multi = fakeLambda(existing);
    // Act
    await awsSinkMappings({ client: changed.client, functionName: 'f', source: selfManaged }).ensure('s', {
      topics: ['b'],
      groupId: 'connect-s',
      enabled: true,
    });
    await awsSinkMappings({ client: multi.client, functionName: 'f', source: selfManaged }).ensure('s', {
      topics: ['a', 'b'],
      groupId: 'connect-s',
      enabled: true,
    });
    // Assess
    expect(changed.sent.map((s) => s.name)).toEqual([
      ListEventSourceMappingsCommand.name,
      DeleteEventSourceMappingCommand.name,
      CreateAliasCommand.name,
      CreateEventSourceMappingCommand.name,
    ]);
    expect(multi.sent.map((s) => s.name)).toEqual([
      ListEventSourceMappingsCommand.name,
      DeleteEventSourceMappingCommand.name,
      DeleteAliasCommand.name,
    ]);
  });

  it('counts an alias that already exists, or a mapping already deleted, as done', async () => {
    // Prepare: Lambda answers the retried request's calls with conflict / not found.
    const { client, sent } = fakeLambda([
      {
        UUID: 'gone',
        State: 'Enabled',
        Topics: ['a'],
        SelfManagedKafkaEventSourceConfig: { ConsumerGroupId: 'connect-s' },
      },
    ]);
    const send = (client as { send: (command: unknown) => Promise<unknown> }).send;
    const failing = {
      send: async (command: { constructor: { name: string } }) => {
        const answer = await send(command);
        if (command instanceof CreateAliasCommand)
          throw Object.assign(new Error('exists'), { name: 'ResourceConflictException' });
        if (command instanceof DeleteEventSourceMappingCommand)
          throw Object.assign(new Error('gone'), { name: 'ResourceNotFoundException' });
        return answer;
      },
    };
    const mappings = awsSinkMappings({ client: failing as never, functionName: 'f', source: selfManaged });
    // Act
    await mappings.ensure('s', { topics: ['b'], groupId: 'connect-s', enabled: true });
    // Assess
    expect(sent.at(-1)?.name).toBe(CreateEventSourceMappingCommand.name);
  });
});
