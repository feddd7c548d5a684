export { meteringWorkflow } from './metering';
export { usageRetentionWorkflow } from './usage-retention';
export { vpnServiceWorkflow } from './vpn-service/workflow';
