import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { createSeedData, type Sandbox, SEED, startSandbox } from "../src/index.js";
import { api, expectError, recordResponses } from "./helpers.js";

const { onResponse } = recordResponses();
const dir = mkdtempSync(join(tmpdir(), "sbx-state-"));
const started: Sandbox[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((s) => s.stop()));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function start(opts: Parameters<typeof startSandbox>[0] = {}) {
  const sb = await startSandbox({ onResponse, ...opts });
  started.push(sb);
  return { sb, call: api(sb) };
}

describe("seed data", () => {
  it("is deterministic and realistic", () => {
    const a = createSeedData();
    expect(createSeedData()).toEqual(a);
    const users = a.contacts.filter((c) => c.role === "user" && c.merged_into === null);
    expect(users.length).toBeGreaterThanOrEqual(25);
    expect(users.every((c) => c.external_id !== null && c.email.includes("@"))).toBe(true);
    expect(new Set(a.contacts.map((c) => c.id)).size).toBe(a.contacts.length);
    expect(a.tags.map((t) => t.name)).toContain("Sync");
    expect(a.segments.map((s) => s.name)).toEqual(["Active", "New", "Slipping Away"]);
    expect(a.companies.length).toBeGreaterThanOrEqual(5);
    expect(a.contacts.filter((c) => c.email === SEED.sharedEmail)).toHaveLength(2);
    expect(a.contacts.filter((c) => c.role === "lead")).toHaveLength(1);
    expect(a.contacts.filter((c) => c.merged_into !== null)).toHaveLength(1);
    expect(users.filter((c) => c.company_ids.length > 0).length).toBeGreaterThan(10);
    expect(users.filter((c) => c.tags.length > 0).length).toBeGreaterThan(10);
    expect(users.filter((c) => c.avatar !== null).length).toBeGreaterThan(5);
    expect(users.filter((c) => c.social_profiles.length > 0).length).toBeGreaterThan(3);
    expect(users.filter((c) => c.utm_source !== null).length).toBeGreaterThan(3);
    expect(users.filter((c) => c.location.city !== null).length).toBeGreaterThan(10);
    for (const ext of SEED.userExternalIds) expect(users.some((c) => c.external_id === ext)).toBe(true);
  });

  it("SEED names real records", async () => {
    const { sb } = await start();
    expect(sb.state.getContact(SEED.user.id)).toMatchObject({ external_id: "25", name: "Joe Example" });
    expect(sb.state.findByExternalId(SEED.plainUser.externalId)).toMatchObject({ id: SEED.plainUser.id });
    expect(sb.state.findByEmail(SEED.sharedEmail).map((c) => c.id)).toEqual([...SEED.sharedEmailContactIds]);
    expect(sb.state.mergedInto(SEED.merged.id)).toBe(SEED.user.id);
    expect(sb.state.findByExternalId(SEED.merged.externalId)).toBeUndefined();
    expect(sb.state.getContact(SEED.lead.id)).toMatchObject({ role: "lead" });
    expect(sb.state.getCompany(SEED.company.id)).toMatchObject({ company_id: "366", name: "Serenity" });
    expect(sb.state.companiesOf(SEED.user.id).map((c) => c.id)).toEqual([SEED.company.id, SEED.secondCompany.id]);
    expect(sb.state.getCompany(SEED.unattachedCompany.id)).toMatchObject({ user_count: 0 });
    expect(sb.state.getContact(SEED.unknownId)).toBeUndefined();
    expect(sb.state.tagsOf(SEED.user.id).map((t) => t.name)).toEqual(["Sync"]);
    expect(sb.state.segmentsOf(SEED.user.id)).toHaveLength(3);
    expect(sb.state.listContacts().length).toBe(createSeedData().contacts.length);
  });

  it("has admins, data attributes of every kind, tags and an archived contact, and SEED names them", () => {
    const d = createSeedData();
    expect(d.admins.map((a) => a.id)).toEqual(SEED.admins.map((a) => a.id));
    expect(d.admins.filter((a) => a.away_mode_enabled)).toHaveLength(1);
    // Every owner and tag applier is an admin of the workspace.
    const adminIds = new Set(d.admins.map((a) => a.id));
    for (const c of d.contacts) if (c.owner_id !== null) expect(adminIds.has(String(c.owner_id))).toBe(true);
    for (const t of d.tags) expect(adminIds.has(t.applied_by)).toBe(true);
    const contactAttr = (name: string) => d.data_attributes.find((a) => a.model === "contact" && a.name === name)!;
    const A = SEED.dataAttributes;
    for (const type of ["string", "integer", "float", "boolean", "date"] as const)
      expect(contactAttr(A[type])).toMatchObject({
        data_type: type,
        archived: false,
        api_writable: true,
        options: null,
      });
    expect(contactAttr(A.list.name)).toMatchObject({ data_type: "string", options: [...A.list.options] });
    expect(contactAttr(A.archived).archived).toBe(true);
    expect(contactAttr(A.readOnly).api_writable).toBe(false);
    expect(new Set(d.data_attributes.map((a) => a.id)).size).toBe(d.data_attributes.length);
    expect(SEED.contactAttributes).not.toContain(A.archived);
    expect(SEED.contactAttributes).not.toContain(A.readOnly);
    expect(Object.values(SEED.tags).map((t) => t.name)).toEqual([...SEED.tagNames]);
    for (const t of Object.values(SEED.tags)) expect(d.tags).toContainEqual(expect.objectContaining(t));
    const archived = d.contacts.find((c) => c.id === SEED.archived.id)!;
    expect(archived).toMatchObject({
      archived: true,
      external_id: SEED.archived.externalId,
      email: SEED.archived.email,
      merged_into: null,
    });
    expect(d.contacts.filter((c) => c.archived)).toHaveLength(1);
    // Seeded values respect the attributes they are stored under.
    for (const c of d.contacts)
      for (const [name, value] of Object.entries(c.custom_attributes)) {
        const attr = contactAttr(name);
        expect(attr, name).toBeDefined();
        if (attr.options && value !== null) expect(attr.options).toContain(value);
      }
  });

  it("gives inspection results that are copies (changing them changes nothing)", async () => {
    const { sb } = await start();
    const c = sb.state.getContact(SEED.user.id)!;
    c.name = "mutated";
    sb.state.snapshot().contacts[0]!.name = "mutated";
    expect(sb.state.getContact(SEED.user.id)!.name).toBe("Joe Example");
  });
});

describe("admin routes", () => {
  it("need the token", async () => {
    const { call } = await start();
    expectError(await call("GET", `/__sandbox/contacts/${SEED.user.id}`, { token: "nope" }), 401, "unauthorized");
    expectError(await call("POST", "/__sandbox/reset", { token: null }), 401, "unauthorized");
  });

  it("show a contact, find by external id and email, and list companies", async () => {
    const { call } = await start();
    const c = await call("GET", `/__sandbox/contacts/${SEED.merged.id}`);
    expect(c.body).toMatchObject({ id: SEED.merged.id, merged_into: SEED.user.id });
    const byExt = await call("GET", "/__sandbox/contacts?external_id=25");
    expect(byExt.body.data.map((x: { id: string }) => x.id)).toEqual([SEED.user.id]);
    const byEmail = await call("GET", `/__sandbox/contacts?email=${encodeURIComponent(SEED.sharedEmail)}`);
    expect(byEmail.body.total_count).toBe(2);
    const cos = await call("GET", `/__sandbox/contacts/${SEED.user.id}/companies`);
    expect(cos.body.data.map((x: { company_id: string }) => x.company_id)).toEqual(["366", "6"]);
    const co = await call("GET", "/__sandbox/companies?company_id=366");
    expect(co.body.data[0].id).toBe(SEED.company.id);
    expectError(await call("GET", `/__sandbox/contacts/${SEED.unknownId}`), 404, "not_found");
    expectError(await call("GET", "/__sandbox/nothing"), 404, "not_found");
  });

  it("let another process see a change made through the Intercom routes, and reset it", async () => {
    const { call } = await start();
    await call("PUT", `/contacts/${SEED.user.id}`, { body: { name: "Changed" } });
    expect((await call("GET", `/__sandbox/contacts/${SEED.user.id}`)).body.name).toBe("Changed");
    const log = await call("GET", "/__sandbox/requests");
    expect(log.body.data.map((r: { method: string; route: string }) => `${r.method} ${r.route}`)).toEqual([
      "PUT /contacts/:contact_id",
    ]);
    expect((await call("POST", "/__sandbox/reset")).status).toBe(200);
    expect((await call("GET", `/__sandbox/contacts/${SEED.user.id}`)).body.name).toBe("Joe Example");
    expect((await call("GET", "/__sandbox/requests")).body.data).toEqual([]);
    const state = await call("GET", "/__sandbox/state");
    expect(state.body.format).toBe("intercom-kit-sandbox-state");
  });
});

describe("state file", () => {
  it("is created from the seed, written after each change, and loaded on restart", async () => {
    const file = join(dir, "a.json");
    const first = await start({ stateFile: file });
    expect(JSON.parse(readFileSync(file, "utf8")).contacts).toHaveLength(createSeedData().contacts.length);
    await first.call("PUT", `/contacts/${SEED.user.id}`, {
      body: { name: "Persisted", unsubscribed_from_emails: true },
    });
    const co = await first.call("POST", "/companies", { body: { company_id: "persist-co", name: "Persist Co" } });
    await first.call("POST", `/contacts/${SEED.user.id}/companies`, { body: { id: co.body.id } });
    const onDisk = JSON.parse(readFileSync(file, "utf8"));
    expect(onDisk.contacts.find((c: { id: string }) => c.id === SEED.user.id).name).toBe("Persisted");
    await first.sb.stop();

    const second = await start({ stateFile: file });
    expect(second.sb.state.getContact(SEED.user.id)).toMatchObject({
      name: "Persisted",
      unsubscribed_from_emails: true,
    });
    expect(second.sb.state.companiesOf(SEED.user.id).map((c) => c.company_id)).toContain("persist-co");
    // New ids continue after the persisted counter: no clash with the company created before the restart.
    const co2 = await second.call("POST", "/companies", { body: { company_id: "persist-co-2" } });
    expect(co2.body.id).not.toBe(co.body.id);
    // reset() goes back to the seed and writes it.
    second.sb.reset();
    expect(
      JSON.parse(readFileSync(file, "utf8")).contacts.find((c: { id: string }) => c.id === SEED.user.id).name,
    ).toBe("Joe Example");
  });

  it("is written atomically: replaced by rename, never seen partial by another process, no temp file left", async () => {
    const file = join(dir, "b.json");
    const { call } = await start({ stateFile: file });
    // A rename gives the path a new inode; an in-place rewrite would keep it.
    const ino = statSync(file).ino;
    await call("PUT", `/contacts/${SEED.user.id}`, { body: { name: "Renamed" } });
    expect(statSync(file).ino).not.toBe(ino);

    // Another process reads the file in a tight loop while we write it 40 times.
    const reader = spawn(
      process.execPath,
      [
        "-e",
        `const fs=require("fs");let ok=0,bad=0;const end=Date.now()+1000;process.stdout.write("R");
         while(Date.now()<end){try{JSON.parse(fs.readFileSync(process.argv[1],"utf8"));ok++}catch{bad++}}
         process.stdout.write(JSON.stringify({ok,bad}))`,
        file,
      ],
      { stdio: ["ignore", "pipe", "inherit"] },
    );
    let out = "";
    let closed = false;
    const ready = new Promise<void>((resolve) =>
      reader.stdout.on("data", (d) => {
        out += d;
        resolve();
      }),
    );
    const exited = new Promise<number | null>((resolve) =>
      reader.on("close", (code) => {
        closed = true;
        resolve(code);
      }),
    );
    await ready;
    let writes = 0;
    while (!closed && writes < 2000) {
      await call("PUT", `/contacts/${SEED.user.id}`, { body: { name: `Name ${writes}` } });
      writes++;
    }
    expect(await exited).toBe(0);
    expect(writes).toBeGreaterThanOrEqual(5);
    const { ok, bad } = JSON.parse(out.slice(1));
    expect(bad).toBe(0);
    expect(ok).toBeGreaterThan(0);
    expect(readdirSync(dir).filter((f) => f.includes(".tmp"))).toEqual([]);
    expect(JSON.parse(readFileSync(file, "utf8")).contacts[0].name).toBe(`Name ${writes - 1}`);
  });

  it("keeps archive, tag and data attribute changes across a restart", async () => {
    const file = join(dir, "c.json");
    const first = await start({ stateFile: file });
    await first.call("POST", `/contacts/${SEED.plainUser.id}/archive`);
    const tag = await first.call("POST", "/tags", { body: { name: "Persisted tag" } });
    await first.call("POST", `/contacts/${SEED.user.id}/tags`, { body: { id: tag.body.id } });
    await first.call("POST", "/data_attributes", {
      body: { name: "persisted_attr", model: "contact", data_type: "float" },
    });
    await first.sb.stop();
    const second = await start({ stateFile: file });
    expect(second.sb.state.isArchived(SEED.plainUser.id)).toBe(true);
    expect(second.sb.state.tagsOf(SEED.user.id).map((t) => t.name)).toEqual(["Sync", "Persisted tag"]);
    const put = await second.call("PUT", `/contacts/${SEED.user.id}`, {
      body: { custom_attributes: { persisted_attr: 1.5 } },
    });
    expect(put.status, put.text).toBe(200);
    // New ids continue after the persisted ones.
    const next = await second.call("POST", "/tags", { body: { name: "Another" } });
    expect(Number(next.body.id)).toBeGreaterThan(Number(tag.body.id));
  });

  it("upgrades a state written before archive, admins and attribute details existed", async () => {
    const file = join(dir, "old.json");
    const old = createSeedData() as unknown as Record<string, unknown> & {
      contacts: Record<string, unknown>[];
      data_attributes: Record<string, unknown>[];
    };
    delete old.admins;
    for (const c of old.contacts) delete c.archived;
    old.data_attributes = old.data_attributes.map((a) => ({ name: a.name, model: a.model, data_type: a.data_type }));
    old.data_attributes.push({ name: "legacy_only", model: "contact", data_type: "integer" });
    writeFileSync(file, JSON.stringify(old));
    const { sb, call } = await start({ stateFile: file });
    expect(sb.state.isArchived(SEED.archived.id)).toBe(false);
    expect(sb.state.admins()).toHaveLength(3);
    expect((await call("GET", `/contacts/${SEED.user.id}`)).status).toBe(200);
    const ok = await call("PUT", `/contacts/${SEED.user.id}`, {
      body: { owner_id: 321453, custom_attributes: { legacy_only: 3, subscription: "pro" } },
    });
    expect(ok.status, ok.text).toBe(200);
    const attrs = await call("GET", "/data_attributes");
    const ids = attrs.body.data.filter((a: { custom: boolean }) => a.custom).map((a: { id: number }) => a.id);
    expect(ids.every((id: unknown) => Number.isInteger(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("refuses a file that is not a sandbox state, naming it", async () => {
    const bad = join(dir, "bad.json");
    writeFileSync(bad, '{"hello": 1}');
    await expect(startSandbox({ stateFile: bad })).rejects.toThrow(/bad\.json is not an intercom-kit sandbox state/);
    writeFileSync(bad, "{not json");
    await expect(startSandbox({ stateFile: bad })).rejects.toThrow(/bad\.json is not valid JSON/);
  });
});

describe("options", () => {
  it.each([
    [{ port: -1 }, /options\.port/],
    [{ rateLimitPerMinute: 0 }, /options\.rateLimitPerMinute/],
    [{ latencyMs: -5 }, /options\.latencyMs/],
    [{ token: "has space" }, /options\.token/],
    [{ defaultVersion: "9.9" }, /options\.defaultVersion/],
  ])("rejects %j", async (opts, msg) => {
    await expect(startSandbox(opts)).rejects.toThrow(msg);
  });

  it("listens on a given port, and uses the given token", async () => {
    const probe = await startSandbox();
    const port = probe.port;
    await probe.stop();
    const { sb, call } = await start({ port, token: "fixed-token" });
    expect(sb.url).toBe(`http://127.0.0.1:${port}`);
    expect(sb.token).toBe("fixed-token");
    expect((await call("GET", `/contacts/${SEED.user.id}`)).status).toBe(200);
  });

  it("stop() closes the port (idempotently)", async () => {
    const sb = await startSandbox();
    await sb.stop();
    await sb.stop();
    await expect(fetch(`${sb.url}/contacts/x`)).rejects.toThrow();
  });
});

describe("options.data", () => {
  it("starts from the given state (copied), and reset() returns to it", async () => {
    const data = createSeedData();
    data.contacts[0]!.name = "From data";
    const { sb, call } = await start({ data });
    data.contacts[0]!.name = "mutated after start";
    expect((await call("GET", `/contacts/${SEED.user.id}`)).body.name).toBe("From data");
    await call("PUT", `/contacts/${SEED.user.id}`, { body: { name: "Changed" } });
    sb.reset();
    expect(sb.state.getContact(SEED.user.id)!.name).toBe("From data");
  });

  it("refuses something that is not a state", async () => {
    await expect(startSandbox({ data: { contacts: [] } as never })).rejects.toThrow(
      /options\.data is not a sandbox state/,
    );
  });
});
