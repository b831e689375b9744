// What test/global-setup.ts hands to the test files through vitest's provide()/inject().
export {};

declare module 'vitest' {
  export interface ProvidedContext {
    /** The migrated test database (embedded PostgreSQL, or TEST_DATABASE_URL). */
    databaseUrl: string;
    /** A Temporal dev server with the `default` namespace (in-memory, or TEST_TEMPORAL_ADDRESS). */
    temporalAddress: string;
    /** The workflow bundle of workflows/, built once per run. */
    workflowBundlePath: string;
  }
}
