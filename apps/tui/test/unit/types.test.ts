import type {
  ApplyOptions,
  BackendChoice,
  FieldSpec,
  PreparedUpdate,
  PrepareOptions,
  PrepareResult,
  UpdateUserResult,
} from "@intercom-kit/domain";
import type { BulkOptions as DomainBulkOptions } from "@intercom-kit/domain/bulk";
import { describe, expectTypeOf, it } from "vitest";
import type { BulkRun } from "../../src/services/bulk/run.js";
import { type ClientFactory, createUserAction, type UserAction } from "../../src/services/user-action.js";

describe("types the CLI wiring relies on", () => {
  it("the bulk run passes the domain's options through instead of declaring its own copy", () => {
    expectTypeOf<BulkRun["concurrency"]>().toEqualTypeOf<DomainBulkOptions["concurrency"]>();
    expectTypeOf<BulkRun["skipInvalid"]>().toEqualTypeOf<DomainBulkOptions["skipInvalid"]>();
    expectTypeOf<BulkRun["createMissingAttributes"]>().toEqualTypeOf<DomainBulkOptions["createMissingAttributes"]>();
    expectTypeOf<BulkRun["backend"]>().toEqualTypeOf<BackendChoice>();
  });

  it("the UI's action is the domain's prepare and apply, bound to a client", () => {
    expectTypeOf(createUserAction).parameters.toEqualTypeOf<[ClientFactory, string]>();
    expectTypeOf(createUserAction).returns.toEqualTypeOf<UserAction>();
    expectTypeOf<UserAction["prepare"]>().returns.resolves.toEqualTypeOf<PrepareResult>();
    expectTypeOf<Parameters<UserAction["prepare"]>[1]>().toEqualTypeOf<PrepareOptions | undefined>();
    expectTypeOf<Parameters<UserAction["apply"]>>().toEqualTypeOf<[PreparedUpdate, (ApplyOptions | undefined)?]>();
    expectTypeOf<UserAction["apply"]>().returns.resolves.toEqualTypeOf<UpdateUserResult>();
    expectTypeOf<UserAction["fields"]>().toEqualTypeOf<readonly FieldSpec[]>();
    const neverCalled = (action: UserAction, plan: PreparedUpdate) => {
      // @ts-expect-error apply takes the prepared plan, never raw input: what was reviewed is what is sent
      void action.apply({ userId: "25", name: "Ada" });
      void action.apply(plan);
    };
    expectTypeOf(neverCalled).toBeFunction();
  });
});
