/**
 * The esbuild settings every function is bundled with, written once: `ConnectFunction` hands them to
 * NodejsFunction and `scripts/bundle-sizes.ts` hands the same values to esbuild, so the sizes it prints
 * are the sizes that deploy.
 */
export const BUNDLING = {
  /** ESM output: middy and Powertools ship ESM; Node 24 loads `.mjs` handlers natively. */
  format: 'esm',
  /** Lambda's nodejs24.x runtime. */
  target: 'node24',
  platform: 'node',
  minify: true,
  sourceMap: true,
  /** Prefer packages' ESM entry points, then CommonJS. */
  mainFields: ['module', 'main'],
  /**
   * CommonJS dependencies bundled into ESM (kafkajs, pg) call `require` for Node built-ins; ESM has no
   * `require`, so the bundle gets one from `createRequire`.
   */
  banner: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
  /**
   * The AWS SDK v3 comes from the runtime (nodejs24.x ships it). Bundled, the control API and the task
   * runner measure ~1.07 MB each, past our 1 MB goal; external, ~0.5 MB. The price: the runtime's SDK
   * version, not package.json's, runs on AWS (only stable client commands are used).
   */
  externalModules: ['@aws-sdk/*'],
} as const;

/**
 * Connector libraries installed beside the bundle (NodejsFunction `nodeModules`), not bundled: the JDBC
 * drivers (loaded by `lib/connectors/jdbc/db-client.ts` only when a JDBC connector connects; bundled they
 * add ~1 MB, mysql2's charset tables), the OpenSearch client (loaded when a search sink first writes) and
 * the S3 sink's Avro and Parquet writers. Bundled they would take every function that holds the plugin
 * registry past the 1 MB goal.
 */
export const LAZY_MODULES = [
  'pg',
  'mysql2',
  '@opensearch-project/opensearch',
  'avsc',
  'hyparquet-writer',
] as const;

/** The Lambda entry points, by function, relative to the repository root. */
export const ENTRIES = {
  controlApi: 'functions/control-api.ts',
  dispatcher: 'functions/dispatcher.ts',
  taskRunner: 'functions/task-runner.ts',
  sink: 'functions/sink.ts',
  basicAuth: 'functions/basic-auth.ts',
} as const;
