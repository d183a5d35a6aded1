/**
 * EventBridge scheduled rules → Lambda: at each rule's rate, an `Event` (asynchronous) invocation of the
 * target with the scheduled event, as EventBridge sends it (AWS:
 * https://docs.aws.amazon.com/lambda/latest/dg/services-cloudwatchevents.html). Delivery goes through the
 * simulated Lambda API's Invoke, so the async queue's retries, event age and duplicate fault apply to it
 * as they would on AWS. See docs/lambda-simulator.md, "EventBridge schedules".
 */
import { randomUUID } from 'node:crypto';
import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { generatedName, type SimulatedFunction, type SimulatedSchedule } from './template.js';

export interface ScheduleOptions {
  /** A client of the simulated Lambda API (maxAttempts 1: delivery retries are EventBridge's, below). */
  lambda: LambdaClient;
  region: string;
  accountId: string;
  /** Names the rules in the events' `resources` as CloudFormation would (`generatedName`). */
  stackName: string;
  /** Every rule's rate in ms instead of the template's (tests, and local mode's quicker ticks). */
  rateMs?: number;
  /** Each delivery, for a person watching and for tests. */
  onDelivery?: (delivery: ScheduleDelivery) => void;
}

export interface ScheduleDelivery {
  rule: string;
  functionName: string;
  at: number;
  /** `delivered` (Lambda accepted the event, 202) or `failed` after EventBridge's retries. */
  outcome: 'delivered' | 'failed';
  attempts: number;
  detail?: string;
}

export interface Schedules {
  /** The rules being run, with their effective rate. */
  rules(): { rule: string; functionName: string; rateMs: number }[];
  /** Delivers every rule's event now, once (a person's "tick now", and tests). */
  fireAll(): Promise<void>;
  stop(): Promise<void>;
}

/** EventBridge retries a failed delivery with backoff; shortened here to stay inside one tick. */
const DELIVERY_BACKOFF_MS = [100, 400, 1_600] as const;

/** Starts a timer per enabled `rate(…)` rule targeting one of `functions`; `cron(…)` rules are skipped. */
export function startSchedules(functions: SimulatedFunction[], options: ScheduleOptions): Schedules {
  const rules = functions.flatMap((fn) =>
    fn.schedules
      .filter((s) => s.enabled && (options.rateMs ?? s.rateMs) !== undefined)
      .map((s) => ({ fn, schedule: s, rateMs: (options.rateMs ?? s.rateMs) as number })),
  );
  const inFlight = new Set<Promise<void>>();
  let stopped = false;

  const deliver = (fn: SimulatedFunction, schedule: SimulatedSchedule): Promise<void> => {
    const run = deliverOnce(fn, schedule, options).finally(() => inFlight.delete(run));
    inFlight.add(run);
    return run;
  };
  // A rule fires at its rate whether or not the previous delivery finished, as EventBridge does.
  const timers = rules.map(({ fn, schedule, rateMs }) =>
    setInterval(() => {
      if (!stopped) void deliver(fn, schedule);
    }, rateMs),
  );
  return {
    rules: () =>
      rules.map(({ fn, schedule, rateMs }) => ({
        rule: schedule.ruleLogicalId,
        functionName: fn.name,
        rateMs,
      })),
    async fireAll() {
      await Promise.all(rules.map(({ fn, schedule }) => deliver(fn, schedule)));
    },
    async stop() {
      stopped = true;
      for (const t of timers) clearInterval(t);
      await Promise.allSettled([...inFlight]);
    },
  };
}

async function deliverOnce(
  fn: SimulatedFunction,
  schedule: SimulatedSchedule,
  options: ScheduleOptions,
): Promise<void> {
  const payload = schedule.input ?? JSON.stringify(scheduledEvent(schedule, options));
  let attempts = 0;
  let detail: string | undefined;
  for (const backoff of [0, ...DELIVERY_BACKOFF_MS]) {
    if (backoff > 0) await new Promise((r) => setTimeout(r, backoff));
    attempts++;
    try {
      await options.lambda.send(
        new InvokeCommand({
          FunctionName: fn.name,
          Qualifier: schedule.qualifier,
          InvocationType: 'Event',
          Payload: Buffer.from(payload),
        }),
      );
      options.onDelivery?.({
        rule: schedule.ruleLogicalId,
        functionName: fn.name,
        at: Date.now(),
        outcome: 'delivered',
        attempts,
      });
      return;
    } catch (error) {
      detail = (error as Error).name;
    }
  }
  options.onDelivery?.({
    rule: schedule.ruleLogicalId,
    functionName: fn.name,
    at: Date.now(),
    outcome: 'failed',
    attempts,
    detail,
  });
}

/** The event a scheduled rule sends (services-cloudwatchevents.html): `time` is the minute's UTC time. */
export function scheduledEvent(
  schedule: SimulatedSchedule,
  scope: { region: string; accountId: string; stackName: string },
  now = new Date(),
): Record<string, unknown> {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: scope.accountId,
    time: now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region: scope.region,
    resources: [
      `arn:aws:events:${scope.region}:${scope.accountId}:rule/${generatedName(scope.stackName, schedule.ruleLogicalId)}`,
    ],
    detail: {},
  };
}
