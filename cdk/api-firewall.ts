import { ArnFormat, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type { Stage } from 'aws-cdk-lib/aws-apigateway';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { CfnLoggingConfiguration, CfnWebACL, CfnWebACLAssociation } from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';

/** The largest body WAF can inspect for API Gateway (64 KiB), and our default limit. */
export const REQUEST_SIZE_LIMIT = 65_536;

/** Requests one IP address may send per rate window before WAF blocks it, by default. */
export const RATE_LIMIT = 300;

/** Headers that carry credentials: HTTP Basic's password, or SigV4's session token. */
export const CREDENTIAL_HEADERS = ['authorization', 'x-amz-security-token'] as const;

export interface ApiFirewallProps {
  /** The API Gateway stage to protect. Required. */
  readonly stage: Stage;
  /** Bodies larger than this are refused with 403; at most 65536; 0 drops the rule. @default 65536 */
  readonly maxBodyBytes?: number;
  /**
   * Requests one IP address may send per `rateWindowSeconds` before WAF answers 403 until its rate
   * falls again (WAF allows 10 and up). It runs before API Gateway's authorizers, so it also bounds
   * password guessing against HTTP Basic and the authorizer invocations they cost.
   * @default 300
   */
  readonly rateLimit?: number;
  /** The window WAF counts `rateLimit` in: 60, 120, 300 or 600 seconds. @default 300 */
  readonly rateWindowSeconds?: 60 | 120 | 300 | 600;
  /**
   * Log the requests WAF blocks to a CloudWatch log group (`aws-waf-logs-…`), with the credential
   * headers redacted.
   * @default false
   */
  readonly logBlockedRequests?: boolean;
  /** @default RetentionDays.ONE_MONTH */
  readonly logRetention?: RetentionDays;
}

/**
 * A regional AWS WAF web ACL in front of the API stage: a per-IP rate limit, and a request body size
 * limit (API Gateway itself only stops at 10 MB and Lambda at 6 MB; connector configs are a few KiB, so
 * anything near the limit is a mistake or abuse; bodies beyond what WAF inspects count as oversize).
 *
 * No rule samples requests: WAF's sampled requests show every header, the `Authorization` header of
 * HTTP Basic included, and cannot be redacted. The optional log redacts the credential headers.
 */
export class ApiFirewall extends Construct {
  readonly webAcl: CfnWebACL;
  readonly logGroup?: LogGroup;

  constructor(scope: Construct, id: string, props: ApiFirewallProps) {
    super(scope, id);
    const max = Math.min(props.maxBodyBytes ?? REQUEST_SIZE_LIMIT, REQUEST_SIZE_LIMIT);
    const limit = props.rateLimit ?? RATE_LIMIT;
    if (!Number.isInteger(limit) || limit < 10 || limit > 2_000_000_000)
      throw new Error(`ApiFirewall rateLimit must be a whole number from 10 to 2,000,000,000; got ${limit}`);
    const visibility = (name: string): CfnWebACL.VisibilityConfigProperty => ({
      cloudWatchMetricsEnabled: true,
      metricName: name,
      sampledRequestsEnabled: false,
    });
    const rules: CfnWebACL.RuleProperty[] = [
      {
        name: 'RateLimit',
        priority: 0,
        action: { block: {} },
        visibilityConfig: visibility('ServerlessConnectRateLimit'),
        statement: {
          rateBasedStatement: {
            aggregateKeyType: 'IP',
            limit,
            evaluationWindowSec: props.rateWindowSeconds ?? 300,
          },
        },
      },
    ];
    if (max > 0)
      rules.push({
        name: 'BodyTooLarge',
        priority: 1,
        action: { block: {} },
        visibilityConfig: visibility('ServerlessConnectBodyTooLarge'),
        statement: {
          sizeConstraintStatement: {
            fieldToMatch: { body: { oversizeHandling: 'MATCH' } },
            comparisonOperator: 'GT',
            size: max,
            textTransformations: [{ priority: 0, type: 'NONE' }],
          },
        },
      });
    this.webAcl = new CfnWebACL(this, 'WebAcl', {
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      visibilityConfig: visibility('ServerlessConnectApi'),
      associationConfig: { requestBody: { API_GATEWAY: { defaultSizeInspectionLimit: 'KB_64' } } },
      rules,
    });
    new CfnWebACLAssociation(this, 'Association', {
      resourceArn: props.stage.stageArn,
      webAclArn: this.webAcl.attrArn,
    });
    if (props.logBlockedRequests) this.logGroup = this.logBlocked(props);
  }

  private logBlocked(props: ApiFirewallProps): LogGroup {
    const stack = Stack.of(this);
    // WAF delivers only to log groups named aws-waf-logs-*, addressed by an ARN without the `:*` suffix.
    const logGroup = new LogGroup(this, 'Logs', {
      logGroupName: `aws-waf-logs-${stack.stackName}-api`,
      retention: props.logRetention ?? RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    new CfnLoggingConfiguration(this, 'Logging', {
      resourceArn: this.webAcl.attrArn,
      logDestinationConfigs: [
        stack.formatArn({
          service: 'logs',
          resource: 'log-group',
          resourceName: logGroup.logGroupName,
          arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        }),
      ],
      redactedFields: CREDENTIAL_HEADERS.map((name) => ({ singleHeader: { Name: name } })),
      loggingFilter: {
        DefaultBehavior: 'DROP',
        Filters: [
          {
            Behavior: 'KEEP',
            Requirement: 'MEETS_ANY',
            Conditions: [{ ActionCondition: { Action: 'BLOCK' } }],
          },
        ],
      },
    });
    return logGroup;
  }
}
