/** The domain's hints name options in words; the CLI adds the flag a shell user types. */
import { ARCHIVED_HINT, type UpdateUserError } from "@intercom-kit/domain";
import { describe, expect, it } from "vitest";
import { flagHints } from "../../src/services/update-run.js";

const base = (over: Partial<UpdateUserError>): UpdateUserError => ({
  kind: "invalid_input",
  message: "m",
  hint: "h",
  requestId: null,
  ...over,
});

describe("flagHints", () => {
  it.each([
    [
      "an attribute the workspace lacks -> --create-attributes",
      base({
        problems: [
          {
            kind: "invalid_input",
            field: "customAttributes",
            label: "Custom attributes",
            message: "x",
            creatable: true,
          },
        ],
      }),
      ["In flags: --create-attributes creates the missing custom attributes."],
    ],
    [
      "a near miss is not creatable: no hint",
      base({
        problems: [{ kind: "invalid_input", field: "customAttributes", label: "Custom attributes", message: "x" }],
      }),
      [],
    ],
    ["a timeout -> --timeout", base({ kind: "timeout" }), ["In flags: --timeout <seconds> allows more time."]],
    [
      "a user not found who may be archived -> --intercom-id with --unarchive",
      base({ kind: "not_found", hint: `Check the value; ${ARCHIVED_HINT}` }),
      ["In flags: --intercom-id <id> --unarchive restores an archived user."],
    ],
  ])("%s", (_name, error, want) => {
    expect(flagHints(error)).toEqual(want);
  });
});
