import { Arn, ArnFormat, Stack } from 'aws-cdk-lib';
import { type IRole, Policy, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { acknowledgeNag, nagResource } from './nag.js';

/** What the Elasticsearch/OpenSearch sink sends: reads of `/`, mappings and index existence, index and bulk writes. */
const DOMAIN_ACTIONS = ['es:ESHttpGet', 'es:ESHttpHead', 'es:ESHttpPost', 'es:ESHttpPut'];

/**
 * Lets the functions that run sink tasks call the named Amazon OpenSearch Service domains
 * (`arn:…:es:…:domain/<name>`) and OpenSearch Serverless collections (`arn:…:aoss:…:collection/<id>`)
 * with SigV4, as the Elasticsearch/OpenSearch sink does with `aws.region` and `aws.service.signing.name`.
 * A domain allows the HTTP methods the sink uses, on the domain and the paths under it (indices are
 * named after topics at runtime); a collection allows `aoss:APIAccessAll`, and its data access policy
 * (OpenSearch Serverless's own, not IAM) must still name the role. One policy, nothing else reached.
 */
export function grantSearchDomains(scope: Construct, roles: readonly IRole[], arns: readonly string[]): void {
  if (arns.length === 0) return;
  const stack = Stack.of(scope);
  const domains: string[] = [];
  const collections: string[] = [];
  for (const arn of arns) {
    const parts = Arn.split(arn, ArnFormat.SLASH_RESOURCE_NAME);
    if (parts.service === 'es' && parts.resource === 'domain' && parts.resourceName) domains.push(arn);
    else if (parts.service === 'aoss' && parts.resource === 'collection' && parts.resourceName)
      collections.push(arn);
    else
      throw new Error(
        `searchDomainArns: ${arn} is neither an OpenSearch Service domain nor a Serverless collection ARN`,
      );
  }
  const statements: PolicyStatement[] = [];
  if (domains.length > 0)
    statements.push(
      new PolicyStatement({ actions: DOMAIN_ACTIONS, resources: domains.flatMap((d) => [d, `${d}/*`]) }),
    );
  if (collections.length > 0)
    statements.push(new PolicyStatement({ actions: ['aoss:APIAccessAll'], resources: collections }));
  const policy = new Policy(scope, 'SearchDomainAccess', { roles: [...roles], statements });
  for (const d of domains)
    acknowledgeNag(
      policy,
      `IAM5[Resource::${nagResource(stack, `${d}/*`)}]`,
      'The sink writes indices and data streams named after topics at runtime, so the paths under the domain cannot be listed here; only the domains the deployment names are reached',
    );
}
