import { describe, expect, it } from 'vitest';
import { scheduledEvent } from '../../../local/aws/schedules.js';

// The scheduled event AWS documents for an EventBridge rule invoking Lambda:
// https://docs.aws.amazon.com/lambda/latest/dg/services-cloudwatchevents.html
const AWS_EXAMPLE = {
  version: '0',
  account: '123456789012',
  region: 'us-east-2',
  detail: {},
  'detail-type': 'Scheduled Event',
  source: 'aws.events',
  time: '2019-03-01T01:23:45Z',
  id: 'cdc73f9d-aea9-11e3-9d5a-835b769c0d9c',
  resources: ['arn:aws:events:us-east-2:123456789012:rule/my-schedule'],
};

const typesOf = (o: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(o).map(([k, v]) => [k, Array.isArray(v) ? 'array' : typeof v]));

describe('the simulated EventBridge scheduled event', () => {
  it("has AWS's documented keys and value types, and the same values for the same rule and minute", () => {
    const ours = scheduledEvent(
      { ruleLogicalId: 'DispatcherScheduleE8CA16D8', expression: 'rate(1 minute)', enabled: true },
      { region: 'us-east-2', accountId: '123456789012', stackName: 'ServerlessConnect' },
      new Date('2019-03-01T01:23:45.678Z'),
    );
    expect(typesOf(ours)).toEqual(typesOf(AWS_EXAMPLE));
    expect({ ...ours, id: AWS_EXAMPLE.id, resources: AWS_EXAMPLE.resources }).toEqual(AWS_EXAMPLE);
    expect(ours.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    // The rule's name as CloudFormation would generate it: <stack>-<logical id>-<suffix>.
    expect(ours.resources).toEqual([
      expect.stringMatching(
        /^arn:aws:events:us-east-2:123456789012:rule\/ServerlessConnect-DispatcherScheduleE8CA16D8-[0-9A-Z]+$/,
      ),
    ]);
  });
});
