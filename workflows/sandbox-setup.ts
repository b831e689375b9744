/**
 * Runs once in each workflow sandbox before any workflow does (the bundle's `preloadModules`, see
 * worker/stay-worker.ts `stayWorkflowBundleOptions`). The SDK records where each promise of workflow code was created,
 * for the stack trace query in Temporal's UI: a stack capture per promise, every frame mapped through the source map,
 * and a command creates ~30 of them. Six frames still name the workflow's own line under each wait; the default ten
 * cost the worker about a millisecond more per command.
 */
Error.stackTraceLimit = 6;
