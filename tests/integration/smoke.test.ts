import { beforeAll, describe, expect, it } from "vitest";
import { api } from "../support/api";
import { createIdentities, jobInput, resetDatabase, type Identities } from "../support/fixtures";

let who: Identities;

beforeAll(async () => {
  await resetDatabase();
  who = await createIdentities();
});

describe("jobs API smoke", () => {
  it("creates and reads back a job", async () => {
    const created = await api("POST", "/api/jobs", { token: who.operator, body: jobInput({ name: "Nightly Backup" }) });
    expect(created.status).toBe(201);
    expect(created.headers.get("etag")).toBe('"1"');
    const read = await api("GET", `/api/jobs/${created.body.id}`, { token: who.viewer });
    expect(read.status).toBe(200);
    expect(read.body.name).toBe("Nightly Backup");
    expect(read.body.audit[0].action).toBe("job.create");
  });
});
