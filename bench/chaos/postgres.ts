// A private PostgreSQL cluster for the chaos run: a temp dir, its own port, Debian's binaries.
// Restarting it disturbs nobody else's tests. The binaries refuse to run as root, so as root they
// run as the `postgres` user (runuser); as any other user they run directly.
import { execFile, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

export interface PrivateCluster {
  port: number;
  dir: string;
  url(database: string): string;
  /** `pg_ctl restart -m fast`: every connection is closed, the server is back when this resolves. */
  restart(): Promise<void>;
  /** CPU seconds used so far by the server's processes (sampled; call it every second or so). */
  cpuSeconds(): number;
  /** Stops the server (immediate) and removes its directory. Synchronous, so it also works on exit. */
  destroy(): void;
}

/** utime + stime of a process in clock ticks, or null when it is gone. */
function cpuTicks(pid: number): { ppid: number; ticks: number } | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return { ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) };
  } catch {
    return null;
  }
}

function findBinDir(explicit?: string): string {
  if (explicit) return explicit;
  const root = "/usr/lib/postgresql";
  const versions = fs.existsSync(root) ? fs.readdirSync(root).filter((v) => fs.existsSync(path.join(root, v, "bin", "initdb"))) : [];
  const preferred = versions.includes("15") ? "15" : versions.sort((a, b) => Number(b) - Number(a))[0];
  if (!preferred) throw new Error("No PostgreSQL server binaries in /usr/lib/postgresql/*/bin (apt-get install postgresql-15), or pass --pg-bin");
  return path.join(root, preferred, "bin");
}

/** The command line that runs a PostgreSQL binary as a user it accepts. */
function asPostgres(binary: string, args: string[]): [string, string[]] {
  return process.getuid?.() === 0 ? ["runuser", ["-u", "postgres", "--", binary, ...args]] : [binary, args];
}

/** Stops a cluster made by startPrivateCluster (immediate) and removes its directory. */
export function removeCluster(dir: string, binDir?: string): void {
  const data = path.join(dir, "data");
  if (fs.existsSync(path.join(data, "postmaster.pid"))) {
    const [command, argv] = asPostgres(path.join(findBinDir(binDir), "pg_ctl"), ["-D", data, "-m", "immediate", "-w", "-t", "30", "stop"]);
    spawnSync(command, argv, { stdio: "ignore", timeout: 60_000 });
  }
  fs.rmSync(dir, { recursive: true, force: true });
}

export async function startPrivateCluster(port: number, binDir?: string): Promise<PrivateCluster> {
  const bin = findBinDir(binDir);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tickwork-chaos-pg-"));
  if (process.getuid?.() === 0) {
    const uid = Number(spawnSync("id", ["-u", "postgres"]).stdout.toString().trim());
    const gid = Number(spawnSync("id", ["-g", "postgres"]).stdout.toString().trim());
    if (!Number.isInteger(uid) || !Number.isInteger(gid)) throw new Error("Running as root, but there is no `postgres` user to run PostgreSQL as");
    fs.chownSync(dir, uid, gid);
  }
  const data = path.join(dir, "data");
  const log = path.join(dir, "postgres.log");
  const pgCtl = path.join(bin, "pg_ctl");
  const exec = (binary: string, args: string[]) => {
    const [command, argv] = asPostgres(binary, args);
    // pg_ctl waits at most its -t; initdb and the rest get two minutes.
    return run(command, argv, { maxBuffer: 16 * 1024 * 1024, timeout: 120_000 });
  };
  let destroyed = false;
  // Backends come and go (a restart replaces them all): keep the last reading of every process seen.
  const seen = new Map<number, number>();
  const cluster: PrivateCluster = {
    port,
    dir,
    url: (database) => `postgresql://postgres@127.0.0.1:${port}/${database}`,
    async restart() {
      await exec(pgCtl, ["-D", data, "-l", log, "-m", "fast", "-w", "-t", "60", "restart"]);
    },
    cpuSeconds() {
      const postmaster = Number(fs.readFileSync(path.join(data, "postmaster.pid"), "utf8").split("\n")[0]);
      const own = cpuTicks(postmaster);
      if (own) seen.set(postmaster, own.ticks);
      for (const entry of fs.readdirSync("/proc")) {
        const pid = Number(entry);
        if (!Number.isInteger(pid)) continue;
        const child = cpuTicks(pid);
        if (child?.ppid === postmaster) seen.set(pid, child.ticks);
      }
      return [...seen.values()].reduce((sum, ticks) => sum + ticks, 0) / 100;
    },
    destroy() {
      if (destroyed) return;
      destroyed = true;
      removeCluster(dir, bin);
    },
  };
  try {
    await exec(path.join(bin, "initdb"), ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"]);
    // Durability is not under test (restarts are clean, -m fast); fsync off spares the shared disk.
    const options = [`-p ${port}`, `-k ${dir}`, "-c listen_addresses=127.0.0.1", "-c fsync=off", "-c max_connections=200"].join(" ");
    await exec(pgCtl, ["-D", data, "-l", log, "-o", options, "-w", "-t", "60", "start"]);
  } catch (error) {
    cluster.destroy();
    throw error;
  }
  return cluster;
}
