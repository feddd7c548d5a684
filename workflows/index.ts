export { closeWatchWorkflow } from './close-watch';
export { meteringWorkflow } from './metering';
export { scheduledMeteringWorkflow } from './scheduled-metering';
export { usageRetentionWorkflow } from './usage-retention';
export { vpnServiceWorkflow } from './vpn-service/workflow';
