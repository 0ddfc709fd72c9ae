import { describe, expect, expectTypeOf, it } from "vitest";
import type { paths } from "../src/generated/intercom.js";
import {
  type Company,
  type Contact,
  type ContactList,
  createIntercomClient,
  type IntercomClient,
  type IntercomFailure,
  type IntercomResult,
  type UpdateContactBody,
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
    // The bodies the client takes are exactly the generated ones.
    expectTypeOf<Parameters<IntercomClient["updateContact"]>[1]>().toEqualTypeOf<
      JsonBody<paths["/contacts/{contact_id}"]["put"]>
    >();
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
});
