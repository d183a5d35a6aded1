import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import type { IGrantable } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { ENV } from '../lib/env.js';
import { TABLES, type TableKind } from '../lib/store/tables.js';

export interface StateTablesProps {
  /** What happens to the tables (and the connectors' state) when the stack is deleted. @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
  /** DynamoDB deletion protection. @default true */
  readonly deletionProtection?: boolean;
  /** Point-in-time recovery. @default true */
  readonly pointInTimeRecovery?: boolean;
  /** Encryption at rest: AWS owned key, AWS managed key or a customer managed key. @default TableEncryption.AWS_MANAGED */
  readonly encryption?: TableEncryption;
}

/**
 * The three state tables of docs/architecture.md (State in DynamoDB) (configs, status + leases, offsets), keyed exactly as
 * `lib/store/tables.ts` says: on-demand, point-in-time recovery, encrypted at rest.
 */
export class StateTables extends Construct {
  readonly configs: Table;
  readonly status: Table;
  readonly offsets: Table;

  constructor(scope: Construct, id: string, props: StateTablesProps = {}) {
    super(scope, id);
    const table = (kind: TableKind, name: string) => {
      const { partitionKey, sortKey } = TABLES[kind];
      return new Table(this, name, {
        partitionKey: { name: partitionKey, type: AttributeType.STRING },
        sortKey: sortKey ? { name: sortKey, type: AttributeType.STRING } : undefined,
        billingMode: BillingMode.PAY_PER_REQUEST,
        pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: props.pointInTimeRecovery ?? true },
        encryption: props.encryption ?? TableEncryption.AWS_MANAGED,
        deletionProtection: props.deletionProtection ?? true,
        removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
      });
    };
    this.configs = table('configs', 'Configs');
    this.status = table('status', 'Status');
    this.offsets = table('offsets', 'Offsets');
  }

  /** The table names under the names the runtime reads (`tableNamesFromEnv`). */
  get environment(): Record<string, string> {
    return {
      [ENV.configsTable]: this.configs.tableName,
      [ENV.statusTable]: this.status.tableName,
      [ENV.offsetsTable]: this.offsets.tableName,
    };
  }

  /** Read and write on all three tables: the control plane, task runners and the sink function. */
  grantReadWriteData(grantee: IGrantable): void {
    for (const t of [this.configs, this.status, this.offsets]) t.grantReadWriteData(grantee);
  }

  /**
   * The sink function (event source mappings): it reads configs (which connector owns a batch), writes
   * task status, and reads offsets only. It never writes configs — a task-0 connector may ask for new task
   * configs, but only the task runner stores them — nor offsets: a mapping-fed sink's offsets live in
   * its consumer group.
   */
  grantSink(grantee: IGrantable): void {
    this.configs.grantReadData(grantee);
    this.status.grantReadWriteData(grantee);
    this.offsets.grantReadData(grantee);
  }

  /** The dispatcher lists configs and writes task status; it never touches offsets. */
  grantDispatch(grantee: IGrantable): void {
    this.configs.grantReadData(grantee);
    this.status.grantReadWriteData(grantee);
  }
}
