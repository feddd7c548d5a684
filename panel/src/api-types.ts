/** The answers of the client API (`/v1/client`), as api/routes/statistics.ts documents them. */

export interface LiveSession {
  protocol: string | null;
  callerId: string | null;
  address: string | null;
  uptimeSeconds: number | null;
}

export interface LiveStatus {
  online: boolean;
  sessions: LiveSession[];
  source: 'router' | 'metering';
  asOf: string | null;
  status: string;
  suspensionReasons: string[];
  limitedByTraffic: boolean;
  balanceBytes: string;
}

export interface DailyUsage {
  from: string;
  to: string;
  days: { day: string; downloadBytes: string; uploadBytes: string; balanceBytes: string }[];
}

export interface MonthlyUsage {
  months: { month: string; downloadBytes: string; uploadBytes: string }[];
}

export interface TrafficCredit {
  date: string;
  kind: string;
  addedBytes: string;
  balanceBeforeBytes: string;
  balanceAfterBytes: string;
  description: string;
  invoice: string | null;
}

export interface TrafficHistory {
  entries: TrafficCredit[];
}
