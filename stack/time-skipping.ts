import { TestWorkflowEnvironment } from '@temporalio/testing';
import { temporalTestServerPath } from './server-binaries';

/**
 * The time-skipping test server (the Java-based server upstream plans to replace): kept behind this one
 * function so that switching to time skipping in the real server later touches one file.
 */
export function createTimeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  return TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: temporalTestServerPath() } },
  });
}
