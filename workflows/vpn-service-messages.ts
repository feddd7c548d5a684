export * from './vpn-service/messages';
