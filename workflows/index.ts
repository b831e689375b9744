// The workflow bundle's entry point: workflows only.
export { stayWorkflow } from './stay/stay-workflow';
export { notificationDispatcherWorkflow } from './notifications/dispatcher-workflow';
export { retentionSweepWorkflow } from './retention/retention-sweep-workflow';
export { forecastDigestWorkflow } from './notifications/forecast-digest-workflow';
