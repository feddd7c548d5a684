import type { DailyUsage, LiveStatus, MonthlyUsage, TrafficHistory } from './api-types';

/** The token is refused: it expired (after an hour) or the service went away. */
export class TokenRefused extends Error {}

/** vpnflow did not answer, or answered with an error. */
export class Unavailable extends Error {}

/** The client API (`/v1/client`) as the widget reads it, with the client token WHMCS issued. */
export class ClientApi {
  constructor(
    private readonly apiUrl: string,
    private readonly serviceId: number,
    private readonly token: string,
  ) {}

  live(): Promise<LiveStatus> {
    return this.get('live');
  }

  daily(days: number): Promise<DailyUsage> {
    return this.get(`usage/daily?days=${days}`);
  }

  monthly(months: number): Promise<MonthlyUsage> {
    return this.get(`usage/monthly?months=${months}`);
  }

  history(limit: number): Promise<TrafficHistory> {
    return this.get(`traffic-history?limit=${limit}`);
  }

  private async get<T>(path: string): Promise<T> {
    let response: Response;
    try {
      response = await fetch(`${this.apiUrl}/v1/client/services/${this.serviceId}/${path}`, {
        headers: { authorization: `Bearer ${this.token}`, accept: 'application/json' },
        credentials: 'omit',
        cache: 'no-store',
      });
    } catch (error) {
      throw new Unavailable(String(error));
    }
    if (response.status === 401 || response.status === 403) throw new TokenRefused(String(response.status));
    if (!response.ok) throw new Unavailable(`HTTP ${response.status}`);
    return (await response.json()) as T;
  }
}
