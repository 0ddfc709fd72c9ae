import type { FieldSpec, IntercomClient, UpdateUserOptions, UpdateUserResult } from "@intercom-kit/domain";
import { describe, expectTypeOf, it } from "vitest";
import type { runBulkCommand } from "../../src/bulk/command.js";
import type { BulkIo, BulkOptions, RunBulkCommand } from "../../src/bulk-options.js";
import type { Backend } from "../../src/services/backend.js";
import { createUserAction, type UserAction } from "../../src/services/user-action.js";

describe("types the CLI wiring relies on", () => {
  it("the bulk runner matches the contract in bulk-options.ts", () => {
    expectTypeOf<typeof runBulkCommand>().toExtend<RunBulkCommand>();
    expectTypeOf<Parameters<RunBulkCommand>>().toEqualTypeOf<[BulkOptions, BulkIo]>();
    expectTypeOf<BulkOptions["createClient"]>().toEqualTypeOf<Backend["createClient"]>();
  });

  it("the UI's action is the domain's functions, bound to a client", () => {
    expectTypeOf(createUserAction).returns.toEqualTypeOf<UserAction>();
    expectTypeOf<Parameters<typeof createUserAction>[0]>().toEqualTypeOf<
      IntercomClient | (() => IntercomClient | Promise<IntercomClient>)
    >();
    expectTypeOf<UserAction["update"]>().returns.resolves.toEqualTypeOf<UpdateUserResult>();
    expectTypeOf<Parameters<UserAction["update"]>[1]>().toEqualTypeOf<UpdateUserOptions | undefined>();
    expectTypeOf<UserAction["fields"]>().toEqualTypeOf<readonly FieldSpec[]>();
    const neverCalled = (action: UserAction) => {
      // @ts-expect-error the form hands over validated input only: a monthly spend is a number, not form text
      void action.update({ userId: "25", companyMonthlySpend: "155" });
    };
    expectTypeOf(neverCalled).toBeFunction();
  });
});
