import { Arn, ArnFormat, Fn, Stack } from 'aws-cdk-lib';
import {
  type ISecurityGroup,
  type IVpc,
  SecurityGroup,
  Subnet,
  type SubnetSelection,
  Vpc,
} from 'aws-cdk-lib/aws-ec2';
import { Grant, type IGrantable, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { type ISecret, Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { AwsCustomResource, AwsCustomResourcePolicy, PhysicalResourceId } from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { CONTROL_ENV, ENV } from '../lib/env.js';
import { acknowledgeNag, nagResource } from './nag.js';

/** How functions and event source mappings authenticate to Kafka (the runtime's `KAFKA_AUTH` values). */
export type KafkaAuth = 'none' | 'scram-sha-512' | 'scram-sha-256' | 'mtls' | 'msk-iam';

export interface KafkaConnectivityProps {
  /** `host:port` bootstrap brokers. @default looked up from `mskClusterArn` at deploy time */
  readonly bootstrapServers?: string[];
  /** Amazon MSK cluster ARN; sink mappings use it as their event source. @default none (self-managed Kafka) */
  readonly mskClusterArn?: string;
  /** @default 'none' */
  readonly auth?: KafkaAuth;
  /** Secret ARN: SCRAM `{"username","password"}` or mTLS `{"certificate","privateKey"}`. @default none (required for scram/mtls) */
  readonly secretArn?: string;
  /** TLS without client authentication (with `auth: 'none'`). @default false (every other auth uses TLS) */
  readonly tls?: boolean;
  /** Id of the VPC the brokers are reachable in; Kafka-speaking functions run in it. @default none (public brokers) */
  readonly vpcId?: string;
  /** Private subnets (with a NAT gateway or VPC endpoints) for the functions. @default none (required with vpcId) */
  readonly subnetIds?: string[];
  /** @default one new security group with all outbound traffic allowed */
  readonly securityGroupIds?: string[];
  /**
   * MSK IAM: prefixes of the consumer groups the functions may join, describe and alter (`<prefix>*`).
   * Sinks use `connect-<name>` or a `consumer.override.group.id` the runtime accepts only under the
   * worker property `consumer.group.id.allowed.prefixes`; pass `WorkerSettings.groupIdPrefixes`.
   * @default ['connect-']
   */
  readonly groupIdPrefixes?: string[];
  /**
   * MSK IAM: prefixes of the topics the functions may describe, create, read and write (`<prefix>*`).
   * Connectors read and write whatever topics their configs name, DLQ topics included, so which topics
   * exist for them is the Kafka administrator's boundary; this narrows it when the cluster is shared.
   * @default ['*'] (every topic of the cluster)
   */
  readonly topicPrefixes?: string[];
}

// MSK IAM data-plane actions (`kafka-cluster:*`), per role and per the resource type each applies to.
// No CDK grant exists for them.
interface ClusterActions {
  cluster: string[];
  topic: string[];
  group: string[];
}
const ADMIN_ACTIONS: ClusterActions = {
  cluster: ['Connect', 'DescribeCluster'],
  topic: ['DescribeTopic', 'CreateTopic'],
  group: ['DescribeGroup', 'AlterGroup', 'DeleteGroup'],
};
const WORKER_ACTIONS: ClusterActions = {
  cluster: ['Connect', 'DescribeCluster', 'WriteDataIdempotently'],
  topic: ['DescribeTopic', 'CreateTopic', 'ReadData', 'WriteData'],
  group: ['DescribeGroup', 'AlterGroup'],
};
// What Lambda's event source mapping itself needs in the sink function's role (Lambda MSK permissions page).
const ESM_ACTIONS: ClusterActions = {
  cluster: ['Connect', 'DescribeClusterDynamicConfiguration'],
  topic: ['DescribeTopic', 'ReadData'],
  group: ['DescribeGroup', 'AlterGroup'],
};

/**
 * Where Kafka is and how to reach it: brokers or an MSK cluster, network placement and authentication.
 * It hands the runtime its settings as environment variables named by `lib/env.ts`, and grants each
 * role the secret and MSK IAM permissions it needs, scoped to that secret and cluster.
 */
export class KafkaConnectivity extends Construct {
  readonly auth: KafkaAuth;
  readonly secret?: ISecret;
  readonly mskClusterArn?: string;
  readonly vpc?: IVpc;
  readonly subnets?: SubnetSelection;
  readonly securityGroups?: ISecurityGroup[];
  private readonly brokers: string;
  private readonly tls: boolean;
  private readonly groupIdPrefixes: string[];
  private readonly topicPrefixes: string[];

  constructor(scope: Construct, id: string, props: KafkaConnectivityProps) {
    super(scope, id);
    this.auth = props.auth ?? 'none';
    this.tls = props.tls ?? false;
    this.mskClusterArn = props.mskClusterArn;
    this.groupIdPrefixes = props.groupIdPrefixes?.length ? props.groupIdPrefixes : ['connect-'];
    this.topicPrefixes = props.topicPrefixes?.length ? props.topicPrefixes : ['*'];
    if (!props.bootstrapServers?.length && !props.mskClusterArn)
      throw new Error('KafkaConnectivity needs bootstrapServers or mskClusterArn');
    if ((this.auth.startsWith('scram') || this.auth === 'mtls') && !props.secretArn)
      throw new Error(`KafkaConnectivity auth '${this.auth}' needs secretArn`);
    if (this.auth === 'msk-iam' && !props.mskClusterArn)
      throw new Error("KafkaConnectivity auth 'msk-iam' needs mskClusterArn (permissions are scoped to it)");
    if (props.secretArn) this.secret = Secret.fromSecretCompleteArn(this, 'Secret', props.secretArn);
    if (props.vpcId) {
      if (!props.subnetIds?.length) throw new Error('KafkaConnectivity vpcId needs subnetIds');
      // Referenced by id, not looked up, so synthesis needs no AWS credentials.
      const subnets = props.subnetIds.map((id) => Subnet.fromSubnetId(this, `Subnet-${id}`, id));
      const vpc = Vpc.fromVpcAttributes(this, 'Vpc', {
        vpcId: props.vpcId,
        availabilityZones: Stack.of(this).availabilityZones,
        privateSubnetIds: props.subnetIds,
      });
      this.vpc = vpc;
      this.subnets = { subnets };
      this.securityGroups = props.securityGroupIds?.map((id) =>
        SecurityGroup.fromSecurityGroupId(this, `Group-${id}`, id),
      ) ?? [
        new SecurityGroup(this, 'Clients', {
          vpc,
          description: 'Serverless Connect functions and event source mappings to Kafka brokers',
          allowAllOutbound: true,
        }),
      ];
    }
    this.brokers = props.bootstrapServers?.length
      ? props.bootstrapServers.join(',')
      : this.lookUpBrokers(props.mskClusterArn ?? '');
  }

  /** KAFKA_* for every function that speaks Kafka. */
  get environment(): Record<string, string> {
    return {
      [ENV.kafkaBrokers]: this.brokers,
      [ENV.kafkaAuth]: this.auth,
      ...(this.secret ? { [ENV.kafkaSecretArn]: this.secret.secretArn } : {}),
      [ENV.kafkaTls]: String(this.auth !== 'none' || this.tls),
    };
  }

  /** What the control plane needs to create sink mappings: the MSK ARN, or the VPC of self-managed Kafka. */
  get controlEnvironment(): Record<string, string> {
    if (this.mskClusterArn) return { [CONTROL_ENV.mskClusterArn]: this.mskClusterArn };
    if (!this.vpc) return {};
    return {
      [CONTROL_ENV.esmSubnets]: Fn.join(',', this.vpc.selectSubnets(this.subnets).subnetIds),
      [CONTROL_ENV.esmSecurityGroups]: Fn.join(
        ',',
        (this.securityGroups ?? []).map((g) => g.securityGroupId),
      ),
    };
  }

  /** The control plane: the secret, and MSK IAM admin actions (topics, groups) on this cluster. */
  grantAdmin(grantee: IGrantable): void {
    this.secret?.grantRead(grantee);
    this.grantCluster(grantee, ADMIN_ACTIONS);
  }

  /** Task runners and the sink function: the secret, and MSK IAM produce/consume on this cluster. */
  grantWorker(grantee: IGrantable): void {
    this.secret?.grantRead(grantee);
    this.grantCluster(grantee, WORKER_ACTIONS);
  }

  /**
   * The sink function's execution role, which Lambda's event source mapping uses to reach Kafka: the
   * secret, the MSK cluster, and the network interfaces it places in the VPC.
   */
  grantEventSourceMapping(grantee: IGrantable): void {
    this.secret?.grantRead(grantee);
    if (this.mskClusterArn) {
      // No CDK grant exists for MSK control-plane reads; scoped to the one cluster.
      grantee.grantPrincipal.addToPrincipalPolicy(
        new PolicyStatement({
          actions: ['kafka:DescribeClusterV2', 'kafka:DescribeCluster', 'kafka:GetBootstrapBrokers'],
          resources: [this.mskClusterArn],
        }),
      );
      this.grantCluster(grantee, ESM_ACTIONS);
    }
    if (this.mskClusterArn || this.vpc) {
      // The mapping's pollers attach ENIs in the cluster's subnets. ec2:Describe* has no resource-level
      // permissions, and the ENIs do not exist before Lambda creates them, so the resource is '*'.
      grantee.grantPrincipal.addToPrincipalPolicy(
        new PolicyStatement({
          actions: [
            'ec2:CreateNetworkInterface',
            'ec2:DescribeNetworkInterfaces',
            'ec2:DeleteNetworkInterface',
            'ec2:DescribeVpcs',
            'ec2:DescribeSubnets',
            'ec2:DescribeSecurityGroups',
          ],
          resources: ['*'],
        }),
      );
      acknowledgeOn(
        grantee,
        'IAM5[Resource::*]',
        'Event source mapping ENIs: ec2:Describe* has no resource-level permissions and the ENIs do not exist before Lambda creates them (Lambda MSK/Kafka permissions page)',
      );
    }
  }

  /**
   * MSK IAM actions on the cluster, on the topics under `topicPrefixes` and on the groups under
   * `groupIdPrefixes` only: each action on the resource type it applies to.
   */
  private grantCluster(grantee: IGrantable, actions: ClusterActions): void {
    if (this.auth !== 'msk-iam' || !this.mskClusterArn) return;
    const stack = Stack.of(this);
    const cluster = Arn.split(this.mskClusterArn, ArnFormat.SLASH_RESOURCE_NAME);
    const under = (resource: 'topic' | 'group', prefixes: string[]) =>
      prefixes.map((p) =>
        stack.formatArn({
          service: 'kafka',
          resource,
          resourceName: `${cluster.resourceName}/${p.endsWith('*') ? p : `${p}*`}`,
          region: cluster.region,
          account: cluster.account,
          arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
        }),
      );
    const topics = under('topic', this.topicPrefixes);
    const groups = under('group', this.groupIdPrefixes);
    const grant = (names: string[], resourceArns: string[]) =>
      Grant.addToPrincipal({ grantee, actions: names.map((a) => `kafka-cluster:${a}`), resourceArns });
    grant(actions.cluster, [this.mskClusterArn]);
    grant(actions.topic, topics);
    grant(actions.group, groups);
    for (const arn of topics)
      acknowledgeOn(
        grantee,
        `IAM5[Resource::${nagResource(stack, arn)}]`,
        "Connectors name their topics at runtime (topics, topic, DLQ); the wildcard covers only this MSK cluster's topics under the topicPrefixes the deployment chose",
      );
    for (const arn of groups)
      acknowledgeOn(
        grantee,
        `IAM5[Resource::${nagResource(stack, arn)}]`,
        'Sink consumer groups are connect-<connector name> or an override the runtime accepts only under consumer.group.id.allowed.prefixes; the wildcard covers those prefixes of this MSK cluster only',
      );
  }

  /** Bootstrap brokers of the MSK cluster, read at deploy time, for the listener `auth` uses. */
  private lookUpBrokers(clusterArn: string): string {
    const field = {
      none: this.tls ? 'BootstrapBrokerStringTls' : 'BootstrapBrokerString',
      'scram-sha-512': 'BootstrapBrokerStringSaslScram',
      'scram-sha-256': 'BootstrapBrokerStringSaslScram',
      mtls: 'BootstrapBrokerStringTls',
      'msk-iam': 'BootstrapBrokerStringSaslIam',
    }[this.auth];
    const call = {
      service: 'Kafka',
      action: 'getBootstrapBrokers',
      parameters: { ClusterArn: clusterArn },
      physicalResourceId: PhysicalResourceId.of(`${clusterArn}#${field}`),
      outputPaths: [field],
    };
    const lookup = new AwsCustomResource(this, 'Brokers', {
      onCreate: call,
      onUpdate: call,
      policy: AwsCustomResourcePolicy.fromSdkCalls({ resources: [clusterArn] }),
      installLatestAwsSdk: false,
    });
    const provider = Stack.of(this).node.tryFindChild(
      `AWS${AwsCustomResource.PROVIDER_FUNCTION_UUID.replace(/-/g, '')}`,
    );
    if (provider)
      acknowledgeNag(
        provider,
        'IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        "CDK's AwsCustomResource provider (one kafka:GetBootstrapBrokers call at deploy time) brings its own role",
      );
    return lookup.getResponseField(field);
  }
}

/** Acknowledges a finding on the role behind a grantee (a construct, for every function here). */
function acknowledgeOn(grantee: IGrantable, rule: string, reason: string): void {
  if (Construct.isConstruct(grantee.grantPrincipal)) acknowledgeNag(grantee.grantPrincipal, rule, reason);
}
