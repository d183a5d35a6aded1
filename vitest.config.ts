import { defineConfig } from 'vitest/config';

// Two projects: unit tests need nothing running; integration tests get the dev stack (Kafka + DynamoDB
// Local) from the global setup, which starts it only when it is not already running.
export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // One broker and one DynamoDB Local on a 2-core machine.
    maxWorkers: 2,
    // The JSON report lets .ci/run print its one-line summary.
    reporters: ['default', ['json', { outputFile: '.data/test-results.json' }]],
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts', 'test/cdk/**/*.test.ts'] } },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          globalSetup: ['test/global-setup.ts'],
        },
      },
    ],
  },
});
