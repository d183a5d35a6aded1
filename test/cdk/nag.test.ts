import { App, Stack, Validations } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Bucket, BucketEncryption } from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { MSK_CONTEXT, PROVIDER_KEY, PROVIDER_PROPERTIES, synthStack } from './synth.js';

/** Synthesises the app with its cdk-nag plugin; the error text lists every unacknowledged finding. */
function nagErrors(app: App): string {
  try {
    app.synth();
    return '';
  } catch (error) {
    return String((error as Error).message);
  }
}

describe('cdk-nag AwsSolutions', () => {
  it('finds nothing unacknowledged in the default stack', () => {
    expect(nagErrors(synthStack().app)).toBe('');
  });

  it('finds nothing unacknowledged with MSK IAM, a VPC and HTTP Basic', () => {
    expect(nagErrors(synthStack(MSK_CONTEXT).app)).toBe('');
  });

  it('finds nothing unacknowledged with config providers (prefixes included), group and topic prefixes and WAF logging', () => {
    const context = {
      ...MSK_CONTEXT,
      workerProperties: { ...PROVIDER_PROPERTIES, 'consumer.group.id.allowed.prefixes': 'team-a.' },
      providerKeyArns: PROVIDER_KEY,
      topicPrefixes: 'orders.,dlq-',
      wafLogging: 'true',
    };
    expect(nagErrors(synthStack(context).app)).toBe('');
  });

  it('reports a provider prefix nobody acknowledged', () => {
    // The same prefix grant, made outside WorkerSettings, carries no acknowledgement.
    const { app, stack } = synthStack();
    stack.tasks.sink.addToRolePolicy(
      new PolicyStatement({
        actions: ['ssm:GetParameter'],
        resources: [stack.formatArn({ service: 'ssm', resource: 'parameter', resourceName: 'other/*' })],
      }),
    );
    expect(nagErrors(app)).toMatch(/AwsSolutions-IAM5/);
  });

  it('fails on a bucket that allows plain HTTP', () => {
    const app = new App();
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    new Bucket(new Stack(app, 'Bad'), 'Bucket', { encryption: BucketEncryption.S3_MANAGED });
    expect(nagErrors(app)).toMatch(/AwsSolutions-S10/);
  });
});
