import { readdirSync, readFileSync } from 'node:fs';

/** CPU time (user + system, ms) of this process and every process below it, summed per command name. */
export function cpuByProcess(): Map<string, number> {
  const stats = new Map<number, { ppid: number; name: string; ms: number }>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // the name is in parentheses and may contain spaces; the fields after it are space-separated
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // fields[1] = ppid, fields[11] = utime, fields[12] = stime, in clock ticks of 10 ms
      stats.set(Number(entry), {
        ppid: Number(fields[1]),
        name,
        ms: (Number(fields[11]) + Number(fields[12])) * 10,
      });
    } catch {
      // the process ended while we read
    }
  }
  const mine = new Set([process.pid]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [pid, s] of stats) {
      if (!mine.has(pid) && mine.has(s.ppid)) {
        mine.add(pid);
        grew = true;
      }
    }
  }
  const byName = new Map<string, number>();
  for (const pid of mine) {
    const s = stats.get(pid);
    if (!s) continue;
    if (pid === process.pid) {
      // the main thread (API, clients, activities, SDK Core's bridge), the other JavaScript threads (workflow
      // sandboxes, GC helpers) and SDK Core's own (tokio) threads; what ended threads spent stays with the process
      let counted = 0;
      for (const tid of readdirSync(`/proc/${pid}/task`).map(Number)) {
        const t = thread(pid, tid);
        if (!t) continue;
        const group =
          tid === pid
            ? 'bench main thread'
            : t.name.startsWith('tokio') || t.name.startsWith('temporal')
              ? 'bench SDK Core threads'
              : 'bench other threads';
        byName.set(group, (byName.get(group) ?? 0) + t.ms);
        counted += t.ms;
      }
      byName.set('bench other threads', (byName.get('bench other threads') ?? 0) + s.ms - counted);
    } else byName.set(s.name, (byName.get(s.name) ?? 0) + s.ms);
  }
  return byName;
}

function thread(pid: number, tid: number): { name: string; ms: number } | null {
  try {
    const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return {
      name: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')),
      ms: (Number(fields[11]) + Number(fields[12])) * 10,
    };
  } catch {
    return null; // the thread ended while we read
  }
}

/** Adds the CPU spent in `fn` per process name to `into`. */
export async function withCpu<T>(into: Map<string, number>, fn: () => Promise<T>): Promise<T> {
  const before = cpuByProcess();
  const result = await fn();
  for (const [name, ms] of cpuByProcess()) into.set(name, (into.get(name) ?? 0) + ms - (before.get(name) ?? 0));
  return result;
}
