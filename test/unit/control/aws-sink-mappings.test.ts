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
import { sinkAlias } from '../../../lib/config/sink-routing.js';
import { awsSinkMappings, type KafkaEventSource } from '../../../lib/control/aws-sink-mappings.js';

// No AWS is reachable here: a fake LambdaClient records every command and answers List, as Lambda does,
// with the mappings (set by the test) whose function ARN is the one asked for. What is asserted is the
// exact requests the real client would send.
function fakeLambda(mappings: EventSourceMappingConfiguration[] = []) {
  const sent: { name: string; input: Record<string, unknown> }[] = [];
  const client = {
    send: async (command: { constructor: { name: string }; input: Record<string, unknown> }) => {
      sent.push({ name: command.constructor.name, input: command.input });
      if (command instanceof ListEventSourceMappingsCommand) {
        const fn = `:function:${command.input.FunctionName}`;
        return { EventSourceMappings: mappings.filter((m) => m.FunctionArn?.endsWith(fn)) };
      }
      return {};
    },
  };
  return { client: client as never, sent };
}

/** The ARN a mapping of `connector` invokes: its alias of the sink function `fn`. */
const aliasArn = (fn: string, connector: string) =>
  `arn:aws:lambda:eu-west-1:123456789012:function:${fn}:${sinkAlias(connector)}`;

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

  it("finds a connector's mappings by its alias to disable, enable and delete them; leaves others alone", async () => {
    // Prepare
    const { client, sent } = fakeLambda([
      {
        UUID: 'mine',
        FunctionArn: aliasArn('sink-fn', 's'),
        State: 'Enabled',
        Topics: ['t'],
        SelfManagedKafkaEventSourceConfig: { ConsumerGroupId: 'connect-s' },
      },
      {
        UUID: 'other',
        FunctionArn: aliasArn('sink-fn', 'x'),
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

  it('replaces a mapping whose topic or group changed and keeps neither mapping nor alias for a multi-topic sink', async () => {
    // Prepare
    const existing = [
      {
        UUID: 'old',
        FunctionArn: aliasArn('f', 's'),
        State: 'Enabled',
        Topics: ['a'],
        SelfManagedKafkaEventSourceConfig: { ConsumerGroupId: 'connect-s' },
      },
    ];
    const changed = fakeLambda(existing);
    const regrouped = fakeLambda(existing);
    const multi = fakeLambda(existing);
    // Act
    await awsSinkMappings({ client: changed.client, functionName: 'f', source: selfManaged }).ensure('s', {
      topics: ['b'],
      groupId: 'connect-s',
      enabled: true,
    });
    await awsSinkMappings({ client: regrouped.client, functionName: 'f', source: selfManaged }).ensure('s', {
      topics: ['a'],
      groupId: 'custom-group',
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
    expect(regrouped.sent.map((s) => s.name)).toEqual(changed.sent.map((s) => s.name));
    expect(regrouped.sent.at(-1)?.input).toMatchObject({
      SelfManagedKafkaEventSourceConfig: { ConsumerGroupId: 'custom-group' },
    });
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
        FunctionArn: aliasArn('f', 's'),
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
