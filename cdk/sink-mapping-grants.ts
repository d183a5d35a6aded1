import { ArnFormat, CfnElement, Stack } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { ConnectFunction } from './connect-function.js';
import { CONNECTOR_TAG } from './control-api.js';
import { acknowledgeNag } from './nag.js';

/**
 * What the dispatcher's reconciler of sink mappings may do (lib/control/aws-sink-mappings.ts `snapshot`
 * and `reconcile`): list every mapping and the sink function's aliases, and create, update and delete
 * mappings and aliases of the sink function's connector aliases (`sc-*`) only. Scoped as the control
 * API's grant is: Create takes no resource (only the `lambda:FunctionArn` condition), Update/Delete act
 * on mapping ARNs unknown before they exist, List supports neither resources nor conditions.
 */
export function grantSinkMappingReconcile(fn: ConnectFunction, sink: IFunction): void {
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
      actions: ['lambda:UpdateEventSourceMapping', 'lambda:DeleteEventSourceMapping'],
      resources: [mappings],
      conditions: onSink,
    }),
    new PolicyStatement({ actions: ['lambda:ListEventSourceMappings'], resources: ['*'] }),
    new PolicyStatement({ actions: ['lambda:ListAliases'], resources: [sink.functionArn] }),
    new PolicyStatement({
      actions: ['lambda:CreateAlias', 'lambda:DeleteAlias'],
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
    'Mappings are created at runtime, so their UUIDs are unknown here; Update/Delete are conditioned on lambda:FunctionArn = an sc-* alias of the sink function, TagResource on the connector tag key',
  );
  const cfn = sink.node.defaultChild;
  if (cfn instanceof CfnElement) {
    const sinkId = stack.resolve(stack.getLogicalId(cfn)) as string;
    acknowledgeNag(
      policy,
      `IAM5[Resource::<${sinkId}.Arn>:sc-*]`,
      'One alias of the sink function per sink connector, named sc-<hash of the connector name> at runtime; orphan aliases of deleted connectors are deleted by the reconciler',
    );
  }
}
