export { usageRetentionWorkflow } from './usage-retention';
