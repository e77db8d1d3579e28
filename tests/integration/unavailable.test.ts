// A database that cannot be reached answers 503 UNAVAILABLE with Retry-After (retryable), not 500:
// checked with real errors from Prisma and pg, for a refused port and for connections severed
// through a TCP proxy in front of the test database.
import net from "node:net";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { describe, expect, inject, it } from "vitest";
import { PrismaClient } from "@/lib/db/generated/client";
import { isDatabaseUnavailable } from "@/lib/db/unavailable";
import { errorResponse } from "@/lib/http/respond";
import { startTcpProxy, targetOf } from "../support/tcp-proxy";

async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function errorOf(work: () => Promise<unknown>): Promise<unknown> {
  try {
    await work();
  } catch (error) {
    return error;
  }
  throw new Error("expected the work to fail");
}

function prismaAt(url: string) {
  const pool = new pg.Pool({ connectionString: url, max: 1, connectionTimeoutMillis: 2000 });
  pool.on("error", () => undefined);
  return { prisma: new PrismaClient({ adapter: new PrismaPg(pool) }), pool };
}

async function expect503(error: unknown) {
  expect(isDatabaseUnavailable(error)).toBe(true);
  const response = errorResponse(error);
  expect(response.status).toBe(503);
  expect(response.headers.get("retry-after")).toBe("5");
  expect(await response.json()).toMatchObject({ error: { code: "UNAVAILABLE", retryable: true } });
}

describe("an unreachable database", () => {
  it("a refused connection, through Prisma and through pg, is 503 UNAVAILABLE", async () => {
    const url = `postgresql://postgres@127.0.0.1:${await closedPort()}/test`;
    const { prisma, pool } = prismaAt(url);
    await expect503(await errorOf(() => prisma.$queryRaw`SELECT 1`));
    await prisma.$disconnect().catch(() => undefined);
    await pool.end().catch(() => undefined);
    const client = new pg.Client({ connectionString: url });
    await expect503(await errorOf(() => client.connect()));
  });

  it("connections severed in the middle of a query are 503 UNAVAILABLE", async () => {
    const proxy = await startTcpProxy(targetOf(inject("databaseUrl")));
    const { prisma, pool } = prismaAt(proxy.urlFor(inject("databaseUrl")));
    try {
      await prisma.$queryRaw`SELECT 1`;
      const query = errorOf(() => prisma.$queryRaw`SELECT pg_sleep(5)`);
      await new Promise((resolve) => setTimeout(resolve, 300));
      proxy.sever();
      await expect503(await query);
      // And while it refuses new connections.
      await expect503(await errorOf(() => prisma.$queryRaw`SELECT 1`));
    } finally {
      await prisma.$disconnect().catch(() => undefined);
      await pool.end().catch(() => undefined);
      await proxy.close();
    }
  });

  it("a bug is still 500 INTERNAL", async () => {
    expect(isDatabaseUnavailable(new TypeError("Cannot read properties of undefined"))).toBe(false);
    const response = errorResponse(new TypeError("Cannot read properties of undefined"));
    expect(response.status).toBe(500);
    expect(await response.json()).toMatchObject({ error: { code: "INTERNAL" } });
  });
});
