import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import type { TaskInvoker, TaskRequest } from '../lib/runtime/dispatcher.js';

/** Starts a task runner Lambda asynchronously (InvocationType Event): the dispatcher does not wait. */
export function lambdaInvoker(client: Pick<LambdaClient, 'send'>, functionName: string): TaskInvoker {
  return {
    async invoke(request: TaskRequest) {
      await client.send(
        new InvokeCommand({
          FunctionName: functionName,
          InvocationType: 'Event',
          Payload: Buffer.from(JSON.stringify(request)),
        }),
      );
    },
  };
}
