import type { Stage } from 'aws-cdk-lib/aws-apigateway';
import { CfnWebACL, CfnWebACLAssociation } from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';

/** The largest body WAF can inspect for API Gateway (64 KiB), and our default limit. */
export const REQUEST_SIZE_LIMIT = 65_536;

export interface RequestSizeLimitProps {
  /** The API Gateway stage to protect. Required. */
  readonly stage: Stage;
  /** Bodies larger than this are refused with 403; at most 65536. @default 65536 */
  readonly maxBodyBytes?: number;
}

/**
 * A regional AWS WAF web ACL that blocks request bodies over a size. API Gateway itself only stops at
 * 10 MB (and Lambda at 6 MB); connector configs are a few KiB, so anything near the limit is a mistake
 * or abuse. Bodies beyond what WAF inspects count as oversize and are blocked too.
 */
export class RequestSizeLimit extends Construct {
  readonly webAcl: CfnWebACL;

  constructor(scope: Construct, id: string, props: RequestSizeLimitProps) {
    super(scope, id);
    const max = Math.min(props.maxBodyBytes ?? REQUEST_SIZE_LIMIT, REQUEST_SIZE_LIMIT);
    const visibility = (name: string) => ({
      cloudWatchMetricsEnabled: true,
      metricName: name,
      sampledRequestsEnabled: true,
    });
    this.webAcl = new CfnWebACL(this, 'WebAcl', {
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      visibilityConfig: visibility('ServerlessConnectApi'),
      associationConfig: { requestBody: { API_GATEWAY: { defaultSizeInspectionLimit: 'KB_64' } } },
      rules: [
        {
          name: 'BodyTooLarge',
          priority: 0,
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
        },
      ],
    });
    new CfnWebACLAssociation(this, 'Association', {
      resourceArn: props.stage.stageArn,
      webAclArn: this.webAcl.attrArn,
    });
  }
}
