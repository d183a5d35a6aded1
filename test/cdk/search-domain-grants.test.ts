import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { synthStack } from './synth.js';

const DOMAIN = 'arn:aws:es:eu-west-1:123456789012:domain/search';
const COLLECTION = 'arn:aws:aoss:eu-west-1:123456789012:collection/abc123def456';

/** The SearchDomainAccess policy of a stack synthesized with these ARNs, and the roles it is on. */
function searchPolicy(arns: string) {
  const { stack } = synthStack({ searchDomainArns: arns });
  const template = Template.fromStack(stack);
  const policies = Object.entries(template.findResources('AWS::IAM::Policy')).filter(([id]) =>
    id.includes('SearchDomainAccess'),
  );
  const roleOf = (fn: { role?: { node: { defaultChild?: unknown } } }) =>
    stack.getLogicalId(fn.role?.node.defaultChild as Parameters<typeof stack.getLogicalId>[0]);
  return { policies, taskRunnerRole: roleOf(stack.tasks.taskRunner), sinkRole: roleOf(stack.tasks.sink) };
}

describe('searchDomainArns', () => {
  it('lets the task runner and the sink function call the domains and collections named, and nothing else', () => {
    // Act
    const { policies, taskRunnerRole, sinkRole } = searchPolicy(`${DOMAIN},${COLLECTION}`);
    // Assess
    expect(policies).toHaveLength(1);
    const props = policies[0]?.[1].Properties;
    expect(props.Roles).toEqual([{ Ref: taskRunnerRole }, { Ref: sinkRole }]);
    expect(props.PolicyDocument.Statement).toEqual([
      {
        Action: ['es:ESHttpGet', 'es:ESHttpHead', 'es:ESHttpPost', 'es:ESHttpPut'],
        Effect: 'Allow',
        Resource: [DOMAIN, `${DOMAIN}/*`],
      },
      { Action: 'aoss:APIAccessAll', Effect: 'Allow', Resource: COLLECTION },
    ]);
  });

  it('leaves cdk-nag nothing unacknowledged: the paths under a domain are named at runtime', () => {
    const { app } = synthStack({ searchDomainArns: `${DOMAIN},${COLLECTION}` });
    expect(() => app.synth()).not.toThrow();
  });

  it('adds no policy when none is named', () => {
    expect(searchPolicy('').policies).toEqual([]);
  });

  it('refuses an ARN that is neither a domain nor a collection', () => {
    expect(() => searchPolicy('arn:aws:s3:::bucket')).toThrow(/neither an OpenSearch Service domain/);
  });
});
