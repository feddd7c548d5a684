import { ApplicationFailure } from '@temporalio/common';
import type { MailActivities } from '../notices';
import { FAILURE } from '../domain/failures';
import { WORKER_METRICS } from '../domain/worker-metrics';
import { addToCounter } from './metrics';
import type { NoticeKind } from '../notices/notice-kinds';

export interface ClientNoticeDeps {
  mail: MailActivities;
  /** The hostname clients connect to on the router, as the notice names it; undefined for no such router. */
  serverHostnameOf(routerId: number): Promise<string | undefined>;
}

/** What the service workflow knows when it tells a client about their traffic; bytes as decimal strings. */
export interface ClientNoticeRequest {
  serviceId: number;
  routerId: number;
  kind: NoticeKind;
  /** The billing cycle's start: each kind of notice goes out at most once per cycle. */
  cycleKey: string;
  to: string;
  language: string;
  username: string;
  remainingBytes: string;
  thresholdBytes: string | null;
  cycleEndsAt: string | null;
}

export function createClientNoticeActivities(deps: ClientNoticeDeps) {
  return {
    /** Sends a notice about a service's traffic, once per (service, kind, cycle); see sendNotice. */
    async notifyClient(request: ClientNoticeRequest) {
      const serverHostname = await deps.serverHostnameOf(request.routerId);
      if (serverHostname === undefined) {
        throw ApplicationFailure.nonRetryable(
          `router ${request.routerId} does not exist`,
          FAILURE.routerNotFound,
        );
      }
      try {
        const result = await deps.mail.sendNotice({
          serviceId: request.serviceId,
          kind: request.kind,
          cycleKey: request.cycleKey,
          to: request.to,
          language: request.language,
          data: {
            serviceUsername: request.username,
            serverHostname,
            remainingBytes: request.remainingBytes,
            thresholdBytes: request.thresholdBytes,
            cycleEndsAt: request.cycleEndsAt,
          },
        });
        addToCounter(WORKER_METRICS.notices, 1, { kind: request.kind, outcome: result.status });
        return result;
      } catch (error) {
        addToCounter(WORKER_METRICS.notices, 1, { kind: request.kind, outcome: 'failed' });
        throw error;
      }
    },
  };
}
