import { Duration } from 'aws-cdk-lib';
import {
  Alarm,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  type IMetric,
  MathExpression,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { METRICS } from '../lib/config/metric-names.js';

export interface ObservabilityProps {
  /** The dispatcher function (errors alarm). Required. */
  readonly dispatcher: IFunction;
  /** Functions whose throttles raise an alarm (task runner, sink). Required. */
  readonly workers: IFunction[];
  /** Every function on the dashboard's Lambda row. @default dispatcher + workers */
  readonly functions?: IFunction[];
  /** SNS topic ARN that alarms notify. @default none (alarms only change state) */
  readonly alarmTopicArn?: string;
  /** Alarm when the sink lag (records) of any connector stays above this for 15 minutes. @default none (no lag alarm) */
  readonly lagThreshold?: number;
  /**
   * Alarm when a source's backlog (SourceBacklogBytes: WAL a CDC connector's replication slot keeps on the
   * database) stays above this many bytes for 15 minutes. @default 1 GiB
   */
  readonly backlogBytesThreshold?: number;
  /** @default 'ServerlessConnect' */
  readonly dashboardName?: string;
}

// Powertools Metrics adds its `service` dimension to every EMF document.
const SERVICE_DIMENSION = 'service';
const { namespace, dimensions } = METRICS;
const batchSchema = `{${namespace},${SERVICE_DIMENSION},${dimensions.connector},${dimensions.kind}}`;
const connectorSchema = `{${namespace},${SERVICE_DIMENSION},${dimensions.connector}}`;

/** One line per connector (whatever connectors exist), through a SEARCH over the EMF metrics. */
function perConnector(metric: string, stat: string, schema = batchSchema): IMetric {
  return new MathExpression({
    expression: `SEARCH('${schema} MetricName="${metric}"', '${stat}', 60)`,
    label: '',
    period: Duration.minutes(1),
  });
}

/** Lambda's own OffsetLag of the event source mappings that invoke `fn` (or its aliases). */
function mappingLag(fn: IFunction): IMetric {
  return new MathExpression({
    expression: `SEARCH('AWS/Lambda MetricName="OffsetLag" "${fn.functionName}"', 'Maximum', 60)`,
    label: '',
    period: Duration.minutes(1),
  });
}

/** The sum of a metric over every connector and dimension set: a Metrics Insights query, which alarms accept. */
function total(metric: string, period = Duration.minutes(1)): IMetric {
  return new MathExpression({
    expression: `SELECT SUM(${metric}) FROM "${namespace}"`,
    label: metric,
    period,
  });
}

/**
 * The CloudWatch dashboard (records, DLQ, batch duration and bytes, failures, lag per connector; Lambda
 * errors, throttles and duration) and alarms: task FAILED, DLQ records, dispatcher errors, throttles,
 * optionally sink lag; all may notify an SNS topic.
 */
export class Observability extends Construct {
  readonly dashboard: Dashboard;
  readonly alarms: Alarm[] = [];

  constructor(scope: Construct, id: string, props: ObservabilityProps) {
    super(scope, id);
    const topic = props.alarmTopicArn
      ? Topic.fromTopicArn(this, 'AlarmTopic', props.alarmTopicArn)
      : undefined;
    const functions = props.functions ?? [props.dispatcher, ...props.workers];
    this.dashboard = new Dashboard(this, 'Dashboard', {
      dashboardName: props.dashboardName ?? 'ServerlessConnect',
    });
    const graph = (title: string, left: IMetric[]) => new GraphWidget({ title, left, width: 8 });
    this.dashboard.addWidgets(
      graph('Records read per connector', [perConnector(METRICS.recordsRead, 'Sum')]),
      graph('Records written per connector', [perConnector(METRICS.recordsWritten, 'Sum')]),
      graph('DLQ records per connector', [perConnector(METRICS.dlqRecords, 'Sum')]),
    );
    this.dashboard.addWidgets(
      graph('Batch duration p99 (ms)', [perConnector(METRICS.batchDuration, 'p99')]),
      graph('Batch bytes', [perConnector(METRICS.batchBytes, 'Sum')]),
      graph('Source backlog (bytes of WAL a slot retains)', [
        perConnector(METRICS.sourceBacklogBytes, 'Maximum'),
      ]),
      graph('Task failures and sink lag', [
        perConnector(METRICS.taskFailures, 'Sum', connectorSchema),
        perConnector(METRICS.sinkLag, 'Maximum'),
        // Sinks fed by an event source mapping: Lambda publishes their lag itself, as OffsetLag.
        ...props.workers.map((fn) => mappingLag(fn)),
      ]),
    );
    this.dashboard.addWidgets(
      graph(
        'Lambda errors',
        functions.map((f) => f.metricErrors({ label: f.node.path })),
      ),
      graph(
        'Lambda throttles',
        functions.map((f) => f.metricThrottles({ label: f.node.path })),
      ),
      graph(
        'Lambda duration p99',
        functions.map((f) => f.metricDuration({ statistic: 'p99', label: f.node.path })),
      ),
    );

    const alarm = (name: string, metric: IMetric, description: string, threshold = 0, periods = 1) => {
      const a = new Alarm(this, name, {
        metric,
        threshold,
        evaluationPeriods: periods,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
        alarmDescription: description,
      });
      if (topic) a.addAlarmAction(new SnsAction(topic));
      this.alarms.push(a);
    };
    alarm(
      'TaskFailed',
      total(METRICS.taskFailures),
      'A connector task failed (status FAILED): see its status and trace',
    );
    alarm('DlqRecords', total(METRICS.dlqRecords), 'Records went to a dead letter queue topic');
    alarm(
      'DispatcherErrors',
      props.dispatcher.metricErrors({ period: Duration.minutes(5) }),
      'The dispatcher failed: no task runs are being started',
    );
    for (const [i, fn] of props.workers.entries())
      alarm(
        `Throttles${i}`,
        fn.metricThrottles({ period: Duration.minutes(5) }),
        `${fn.node.path} is throttled: raise its reserved concurrency or the account limit`,
      );
    const backlog = new MathExpression({
      expression: `SELECT MAX(${METRICS.sourceBacklogBytes}) FROM "${namespace}"`,
      label: METRICS.sourceBacklogBytes,
      period: Duration.minutes(5),
    });
    alarm(
      'SourceBacklog',
      backlog,
      'A CDC source keeps a growing WAL backlog on its database: check the task runs and its slot advances',
      props.backlogBytesThreshold ?? 1024 ** 3,
      3,
    );
    if (props.lagThreshold !== undefined) {
      const lag = new MathExpression({
        expression: `SELECT MAX(${METRICS.sinkLag}) FROM "${namespace}"`,
        label: METRICS.sinkLag,
        period: Duration.minutes(5),
      });
      alarm('SinkLag', lag, 'A sink connector is falling behind', props.lagThreshold, 3);
    }
  }
}
