import { ArnFormat, CfnElement, Stack } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { ConnectFunction } from './connect-function.js';
import { acknowledgeNag } from './nag.js';

/** The tag that names the connector on its mapping (lib/control/aws-sink-mappings.ts writes it). */
export const CONNECTOR_TAG = 'serverless-connect:connector';

/** The reads a role needs besides the writes both share. */
export interface SinkMappingReads {
  /** On mappings, e.g. `lambda:GetEventSourceMapping`. */
  mappings: string[];
  /** On the sink function and its `sc-*` aliases, e.g. `lambda:GetAlias`, `lambda:ListAliases`. */
  aliases: string[];
}

/**
 * Lambda event source mapping management on the sink function's connector aliases only, as
 * lib/control/aws-sink-mappings.ts calls it — the control API on create/update/delete, the dispatcher's
 * reconciler every tick. No CDK grant covers these actions. IAM scopes them as tightly as Lambda allows:
 * Create takes no resource (only the `lambda:FunctionArn` condition: an `sc-*` alias of the sink
 * function), Update/Delete act on the mapping ARN (not known before it exists, hence
 * `event-source-mapping:*`) with the same condition, List supports neither resources nor conditions, and
 * the aliases themselves are named per connector at runtime (`sc-<hash>`).
 */
export function grantSinkMappings(fn: ConnectFunction, sink: IFunction, reads: SinkMappingReads): void {
  const stack = Stack.of(fn);
  const aliases = `${sink.functionArn}:sc-*`;
  const onSink = { ArnLike: { 'lambda:FunctionArn': aliases } };
  const mappings = stack.formatArn({
    service: 'lambda',
    resource: 'event-source-mapping',
    resourceName: '*',
    arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  });
  const statements = [
    new PolicyStatement({
      actions: ['lambda:CreateEventSourceMapping'],
      resources: ['*'],
      conditions: onSink,
    }),
    new PolicyStatement({
      actions: ['lambda:UpdateEventSourceMapping', 'lambda:DeleteEventSourceMapping', ...reads.mappings],
      resources: [mappings],
      conditions: onSink,
    }),
    new PolicyStatement({ actions: ['lambda:ListEventSourceMappings'], resources: ['*'] }),
    new PolicyStatement({
      actions: ['lambda:CreateAlias', 'lambda:DeleteAlias', ...reads.aliases],
      resources: [sink.functionArn, aliases],
    }),
    // Creating a mapping with Tags needs TagResource on it; only the connector tag may be written.
    new PolicyStatement({
      actions: ['lambda:TagResource'],
      resources: [mappings],
      conditions: { 'ForAllValues:StringEquals': { 'aws:TagKeys': [CONNECTOR_TAG] } },
    }),
  ];
  for (const s of statements) fn.addToRolePolicy(s);
  const policy = fn.role?.node.tryFindChild('DefaultPolicy');
  if (!policy) return;
  acknowledgeNag(
    policy,
    'IAM5[Resource::*]',
    'lambda:CreateEventSourceMapping takes no resource (it is conditioned on lambda:FunctionArn = the sink function) and lambda:ListEventSourceMappings supports neither resources nor conditions',
  );
  acknowledgeNag(
    policy,
    'IAM5[Resource::arn:<AWS::Partition>:lambda:<AWS::Region>:<AWS::AccountId>:event-source-mapping:*]',
    'Mappings are created at runtime, so their UUIDs are unknown here; what acts on them is conditioned on lambda:FunctionArn = an sc-* alias of the sink function, TagResource on the connector tag key',
  );
  const cfn = sink.node.defaultChild;
  if (cfn instanceof CfnElement) {
    const sinkId = stack.resolve(stack.getLogicalId(cfn)) as string;
    acknowledgeNag(
      policy,
      `IAM5[Resource::<${sinkId}.Arn>:sc-*]`,
      'One alias of the sink function per sink connector, named sc-<hash of the connector name> at runtime; the mappings of a connector invoke its alias so the function knows whose batch it got',
    );
  }
}
