import { describe, expect, expectTypeOf, it } from "vitest";
import type { components, paths } from "../src/generated/intercom.js";
import type { components as components216, paths as paths216 } from "../src/generated/intercom-2.16.js";
import {
  type Admin,
  type AdminList,
  type Company,
  type CompanyList,
  type Contact,
  type ContactArchiveState,
  type ContactList,
  type CreateDataAttributeBody,
  createIntercomClient,
  type DataAttribute,
  type DataAttributeList,
  type IntercomClient,
  type IntercomFailure,
  type IntercomResult,
  isRegion,
  type Region,
  type RequestEvent,
  type Tag,
  type UpdateContactBody,
  type WorkspaceTagList,
} from "../src/index.js";

type JsonBody<T> = T extends { requestBody?: { content: { "application/json": infer B } } } ? B : never;

// Compile-time checks: `tsc --noEmit` (the package typecheck) covers test files. The runtime test only makes sure
// the file is part of the run.
describe("types", () => {
  it("results narrow on ok and failures on kind", () => {
    const narrow = (r: IntercomResult<Contact>) => {
      if (r.ok) {
        expectTypeOf(r.data).toEqualTypeOf<Contact>();
        expectTypeOf(r.attempts).toEqualTypeOf<number>();
        // @ts-expect-error a success has no error
        r.error;
      } else {
        expectTypeOf(r.error).toEqualTypeOf<IntercomFailure>();
        if (r.error.kind === "http") {
          expectTypeOf(r.error.status).toEqualTypeOf<number>();
          expectTypeOf(r.error.link).toEqualTypeOf<string | null>();
        }
        if (r.error.kind === "timeout") expectTypeOf(r.error.timeoutMs).toEqualTypeOf<number>();
        if (r.error.kind === "network") {
          // @ts-expect-error a network failure has no status
          r.error.status;
        }
      }
    };
    expect(typeof narrow).toBe("function");
  });

  it("methods return the generated models and take typed bodies", () => {
    const c: IntercomClient = createIntercomClient({ token: "tok_types_only_123" });
    expectTypeOf(c.getContact).returns.resolves.toEqualTypeOf<IntercomResult<Contact>>();
    expectTypeOf(c.searchContacts).returns.resolves.toEqualTypeOf<IntercomResult<ContactList>>();
    expectTypeOf(c.attachCompany).returns.resolves.toEqualTypeOf<IntercomResult<Company>>();
    // The bodies the client takes are the generated ones (updateContact's accepts both versions, below).
    expectTypeOf<Parameters<IntercomClient["updateContact"]>[1]>().toEqualTypeOf<UpdateContactBody>();
    expectTypeOf<Parameters<IntercomClient["searchContacts"]>[0]>().toEqualTypeOf<
      JsonBody<paths["/contacts/search"]["post"]>
    >();
    expectTypeOf<Parameters<IntercomClient["createOrUpdateCompany"]>[0]>().toEqualTypeOf<
      NonNullable<JsonBody<paths["/companies"]["post"]>>
    >();
    expectTypeOf<UpdateContactBody["unsubscribed_from_emails"]>().toEqualTypeOf<boolean | null | undefined>();
    const typed = () => {
      // @ts-expect-error name is a string
      c.updateContact("id", { name: 42 });
      // @ts-expect-error no such field on update_contact_request
      c.updateContact("id", { companies: [] });
      // @ts-expect-error monthly_spend is a number
      c.createOrUpdateCompany({ company_id: "a", monthly_spend: "10" });
      // @ts-expect-error the token is not a property of the client
      c.token;
    };
    expect(typeof typed).toBe("function");
  });

  it("UpdateContactBody fits the 2.15 body with a numeric owner_id, and the 2.16 one with a string and email_verified", () => {
    type Body215 = NonNullable<JsonBody<paths["/contacts/{contact_id}"]["put"]>>;
    type Body216 = NonNullable<JsonBody<paths216["/contacts/{contact_id}"]["put"]>>;
    type As215 = Omit<UpdateContactBody, "owner_id" | "email_verified"> & { owner_id?: number | null };
    type As216 = Omit<UpdateContactBody, "owner_id"> & { owner_id?: string | null };
    expectTypeOf<As215>().toExtend<Body215>();
    expectTypeOf<As216>().toExtend<Body216>();
    expectTypeOf<UpdateContactBody["owner_id"]>().toEqualTypeOf<number | string | null | undefined>();
    expectTypeOf<UpdateContactBody["email_verified"]>().toEqualTypeOf<boolean | null | undefined>();
    // Every other field is the generated one, in both versions.
    expectTypeOf<Omit<UpdateContactBody, "owner_id" | "email_verified">>().toEqualTypeOf<Omit<Body215, "owner_id">>();
    expectTypeOf<Omit<UpdateContactBody, "owner_id" | "email_verified">>().toEqualTypeOf<
      Omit<Body216, "owner_id" | "email_verified">
    >();
    // The mistakes each version's body catches are still caught.
    expectTypeOf<{ owner_id: string }>().not.toExtend<Body215>();
    expectTypeOf<{ owner_id: number }>().not.toExtend<Body216>();
    expectTypeOf<{ email_verified: true }>().not.toExtend<Body215>();
    const typed = (c: IntercomClient) => {
      c.updateContact("id", { owner_id: 42 });
      c.updateContact("id", { owner_id: "42", email: "a@b.co", email_verified: true });
      // @ts-expect-error owner_id is a number or a string
      c.updateContact("id", { owner_id: true });
    };
    expect(typeof typed).toBe("function");
  });

  it("a 2.15 and a 2.16 contact are both a Contact", () => {
    expectTypeOf<components["schemas"]["contact_with_push"]>().toExtend<Contact>();
    expectTypeOf<components216["schemas"]["contact_with_push"]>().toExtend<Contact>();
    expectTypeOf<components["schemas"]["contact"]>().toExtend<NonNullable<ContactList["data"]>[number]>();
    expectTypeOf<components216["schemas"]["contact"]>().toExtend<NonNullable<ContactList["data"]>[number]>();
    expectTypeOf<NonNullable<ContactList["data"]>[number]>().toExtend<Contact>();
    expectTypeOf<Contact["owner_id"]>().toEqualTypeOf<number | string | null | undefined>();
    expectTypeOf<Contact["email"]>().toEqualTypeOf<string | undefined>();
  });

  it("CreateDataAttributeBody is one object, and each kind of it is the official oneOf", () => {
    type Official = NonNullable<JsonBody<paths["/data_attributes"]["post"]>>;
    expectTypeOf<Official>().toEqualTypeOf<components["schemas"]["create_data_attribute_request"]>();
    type List = CreateDataAttributeBody & { data_type: "options"; options: { value: string }[] };
    type Plain = Omit<CreateDataAttributeBody, "options"> & {
      data_type: "string" | "integer" | "float" | "boolean" | "datetime" | "date";
    };
    expectTypeOf<List>().toExtend<Official>();
    expectTypeOf<Plain>().toExtend<Official>();
    expectTypeOf<CreateDataAttributeBody["data_type"]>().toEqualTypeOf<
      "options" | "string" | "integer" | "float" | "boolean" | "datetime" | "date"
    >();
    expectTypeOf<CreateDataAttributeBody["model"]>().toEqualTypeOf<"contact" | "company">();
    const usable = (dataType: CreateDataAttributeBody["data_type"], options?: { value: string }[]) => {
      const body: CreateDataAttributeBody = { name: "tier", model: "contact", data_type: dataType, description: "x" };
      if (options) body.options = options;
      // @ts-expect-error model is contact or company
      const bad: CreateDataAttributeBody = { name: "tier", model: "conversation", data_type: "string" };
      return [body, bad];
    };
    expect(typeof usable).toBe("function");
  });

  it("the new methods return the generated models", () => {
    const c: IntercomClient = createIntercomClient({ token: "tok_types_only_123" });
    expectTypeOf(c.getCompany).returns.resolves.toEqualTypeOf<IntercomResult<Company>>();
    expectTypeOf(c.findCompanyByCompanyId).returns.resolves.toEqualTypeOf<IntercomResult<CompanyList>>();
    expectTypeOf(c.listDataAttributes).returns.resolves.toEqualTypeOf<IntercomResult<DataAttributeList>>();
    expectTypeOf(c.createDataAttribute).returns.resolves.toEqualTypeOf<IntercomResult<DataAttribute>>();
    expectTypeOf(c.listTags).returns.resolves.toEqualTypeOf<IntercomResult<WorkspaceTagList>>();
    expectTypeOf(c.createTag).returns.resolves.toEqualTypeOf<IntercomResult<Tag>>();
    expectTypeOf(c.tagContact).returns.resolves.toEqualTypeOf<IntercomResult<Tag>>();
    expectTypeOf(c.untagContact).returns.resolves.toEqualTypeOf<IntercomResult<Tag>>();
    expectTypeOf(c.archiveContact).returns.resolves.toEqualTypeOf<IntercomResult<ContactArchiveState>>();
    expectTypeOf(c.unarchiveContact).returns.resolves.toEqualTypeOf<IntercomResult<ContactArchiveState>>();
    expectTypeOf(c.listAdmins).returns.resolves.toEqualTypeOf<IntercomResult<AdminList>>();
    expectTypeOf<Parameters<IntercomClient["listDataAttributes"]>[0]>().toEqualTypeOf<"contact" | "company">();
    // Answers of both versions fit the models.
    expectTypeOf<components216["schemas"]["tag_create_response"]>().toExtend<Tag>();
    expectTypeOf<components["schemas"]["tag_basic"]>().toExtend<Tag>();
    expectTypeOf<components216["schemas"]["admin_list"]>().toExtend<AdminList>();
    expectTypeOf<ContactArchiveState>().toHaveProperty("archived");
    expectTypeOf<Admin["id"]>().toEqualTypeOf<string | undefined>();
    const typed = () => {
      // @ts-expect-error conversation attributes are not for this client
      c.listDataAttributes("conversation");
      // @ts-expect-error includeArchived is a boolean
      c.listDataAttributes("contact", { includeArchived: "yes" });
    };
    expect(typeof typed).toBe("function");
  });

  it("events carry why and how many retries are left; isRegion narrows", () => {
    expectTypeOf<RequestEvent["outcome"]>().toEqualTypeOf<"ok" | "retry" | "failed" | "wait">();
    expectTypeOf<RequestEvent["reason"]>().toEqualTypeOf<
      "rate_limited" | "server_error" | "timeout" | "network" | "pacing" | undefined
    >();
    expectTypeOf<RequestEvent["retriesLeft"]>().toEqualTypeOf<number | null>();
    const narrow = (x: unknown) => {
      if (isRegion(x)) expectTypeOf(x).toEqualTypeOf<Region>();
    };
    expect(typeof narrow).toBe("function");
  });
});
