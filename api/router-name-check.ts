import { isTaggedForService } from '../domain/usernames';
import type { RouterDirectory } from '../routeros';

/** A create waits this long for the router; a router that does not answer leaves the check to the worker. */
const CHECK_TIMEOUT_MS = 3_000;

/**
 * Who holds a PPP name on a router, asked before a create writes anything: nobody, this service (a
 * repeated create), someone else (an account vpnflow did not create), or unknown when the router
 * does not answer in time — then the worker's converge, which never touches a foreign item, decides.
 */
export type RouterNameHolder = 'nobody' | 'this-service' | 'someone-else' | 'unknown';

export async function routerNameHolder(
  routerClients: RouterDirectory,
  routerId: number,
  name: string,
  serviceId: number,
): Promise<RouterNameHolder> {
  const lookup = async (): Promise<RouterNameHolder> => {
    const client = await routerClients.clientFor(routerId);
    const items = (await Promise.all([client.readSecret(name), client.readStaticQueue(name)])).filter(
      (item) => item !== undefined,
    );
    if (items.length === 0) return 'nobody';
    return items.every((item) => isTaggedForService(item.comment, serviceId))
      ? 'this-service'
      : 'someone-else';
  };
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<RouterNameHolder>((resolve) => {
    timer = setTimeout(() => resolve('unknown'), CHECK_TIMEOUT_MS);
  });
  try {
    return await Promise.race([lookup().catch((): RouterNameHolder => 'unknown'), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
