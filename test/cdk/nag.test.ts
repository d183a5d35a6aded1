import { App, Stack, Validations } from 'aws-cdk-lib';
import { Bucket, BucketEncryption } from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { MSK_CONTEXT, synthStack } from './synth.js';

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

  it('fails on a bucket that allows plain HTTP', () => {
    const app = new App();
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    new Bucket(new Stack(app, 'Bad'), 'Bucket', { encryption: BucketEncryption.S3_MANAGED });
    expect(nagErrors(app)).toMatch(/AwsSolutions-S10/);
  });
});
