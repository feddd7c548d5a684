import { SimulatedRouter, type StartRouterOptions } from './router';

export { SimulatedRouter } from './router';
export type { ActiveSessionView, SecretInput, StartRouterOptions } from './router';
export type { RouterFault } from './faults';
export { SessionRefused } from './ppp';
export type { DisconnectReason } from './ppp';
export { ApiTrap, TrapCategory } from './trap';
export type { TrafficRate } from './traffic';
export {
  decodeLength,
  encodeLength,
  encodeSentence,
  encodeSentences,
  encodeWord,
  ProtocolError,
  SentenceDecoder,
} from './wire';
export type { Sentence } from './wire';
export { generateSelfSignedCertificate, type TlsCertificate } from './tls-certificate';
export { churnSessions, DEMO_PROFILE, populateDemoRouter, type DemoAccount } from './demo';
export { createControlServer, type ControlledRouter } from './control-server';

export function startRouter(options?: StartRouterOptions): Promise<SimulatedRouter> {
  return SimulatedRouter.start(options);
}

/** Starts `count` routers; `options(index)` configures each (ports default to free ones). */
export async function startRouters(
  count: number,
  options: (index: number) => StartRouterOptions = () => ({}),
): Promise<SimulatedRouter[]> {
  const routers: SimulatedRouter[] = [];
  try {
    for (let index = 0; index < count; index += 1) routers.push(await SimulatedRouter.start(options(index)));
  } catch (error) {
    await Promise.all(routers.map((router) => router.stop()));
    throw error;
  }
  return routers;
}
