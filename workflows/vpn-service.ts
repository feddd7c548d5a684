export * from './vpn-service/workflow';
