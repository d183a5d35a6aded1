import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateAliasCommand,
  CreateEventSourceMappingCommand,
  type CreateEventSourceMappingCommandInput,
  DeleteAliasCommand,
  DeleteEventSourceMappingCommand,
  GetAliasCommand,
  GetEventSourceMappingCommand,
  InvalidParameterValueException,
  LambdaClient,
  ListAliasesCommand,
  ListEventSourceMappingsCommand,
  ResourceConflictException,
  ResourceInUseException,
  ResourceNotFoundException,
  UpdateEventSourceMappingCommand,
} from '@aws-sdk/client-lambda';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sinkAlias } from '../../../lib/config/sink-routing.js';
import { awsSinkMappings } from '../../../lib/control/aws-sink-mappings.js';
import type { SinkMappingSpec } from '../../../lib/control/sink-mappings.js';
import { type LambdaApi, startLambdaApi } from '../../../local/aws/lambda-api.js';

// The simulated Lambda control plane, spoken to by the real @aws-sdk/client-lambda over HTTP: what is
// asserted is what the SDK sends, parses and throws, so a wrong path, member name or error shape fails.
const REGION = 'eu-west-1';
const ACCOUNT = '123456789012';
const FN_ARN = `arn:aws:lambda:${REGION}:${ACCOUNT}:function:sink-fn`;
const MSK = `arn:aws:kafka:${REGION}:${ACCOUNT}:cluster/orders/0a1b2c3d-1111-2222-3333-444455556666-1`;

let api: LambdaApi;
let lambda: LambdaClient;
beforeEach(async () => {
  api = await startLambdaApi({ port: 0, region: REGION, accountId: ACCOUNT });
  api.registerFunction('sink-fn');
  // No retries: every refusal here is a 4xx, and a retried 5xx would only hide a bug.
  lambda = new LambdaClient({
    endpoint: api.url,
    region: REGION,
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    maxAttempts: 1,
  });
});
afterEach(async () => {
  lambda.destroy();
  await api.close();
});

const alias = (Name: string) =>
  lambda.send(new CreateAliasCommand({ FunctionName: 'sink-fn', Name, FunctionVersion: '$LATEST' }));

/** A valid self-managed Kafka mapping on `sink-fn:<qualifier>`, with `overrides`. */
const mapping = (qualifier: string, overrides: Partial<CreateEventSourceMappingCommandInput> = {}) =>
  lambda.send(
    new CreateEventSourceMappingCommand({
      FunctionName: `sink-fn:${qualifier}`,
      Topics: ['orders'],
      StartingPosition: 'TRIM_HORIZON',
      SelfManagedEventSource: { Endpoints: { KAFKA_BOOTSTRAP_SERVERS: ['127.0.0.1:9092'] } },
      SelfManagedKafkaEventSourceConfig: { ConsumerGroupId: `group-${qualifier}` },
      ...overrides,
    }),
  );

const list = async (FunctionName?: string) =>
  (await lambda.send(new ListEventSourceMappingsCommand({ FunctionName }))).EventSourceMappings ?? [];

/** The error a call rejects with (fails the test when it resolves). */
async function rejection(
  call: Promise<unknown>,
): Promise<Error & { $metadata?: { httpStatusCode?: number } }> {
  return call.then(
    () => expect.fail('expected the call to be refused'),
    (error: Error) => error,
  );
}

describe('Lambda API: aliases', () => {
  it('creates, gets, lists and deletes an alias of $LATEST, named by function name or ARN', async () => {
    // Act
    const created = await lambda.send(
      new CreateAliasCommand({
        FunctionName: FN_ARN,
        Name: 'live',
        FunctionVersion: '$LATEST',
        Description: 'd',
      }),
    );
    const got = await lambda.send(new GetAliasCommand({ FunctionName: 'sink-fn', Name: 'live' }));
    const listed = await lambda.send(new ListAliasesCommand({ FunctionName: 'sink-fn' }));
    await lambda.send(new DeleteAliasCommand({ FunctionName: 'sink-fn', Name: 'live' }));
    const gone = await rejection(lambda.send(new GetAliasCommand({ FunctionName: 'sink-fn', Name: 'live' })));
    // Assess
    expect(created).toMatchObject({
      AliasArn: `${FN_ARN}:live`,
      Name: 'live',
      FunctionVersion: '$LATEST',
      Description: 'd',
      $metadata: { httpStatusCode: 201 },
    });
    expect(created.RevisionId).toMatch(/^[0-9a-f-]{36}$/);
    expect(got.AliasArn).toBe(`${FN_ARN}:live`);
    expect(listed.Aliases?.map((a) => a.Name)).toEqual(['live']);
    expect(gone).toBeInstanceOf(ResourceNotFoundException);
    expect(gone.message).toBe(`Alias not found: ${FN_ARN}:live`);
  });

  it('refuses an existing alias (409), a missing function (404) and a bad name (400); deleting a missing alias is a 204 as on AWS', async () => {
    // Prepare
    await alias('live');
    // Act
    const again = await rejection(alias('live'));
    const noFunction = await rejection(
      lambda.send(new CreateAliasCommand({ FunctionName: 'nope', Name: 'live', FunctionVersion: '$LATEST' })),
    );
    const badName = await rejection(alias('123'));
    const deleteMissing = await lambda.send(
      new DeleteAliasCommand({ FunctionName: 'sink-fn', Name: 'never' }),
    );
    const deleteNoFunction = await rejection(
      lambda.send(new DeleteAliasCommand({ FunctionName: 'nope', Name: 'x' })),
    );
    // Assess
    expect(again).toBeInstanceOf(ResourceConflictException);
    expect(again.$metadata?.httpStatusCode).toBe(409);
    expect(noFunction).toBeInstanceOf(ResourceNotFoundException);
    expect(noFunction.message).toBe(`Function not found: arn:aws:lambda:${REGION}:${ACCOUNT}:function:nope`);
    expect(badName).toBeInstanceOf(InvalidParameterValueException);
    expect(deleteMissing.$metadata.httpStatusCode).toBe(204);
    expect(deleteNoFunction).toBeInstanceOf(ResourceNotFoundException);
  });
});

describe('Lambda API: Kafka event source mappings', () => {
  it('creates a self-managed mapping on an alias: Creating in the reply, Enabled on the next read, AWS defaults', async () => {
    // Prepare
    await alias('a1');
    // Act
    const created = await mapping('a1', {
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      Tags: { k: 'v' },
    });
    const got = await lambda.send(new GetEventSourceMappingCommand({ UUID: created.UUID }));
    // Assess
    expect(created).toMatchObject({
      FunctionArn: `${FN_ARN}:a1`,
      EventSourceMappingArn: `arn:aws:lambda:${REGION}:${ACCOUNT}:event-source-mapping:${created.UUID}`,
      Topics: ['orders'],
      StartingPosition: 'TRIM_HORIZON',
      BatchSize: 100,
      SelfManagedEventSource: { Endpoints: { KAFKA_BOOTSTRAP_SERVERS: ['127.0.0.1:9092'] } },
      SelfManagedKafkaEventSourceConfig: { ConsumerGroupId: 'group-a1' },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      State: 'Creating',
      StateTransitionReason: 'USER_INITIATED',
      $metadata: { httpStatusCode: 202 },
    });
    expect(created.LastModified).toBeInstanceOf(Date);
    expect(Math.abs((created.LastModified as Date).getTime() - Date.now())).toBeLessThan(60_000);
    expect(got.State).toBe('Enabled');
    expect(got.UUID).toBe(created.UUID);
  });

  it('creates an MSK mapping from the cluster ARN, Disabled when created with Enabled false', async () => {
    // Act
    const created = await lambda.send(
      new CreateEventSourceMappingCommand({
        FunctionName: FN_ARN,
        EventSourceArn: MSK,
        Topics: ['orders'],
        StartingPosition: 'LATEST',
        Enabled: false,
        BatchSize: 10_000,
        AmazonManagedKafkaEventSourceConfig: { ConsumerGroupId: 'connect-orders' },
      }),
    );
    const [listed] = await lambda
      .send(new ListEventSourceMappingsCommand({ EventSourceArn: MSK }))
      .then((r) => r.EventSourceMappings ?? []);
    // Assess
    expect(created).toMatchObject({
      FunctionArn: FN_ARN,
      EventSourceArn: MSK,
      State: 'Creating',
      BatchSize: 10_000,
    });
    expect(created.SelfManagedEventSource).toBeUndefined();
    expect(listed).toMatchObject({
      UUID: created.UUID,
      State: 'Disabled',
      AmazonManagedKafkaEventSourceConfig: { ConsumerGroupId: 'connect-orders' },
    });
  });

  it('updates through Disabling, Enabling and Updating, refusing another change until the mapping settles', async () => {
    // Prepare
    await alias('a1');
    const { UUID } = await mapping('a1');
    const update = (input: { Enabled?: boolean; BatchSize?: number }) =>
      lambda.send(new UpdateEventSourceMappingCommand({ UUID, ...input }));
    const settled = async () => (await lambda.send(new GetEventSourceMappingCommand({ UUID }))).State;
    // Act
    const whileCreating = await rejection(update({ Enabled: false }));
    const states = [await settled()];
    states.push((await update({ Enabled: false })).State as string);
    const whileDisabling = await rejection(lambda.send(new DeleteEventSourceMappingCommand({ UUID })));
    states.push((await settled()) as string);
    states.push((await update({ Enabled: true })).State as string);
    states.push((await settled()) as string);
    const resized = await update({ BatchSize: 7 });
    await settled();
    const groupChange = await rejection(
      lambda.send(
        new UpdateEventSourceMappingCommand({
          UUID,
          SelfManagedKafkaEventSourceConfig: { ConsumerGroupId: 'other' },
        }),
      ),
    );
    // Assess
    expect(whileCreating).toBeInstanceOf(ResourceInUseException);
    expect(whileDisabling).toBeInstanceOf(ResourceInUseException);
    expect(states).toEqual(['Enabled', 'Disabling', 'Disabled', 'Enabling', 'Enabled']);
    expect(resized).toMatchObject({ State: 'Updating', BatchSize: 7 });
    expect(groupChange).toBeInstanceOf(InvalidParameterValueException);
  });

  it('deletes a mapping answering Deleting; it is gone from then on', async () => {
    // Prepare
    await alias('a1');
    const { UUID } = await mapping('a1');
    await list();
    // Act
    const deleted = await lambda.send(new DeleteEventSourceMappingCommand({ UUID }));
    const get = await rejection(lambda.send(new GetEventSourceMappingCommand({ UUID })));
    const again = await rejection(lambda.send(new DeleteEventSourceMappingCommand({ UUID })));
    // Assess
    expect(deleted).toMatchObject({ UUID, State: 'Deleting', $metadata: { httpStatusCode: 202 } });
    expect(get).toBeInstanceOf(ResourceNotFoundException);
    expect(again).toBeInstanceOf(ResourceNotFoundException);
    expect(await list()).toEqual([]);
  });

  it('refuses what Lambda refuses for a Kafka mapping with InvalidParameterValueException', async () => {
    // Prepare
    await alias('a1');
    const bad: [string, Partial<CreateEventSourceMappingCommandInput>][] = [
      ['two topics', { Topics: ['a', 'b'] }],
      ['no starting position', { StartingPosition: undefined }],
      ['a batch of 10001', { BatchSize: 10_001 }],
      ['a batching window of 301 s', { MaximumBatchingWindowInSeconds: 301 }],
      ['a group id with a space', { SelfManagedKafkaEventSourceConfig: { ConsumerGroupId: 'connect-a b' } }],
      ['an SQS queue', { SelfManagedEventSource: undefined, EventSourceArn: 'arn:aws:sqs:eu-west-1:1:q' }],
      ['two sources', { EventSourceArn: MSK }],
      ['an unknown response type', { FunctionResponseTypes: ['Other' as 'ReportBatchItemFailures'] }],
      ['a setting not simulated', { FilterCriteria: { Filters: [{ Pattern: '{}' }] } }],
      ['10001 retries', { MaximumRetryAttempts: 10_001 }],
      ['a record age of 59 s', { MaximumRecordAgeInSeconds: 59 }],
      ['0 minimum pollers', { ProvisionedPollerConfig: { MinimumPollers: 0 } }],
      [
        'fewer maximum than minimum pollers',
        { ProvisionedPollerConfig: { MinimumPollers: 3, MaximumPollers: 2 } },
      ],
      [
        'an SQS destination',
        { DestinationConfig: { OnFailure: { Destination: 'arn:aws:sqs:eu-west-1:1:q' } } },
      ],
      [
        'the source topic as destination',
        { DestinationConfig: { OnFailure: { Destination: 'kafka://orders' } } },
      ],
      ['a missing alias', { FunctionName: 'sink-fn:nope' }],
      ['a missing function', { FunctionName: 'nope' }],
    ];
    // Act
    const refused = await Promise.all(
      bad.map(async ([why, input]) => [why, await rejection(mapping('a1', input))]),
    );
    // Assess
    for (const [why, error] of refused)
      expect(error, why as string).toBeInstanceOf(InvalidParameterValueException);
    const [, missingFunction] = refused[refused.length - 1] as [string, Error];
    expect(missingFunction.message).toBe(
      `Function does not exist: arn:aws:lambda:${REGION}:${ACCOUNT}:function:nope`,
    );
    expect(await list()).toEqual([]);
  });

  it('refuses a second mapping in a consumer group already used, by a live mapping or one still Deleting', async () => {
    // Prepare
    await alias('a1');
    await alias('a2');
    await mapping('a1');
    // Act
    const duplicate = await rejection(mapping('a1'));
    const sameGroupElsewhere = await rejection(
      mapping('a2', {
        Topics: ['other'],
        SelfManagedKafkaEventSourceConfig: { ConsumerGroupId: 'group-a1' },
      }),
    );
    const [held] = await list();
    await lambda.send(new DeleteEventSourceMappingCommand({ UUID: held?.UUID }));
    const whileDeleting = await rejection(mapping('a1'));
    await list();
    const afterDeleted = await mapping('a1');
    // Assess
    expect(duplicate).toBeInstanceOf(ResourceConflictException);
    expect(sameGroupElsewhere).toBeInstanceOf(ResourceConflictException);
    expect(whileDeleting).toBeInstanceOf(ResourceConflictException);
    expect((await list()).map((m) => m.UUID)).toEqual([afterDeleted.UUID]);
  });

  it('pages List with MaxItems and NextMarker, never more than 100 a page, each mapping once', async () => {
    // Prepare: 103 mappings on one alias, 2 on another.
    await alias('many');
    await alias('few');
    for (let i = 0; i < 103; i++) {
      await mapping('many', { SelfManagedKafkaEventSourceConfig: { ConsumerGroupId: `g-${i}` } });
    }
    await mapping('few', { SelfManagedKafkaEventSourceConfig: { ConsumerGroupId: 'f-1' } });
    await mapping('few', { SelfManagedKafkaEventSourceConfig: { ConsumerGroupId: 'f-2' } });
    const pages = async (MaxItems?: number) => {
      const sizes: number[] = [];
      const uuids: string[] = [];
      let Marker: string | undefined;
      do {
        const page = await lambda.send(
          new ListEventSourceMappingsCommand({ FunctionName: 'sink-fn:many', Marker, MaxItems }),
        );
        sizes.push(page.EventSourceMappings?.length ?? 0);
        uuids.push(...(page.EventSourceMappings ?? []).map((m) => m.UUID as string));
        Marker = page.NextMarker;
      } while (Marker);
      return { sizes, unique: new Set(uuids).size };
    };
    // Act
    const byDefault = await pages();
    const byForty = await pages(40);
    const askedTooMany = await pages(10_000);
    // Assess
    expect(byDefault).toEqual({ sizes: [100, 3], unique: 103 });
    expect(byForty).toEqual({ sizes: [40, 40, 23], unique: 103 });
    expect(askedTooMany).toEqual({ sizes: [100, 3], unique: 103 });
    expect(await list()).toHaveLength(100);
  });

  it("lists by a qualified FunctionName only that alias's mappings, by the bare name only unqualified ones", async () => {
    // Prepare
    await alias('a1');
    await alias('a2');
    const one = await mapping('a1');
    const two = await mapping('a2');
    const bare = await lambda.send(
      new CreateEventSourceMappingCommand({
        FunctionName: 'sink-fn',
        EventSourceArn: MSK,
        Topics: ['orders'],
        StartingPosition: 'LATEST',
      }),
    );
    // Act
    const byAlias = await list('sink-fn:a1');
    const byAliasArn = await list(`${FN_ARN}:a2`);
    const byName = await list('sink-fn');
    const byMissingAlias = await list('sink-fn:never');
    // Assess
    expect(byAlias.map((m) => m.UUID)).toEqual([one.UUID]);
    expect(byAliasArn.map((m) => m.UUID)).toEqual([two.UUID]);
    expect(byName.map((m) => m.UUID)).toEqual([bare.UUID]);
    expect(byMissingAlias).toEqual([]);
  });
});

describe('Lambda API: state kept across a restart', () => {
  it('with a state file, brings back aliases and mappings (settled; one being deleted is gone)', async () => {
    // Prepare: the default API of this file has no state file; this one has.
    const stateFile = join(mkdtempSync(join(tmpdir(), 'lambda-state-')), 'state.json');
    const first = await startLambdaApi({ port: 0, region: REGION, accountId: ACCOUNT, stateFile });
    first.registerFunction('sink-fn');
    const client = (url: string) =>
      new LambdaClient({
        endpoint: url,
        region: REGION,
        credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
        maxAttempts: 1,
      });
    const before = client(first.url);
    await before.send(
      new CreateAliasCommand({ FunctionName: 'sink-fn', Name: 'kept', FunctionVersion: '$LATEST' }),
    );
    const input = (group: string) => ({
      FunctionName: 'sink-fn:kept',
      Topics: ['orders'],
      StartingPosition: 'TRIM_HORIZON' as const,
      SelfManagedEventSource: { Endpoints: { KAFKA_BOOTSTRAP_SERVERS: ['127.0.0.1:9092'] } },
      SelfManagedKafkaEventSourceConfig: { ConsumerGroupId: group },
    });
    const kept = await before.send(new CreateEventSourceMappingCommand({ ...input('kept'), Enabled: false }));
    const doomed = await before.send(new CreateEventSourceMappingCommand(input('doomed')));
    await before.send(new GetEventSourceMappingCommand({ UUID: doomed.UUID }));
    await before.send(new DeleteEventSourceMappingCommand({ UUID: doomed.UUID }));
    before.destroy();
    await first.close();
    // Act
    const second = await startLambdaApi({ port: 0, region: REGION, accountId: ACCOUNT, stateFile });
    second.registerFunction('sink-fn');
    const after = client(second.url);
    try {
      const aliasBack = await after.send(new GetAliasCommand({ FunctionName: 'sink-fn', Name: 'kept' }));
      const listed = (await after.send(new ListEventSourceMappingsCommand({}))).EventSourceMappings ?? [];
      // Assess
      expect(aliasBack.Name).toBe('kept');
      expect(listed.map((m) => [m.UUID, m.State])).toEqual([[kept.UUID, 'Disabled']]);
      // The group of the mapping that was deleted is free again; the kept one's is not.
      await after.send(new CreateEventSourceMappingCommand(input('doomed')));
      expect(await rejection(after.send(new CreateEventSourceMappingCommand(input('kept'))))).toBeInstanceOf(
        ResourceConflictException,
      );
    } finally {
      after.destroy();
      await second.close();
    }
  });
});

describe('Lambda API: requests no SDK sends', () => {
  const raw = (path: string, init: RequestInit = {}) => fetch(`${api.url}${path}`, init);

  it('answers bad JSON with 400, an unknown route with 404, a web page with 403, and keeps serving', async () => {
    // Act
    const badJson = await raw('/2015-03-31/event-source-mappings', { method: 'POST', body: '{"Topics":' });
    const array = await raw('/2015-03-31/functions/sink-fn/aliases', { method: 'POST', body: '[]' });
    const unknown = await raw('/2015-03-31/functions/sink-fn/invocations', { method: 'POST', body: '{}' });
    const badSegment = await raw('/2015-03-31/event-source-mappings/%E0%A4%A');
    const fromPage = await raw('/2015-03-31/event-source-mappings', {
      headers: { Origin: 'https://evil.example' },
    });
    const huge = await raw('/2015-03-31/event-source-mappings', {
      method: 'POST',
      body: 'x'.repeat(2 * 1024 * 1024),
    });
    // Assess
    expect([badJson.status, badJson.headers.get('x-amzn-errortype')]).toEqual([
      400,
      'InvalidRequestContentException',
    ]);
    expect(await badJson.json()).toMatchObject({ Type: 'User', message: expect.stringContaining('json') });
    expect(array.status).toBe(400);
    expect([unknown.status, unknown.headers.get('x-amzn-errortype')]).toEqual([
      404,
      'UnknownOperationException',
    ]);
    expect(badSegment.status).toBe(400);
    expect(fromPage.status).toBe(403);
    expect(huge.status).toBe(413);
    expect(await list()).toEqual([]);
  });
});

// Our AWS adapter against the simulated control plane: what is asserted is what Lambda would then hold,
// read back through its own API, not the calls the adapter made.
describe('awsSinkMappings against the Lambda API', () => {
  const selfManaged = () =>
    awsSinkMappings({
      client: lambda,
      functionName: 'sink-fn',
      source: { bootstrapServers: ['127.0.0.1:9092'] },
    });
  const held = (connector: string) => list(`sink-fn:${sinkAlias(connector)}`);
  const aliasOf = (connector: string) =>
    lambda.send(new GetAliasCommand({ FunctionName: 'sink-fn', Name: sinkAlias(connector) }));
  const spec = { topics: ['orders'], groupId: 'connect-orders', enabled: true };

  it("ensure creates the connector's alias of $LATEST and one mapping invoking it; ensure again changes nothing", async () => {
    // Act
    await selfManaged().ensure('orders', spec);
    const first = await held('orders');
    await selfManaged().ensure('orders', spec);
    // Assess
    expect(await aliasOf('orders')).toMatchObject({
      FunctionVersion: '$LATEST',
      Description: 'Serverless Connect sink connector orders',
    });
    expect(first).toHaveLength(1);
    expect(first[0]).toMatchObject({
      FunctionArn: `${FN_ARN}:${sinkAlias('orders')}`,
      Topics: ['orders'],
      SelfManagedKafkaEventSourceConfig: { ConsumerGroupId: 'connect-orders' },
      SelfManagedEventSource: { Endpoints: { KAFKA_BOOTSTRAP_SERVERS: ['127.0.0.1:9092'] } },
      StartingPosition: 'TRIM_HORIZON',
      BatchSize: 10_000,
      MaximumBatchingWindowInSeconds: 0,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      State: 'Enabled',
    });
    expect((await held('orders')).map((m) => m.UUID)).toEqual([first[0]?.UUID]);
  });

  it('a topic change deletes the old mapping and, once it is no longer Deleting, creates one in the same group', async () => {
    // Prepare
    const mappings = selfManaged();
    await mappings.ensure('orders', spec);
    const [before] = await held('orders');
    const changed = { ...spec, topics: ['payments'] };
    // Act: the old mapping still holds the group while Deleting; ensure waits for it to go.
    await mappings.ensure('orders', changed);
    // Assess: see docs/lambda-simulator.md, "Found in our code".
    const replaced = await held('orders');
    expect(replaced).toHaveLength(1);
    expect(replaced[0]?.UUID).not.toBe(before?.UUID);
    expect(replaced[0]).toMatchObject({ Topics: ['payments'], State: 'Enabled' });
    expect(await list()).toHaveLength(1);
  });

  it('ensure resizes a kept mapping when max.poll.records changed', async () => {
    // Prepare
    const mappings = selfManaged();
    await mappings.ensure('orders', spec);
    // Act
    await mappings.ensure('orders', { ...spec, batchSize: 42 });
    // Assess
    expect((await held('orders')).map((m) => m.BatchSize)).toEqual([42]);
  });

  it('reconcile makes missing mappings, deletes orphans and aligns Enabled and BatchSize; in line, it costs two Lists', async () => {
    // Prepare: "orders" lost its mapping, "refunds" drifted, "gone" was deleted but left its mapping and
    // alias, and another function's mapping is none of ours.
    const mappings = selfManaged();
    await mappings.ensure('refunds', { topics: ['refunds'], groupId: 'connect-refunds', enabled: true });
    await mappings.ensure('gone', { topics: ['gone'], groupId: 'connect-gone', enabled: true });
    const [refunds] = await held('refunds');
    await lambda.send(new UpdateEventSourceMappingCommand({ UUID: refunds?.UUID, Enabled: false }));
    api.registerFunction('other-fn');
    await lambda.send(
      new CreateEventSourceMappingCommand({
        FunctionName: 'other-fn',
        Topics: ['other-topic'],
        StartingPosition: 'LATEST',
        SelfManagedEventSource: { Endpoints: { KAFKA_BOOTSTRAP_SERVERS: ['127.0.0.1:9092'] } },
        SelfManagedKafkaEventSourceConfig: { ConsumerGroupId: 'not-ours' },
      }),
    );
    await list();
    const wanted = new Map<string, SinkMappingSpec>([
      ['orders', spec],
      ['refunds', { topics: ['refunds'], groupId: 'connect-refunds', enabled: true, batchSize: 9 }],
    ]);
    // Act
    const report = await mappings.reconcile!(await mappings.snapshot!(), wanted);
    await list();
    const again = await mappings.reconcile!(await mappings.snapshot!(), wanted);
    // Assess
    expect(report).toMatchObject({ created: ['orders'], aliasesDeleted: [sinkAlias('gone')], errors: [] });
    expect(report.deleted).toHaveLength(1);
    expect(report.updated).toEqual([refunds?.UUID]);
    expect(await held('orders')).toMatchObject([{ Topics: ['orders'], State: 'Enabled' }]);
    expect(await held('refunds')).toMatchObject([{ State: 'Enabled', BatchSize: 9 }]);
    expect(await held('gone')).toEqual([]);
    expect(await list('other-fn')).toHaveLength(1);
    expect(again).toMatchObject({ created: [], deleted: [], aliasesDeleted: [], updated: [], errors: [] });
    expect(again.calls).toBe(2);
  });

  it('ensure counts a create the SDK sent twice (its first reply lost) as done', async () => {
    // Prepare: the first CreateEventSourceMapping reaches Lambda twice, as the SDK's retry after a lost
    // reply sends it; the second meets the group the first one took.
    let creates = 0;
    const retrying = {
      send: async (command: CreateEventSourceMappingCommand) => {
        if (command instanceof CreateEventSourceMappingCommand && creates++ === 0) await lambda.send(command);
        return lambda.send(command);
      },
    };
    const mappings = awsSinkMappings({
      client: retrying as unknown as Pick<LambdaClient, 'send'>,
      functionName: 'sink-fn',
      source: { bootstrapServers: ['127.0.0.1:9092'] },
    });
    // Act
    await mappings.ensure('orders', spec);
    // Assess
    expect(creates).toBe(1);
    expect(await held('orders')).toHaveLength(1);
  });

  it('setEnabled disables and enables the mapping it finds, and leaves one already so alone', async () => {
    // Prepare
    const mappings = selfManaged();
    await mappings.ensure('orders', spec);
    const [created] = await held('orders');
    // Act
    await mappings.setEnabled('orders', false);
    const disabled = await held('orders');
    await mappings.setEnabled('orders', false);
    const still = await held('orders');
    await mappings.setEnabled('orders', true);
    const enabled = await held('orders');
    // Assess
    expect(disabled.map((m) => m.State)).toEqual(['Disabled']);
    expect(still[0]?.LastModified).toEqual(disabled[0]?.LastModified);
    expect(enabled.map((m) => [m.UUID, m.State])).toEqual([[created?.UUID, 'Enabled']]);
  });

  it('a group change replaces the mapping; an alias already there counts as done', async () => {
    // Prepare: the alias exists, as after a create interrupted between its two calls.
    await lambda.send(
      new CreateAliasCommand({
        FunctionName: 'sink-fn',
        Name: sinkAlias('orders'),
        FunctionVersion: '$LATEST',
      }),
    );
    const mappings = selfManaged();
    await mappings.ensure('orders', spec);
    const [before] = await held('orders');
    // Act
    await mappings.ensure('orders', { ...spec, groupId: 'custom-group' });
    // Assess
    const after = await held('orders');
    expect(after).toHaveLength(1);
    expect(after[0]?.UUID).not.toBe(before?.UUID);
    expect(after[0]).toMatchObject({
      Topics: ['orders'],
      SelfManagedKafkaEventSourceConfig: { ConsumerGroupId: 'custom-group' },
    });
  });

  it('caps a max.poll.records above 10000 at the BatchSize Lambda accepts (it is an upper bound)', async () => {
    // Act
    await selfManaged().ensure('orders', { ...spec, batchSize: 10_001 });
    // Assess
    expect((await held('orders')).map((m) => m.BatchSize)).toEqual([10_000]);
  });

  it("remove deletes the connector's mapping and alias and nobody else's; remove again is a no-op", async () => {
    // Prepare
    const mappings = selfManaged();
    await mappings.ensure('orders', spec);
    await mappings.ensure('refunds', { topics: ['refunds'], groupId: 'connect-refunds', enabled: false });
    // Act
    await mappings.remove('orders');
    await mappings.remove('orders');
    const aliasGone = await rejection(aliasOf('orders'));
    // Assess
    expect(await held('orders')).toEqual([]);
    expect(aliasGone).toBeInstanceOf(ResourceNotFoundException);
    expect((await held('refunds')).map((m) => m.State)).toEqual(['Disabled']);
    expect((await aliasOf('refunds')).Name).toBe(sinkAlias('refunds'));
  });

  it('maps an MSK cluster by ARN, and keeps neither mapping nor alias for a sink that became multi-topic', async () => {
    // Prepare
    const mappings = awsSinkMappings({
      client: lambda,
      functionName: FN_ARN,
      source: { mskClusterArn: MSK },
    });
    // Act
    await mappings.ensure('orders', { ...spec, enabled: false });
    const msk = await held('orders');
    await mappings.ensure('orders', { ...spec, topics: ['orders', 'payments'] });
    // Assess
    expect(msk).toMatchObject([
      {
        EventSourceArn: MSK,
        AmazonManagedKafkaEventSourceConfig: { ConsumerGroupId: 'connect-orders' },
        State: 'Disabled',
      },
    ]);
    expect(await list()).toEqual([]);
    expect(await rejection(aliasOf('orders'))).toBeInstanceOf(ResourceNotFoundException);
  });
});
