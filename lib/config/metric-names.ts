/**
 * CloudWatch metric names and dimensions the runtime emits (EMF), shared with the CDK dashboard and
 * alarms so a name is written once.
 */
export const METRICS = {
  namespace: 'ServerlessConnect',
  dimensions: { connector: 'Connector', kind: 'Kind' },
  recordsRead: 'RecordsRead',
  recordsWritten: 'RecordsWritten',
  recordsSkipped: 'RecordsSkipped',
  dlqRecords: 'DlqRecords',
  batchBytes: 'BatchBytes',
  batchDuration: 'BatchDuration',
  taskFailures: 'TaskFailures',
  sinkLag: 'SinkLag',
  sourceBacklogBytes: 'SourceBacklogBytes',
  dispatchedTasks: 'DispatchedTasks',
  dispatcherRequests: 'DispatcherDynamoRequests',
} as const;
