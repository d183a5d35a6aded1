import { type Stack, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * Acknowledges a cdk-nag AwsSolutions finding on a construct and everything under it. Each call
 * sits beside the resource it excuses and says why; `rule` is the finding as cdk-nag prints it,
 * e.g. `IAM5[Resource::*]`.
 */
export function acknowledgeNag(scope: IConstruct, rule: string, reason: string): void {
  Validations.of(scope).acknowledge({ id: `AwsSolutions::AwsSolutions-${rule}`, reason });
}

/**
 * A resource as cdk-nag prints it in a finding (`arn:<AWS::Partition>:…`, `<Fn.Arn>`), so that an
 * acknowledgement can name a resource computed at synth time.
 */
export function nagResource(stack: Stack, resource: string): string {
  const visit = (node: unknown): string => {
    if (typeof node === 'string') return node.replace(/\$\{/g, '<').replace(/\}/g, '>');
    if (node && typeof node === 'object') {
      const o = node as Record<string, unknown>;
      if (Array.isArray(o['Fn::Join'])) {
        const [delimiter, items] = o['Fn::Join'] as [string, unknown[]];
        return items.map(visit).join(delimiter);
      }
      if (o.Ref !== undefined) return `<${visit(o.Ref)}>`;
      if (Array.isArray(o['Fn::GetAtt'])) {
        const [id, attribute] = o['Fn::GetAtt'] as [unknown, unknown];
        return `<${visit(id)}.${visit(attribute)}>`;
      }
    }
    return JSON.stringify(node);
  };
  return visit(stack.resolve(resource));
}
