import { readFileSync } from 'node:fs';

/** Clock ticks per second of /proc's CPU times (USER_HZ): 100 on Linux. */
const TICKS_PER_SECOND = 100;

/** CPU seconds a process has used so far (user + system), from /proc/<pid>/stat. */
function processCpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name may hold spaces; the fields after it are fixed.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

/** CPU seconds the whole machine has spent busy (everything but idle and iowait). */
function machineBusySeconds(): number {
  const [, ...ticks] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).map(Number);
  const [user, nice, system, , , irq, softirq, steal] = ticks;
  return (user + nice + system + irq + softirq + steal) / TICKS_PER_SECOND;
}

/**
 * Where the CPU goes during a stretch of work: each named process's share, and the rest of the
 * machine (PostgreSQL, the kernel, the benchmark itself). Linux only, as the benchmarks are.
 */
export function startCpuAccount(processes: Record<string, number | undefined>) {
  const named = Object.entries(processes).filter(
    (entry): entry is [string, number] => entry[1] !== undefined,
  );
  const before = new Map(named.map(([name, pid]) => [name, processCpuSeconds(pid)]));
  const busyBefore = machineBusySeconds();
  return {
    /** CPU milliseconds per unit of work, by process, with the rest of the machine last. */
    perUnit(units: number): Array<{ name: string; milliseconds: number }> {
      const spent = named.map(([name, pid]) => ({
        name,
        seconds: processCpuSeconds(pid) - before.get(name)!,
      }));
      const busy = machineBusySeconds() - busyBefore;
      const rest = busy - spent.reduce((sum, entry) => sum + entry.seconds, 0);
      return [
        ...spent,
        { name: 'rest of the machine (PostgreSQL, kernel, benchmark)', seconds: Math.max(0, rest) },
      ].map(({ name, seconds }) => ({ name, milliseconds: (seconds * 1000) / units }));
    },
  };
}
