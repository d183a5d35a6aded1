import { Stack } from 'aws-cdk-lib';
import { Grant, type IGrantable } from 'aws-cdk-lib/aws-iam';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { acknowledgeNag, nagResource } from './nag.js';

/**
 * Lets the functions that run sink tasks write objects into the buckets the deployment names, as the S3
 * sink does (lib/connectors/s3): PutObject (which also covers CreateMultipartUpload, UploadPart and
 * CompleteMultipartUpload), AbortMultipartUpload for a file it drops, and ListBucket on the bucket for
 * the start-up HeadBucket. No read, no delete, no other bucket.
 */
export function grantS3SinkBuckets(
  scope: Construct,
  grantees: readonly IGrantable[],
  buckets: readonly string[],
): void {
  if (buckets.length === 0) return;
  const stack = Stack.of(scope);
  const holder = new Construct(scope, 'S3SinkBuckets');
  for (const [i, name] of buckets.entries()) {
    const bucket = Bucket.fromBucketName(holder, `Bucket${i}`, name);
    for (const grantee of grantees) {
      Grant.addToPrincipal({
        grantee,
        actions: ['s3:PutObject', 's3:AbortMultipartUpload'],
        resourceArns: [bucket.arnForObjects('*')],
      });
      Grant.addToPrincipal({ grantee, actions: ['s3:ListBucket'], resourceArns: [bucket.bucketArn] });
      if (Construct.isConstruct(grantee.grantPrincipal))
        acknowledgeNag(
          grantee.grantPrincipal,
          `IAM5[Resource::${nagResource(stack, bucket.arnForObjects('*'))}]`,
          'The S3 sink names objects after topics, partitions and offsets at runtime; only the buckets the deployment names are reached, for writes only',
        );
    }
  }
}
