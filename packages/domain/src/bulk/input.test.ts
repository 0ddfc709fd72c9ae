import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { FIELDS } from "../fields.js";
import { BULK_COLUMNS, detectBulkFormat, formatBulkInputError, parseBulkInput, rowHash } from "./input.js";

function rowsOf(text: string | Uint8Array, name?: string) {
  const parsed = parseBulkInput(text, name === undefined ? {} : { name });
  if (!parsed.ok) throw new Error(parsed.errors.map(formatBulkInputError).join("\n"));
  return parsed.rows;
}

describe("parseBulkInput: CSV", () => {
  const cases: Array<[string, { given: string; want: Array<{ row: number; line: number; input: object }> }]> = [
    [
      "plain, empty cells are unset",
      {
        given: "user-id,name,unsubscribed\n1,Ada,\n2,,false\n",
        want: [
          { row: 1, line: 2, input: { userId: "1", name: "Ada" } },
          { row: 2, line: 3, input: { userId: "2", unsubscribedFromEmails: "false" } },
        ],
      },
    ],
    [
      "BOM and CRLF",
      {
        given: "\uFEFFintercom-id,name\r\nc1,Ada\r\nc2,Bob\r\n",
        want: [
          { row: 1, line: 2, input: { intercomId: "c1", name: "Ada" } },
          { row: 2, line: 3, input: { intercomId: "c2", name: "Bob" } },
        ],
      },
    ],
    [
      "quotes, commas and embedded newlines (CRLF inside quotes counts as one line)",
      {
        given: 'user-id,name\r\n1,"Smith, ""Jo"""\r\n2,"two\r\nlines"\r\n3,after\r\n',
        want: [
          { row: 1, line: 2, input: { userId: "1", name: 'Smith, "Jo"' } },
          { row: 2, line: 3, input: { userId: "2", name: "two\r\nlines" } },
          { row: 3, line: 5, input: { userId: "3", name: "after" } },
        ],
      },
    ],
    [
      "blank lines and all-empty rows are not rows; no trailing newline",
      {
        given: "user-id,name\n\n1,Ada\n,\n2,Bob",
        want: [
          { row: 1, line: 3, input: { userId: "1", name: "Ada" } },
          { row: 2, line: 5, input: { userId: "2", name: "Bob" } },
        ],
      },
    ],
    [
      "header names are trimmed; a trailing unnamed empty column is allowed",
      {
        given: " email , new-email ,\na@example.com,b@example.com,\n",
        want: [{ row: 1, line: 2, input: { lookupEmail: "a@example.com", email: "b@example.com" } }],
      },
    ],
    [
      "attr.<name> cells are text (typed later from the workspace); the attr column takes pairs like a form",
      {
        given: 'user-id,attr.seats,attr.code,attr\n1,3,"""007""",plan=pro;trial=true\n',
        want: [
          {
            row: 1,
            line: 2,
            input: { userId: "1", customAttributes: { seats: "3", code: "007", plan: "pro", trial: "true" } },
          },
        ],
      },
    ],
    [
      "attr column may hold a JSON object, read by the same parser as a form",
      {
        given: 'user-id,attr\n1,"{""plan"":""pro"",""seats"":3}"\n',
        want: [{ row: 1, line: 2, input: { userId: "1", customAttributes: { plan: "pro", seats: 3 } } }],
      },
    ],
    [
      "name:type in the attr column records the type for creating",
      {
        given: "user-id,attr\n1,seats:integer=3\n",
        want: [
          {
            row: 1,
            line: 2,
            input: { userId: "1", customAttributes: { seats: "3" }, attributeTypes: { seats: "integer" } },
          },
        ],
      },
    ],
    [
      "tag and untag cells hold ;-separated names",
      {
        given: "user-id,tag,untag\n1,VIP;Beta,Old\n",
        want: [{ row: 1, line: 2, input: { userId: "1", tags: "VIP;Beta", untags: "Old" } }],
      },
    ],
  ];
  it.each(cases)("%s", (_name, { given, want }) => {
    expect(rowsOf(given).map(({ row, line, input }) => ({ row, line, input }))).toEqual(want);
  });

  it("reads bytes as UTF-8 (a Buffer with a BOM and non-ASCII text)", () => {
    const rows = rowsOf(Buffer.from("\uFEFFuser-id,name\n1,Zoë\n", "utf8"));
    expect(rows[0]?.input).toEqual({ userId: "1", name: "Zoë" });
  });

  it("names unknown columns, suggesting the flag name for camelCase or snake_case", () => {
    const parsed = parseBulkInput("userId,nmae,company_id\n1,x,y\n", { format: "csv" });
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.errors.map((e) => e.column)).toEqual(["userId", "nmae", "company_id"]);
    expect(parsed.errors[0]?.message).toContain('did you mean "user-id"');
    expect(parsed.errors[1]?.message).toContain('unknown column "nmae"');
    expect(parsed.errors[2]?.message).toContain('did you mean "company-id"');
  });

  it("rejects a repeated column, an empty file and a file with only a header", () => {
    for (const given of ["name,name\n1,2\n", "", "user-id,name\n"]) {
      const parsed = parseBulkInput(given, { format: "csv" });
      expect(parsed.ok, given).toBe(false);
    }
  });

  it("reports malformed CSV (unclosed quote) as a file error", () => {
    const parsed = parseBulkInput('user-id,name\n1,"open\n', { format: "csv" });
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.errors[0]?.message).toMatch(/^CSV: .*Quote/);
  });

  it("a row with too many cells or a value under an unnamed column is that row's problem", () => {
    const rows = rowsOf("user-id,name,\n1,a,b\n2,a\n3,a,b,c\n");
    expect(rows.map((r) => [r.row, r.line, r.errors?.[0]?.message ?? null])).toEqual([
      [1, 2, "column 3 has no name in the header but holds a value"],
      [2, 3, null],
      [3, 4, "has 4 cells but the header has 3 columns"],
    ]);
  });

  it("a bad attr cell is a row error naming the field", () => {
    const rows = rowsOf("user-id,attr\n1,novalue\n");
    expect(rows[0]?.errors?.[0]).toMatchObject({
      field: "customAttributes",
      message: expect.stringContaining("name=value"),
    });
  });

  it("every field of the table is a column named by its flag", () => {
    for (const f of FIELDS) expect(BULK_COLUMNS).toContain(f.flag);
  });
});

describe("parseBulkInput: NDJSON", () => {
  it("reads typed values, skips blank lines, tolerates CRLF and BOM", () => {
    const text =
      '\uFEFF{"user-id": 42, "unsubscribed": false, "company-id": "c1", "company-monthly-spend": 99}\r\n\r\n' +
      '{"intercom-id": "abc", "attr": {"plan": "pro"}, "attr.seats": 3, "name": null}\n';
    expect(rowsOf(text, "x.ndjson").map(({ row, line, input }) => ({ row, line, input }))).toEqual([
      {
        row: 1,
        line: 1,
        input: { userId: "42", unsubscribedFromEmails: false, companyId: "c1", companyMonthlySpend: 99 },
      },
      { row: 2, line: 3, input: { intercomId: "abc", customAttributes: { plan: "pro", seats: 3 } } },
    ]);
  });

  it("attr.<name> keeps the JSON type (a JSON string stays text)", () => {
    const rows = rowsOf('{"user-id":"1","attr.code":"007","attr.n":7}\n', "x.jsonl");
    expect(rows[0]?.input.customAttributes).toEqual({ code: "007", n: 7 });
  });

  it("a bad line, a non-object and an unknown key are row errors with row and line numbers", () => {
    const text = '{"user-id":"1","name":"a"}\n\n{"user-id": "2", name: b}\n[1]\n{"user-id":"4","nmae":"x"}\n';
    const rows = rowsOf(text, "x.ndjson");
    expect(rows.map((r) => [r.row, r.line, r.errors?.map((e) => `${e.label}: ${e.message}`)[0] ?? null])).toEqual([
      [1, 1, null],
      [2, 3, expect.stringMatching(/^Row: is not valid JSON/)],
      [3, 4, expect.stringMatching(/^Row: must be a JSON object/)],
      [4, 5, expect.stringMatching(/^Column "nmae": unknown column "nmae"/)],
    ]);
  });

  it("nested values other than attr objects are row errors", () => {
    const rows = rowsOf('{"user-id":"1","name":{"first":"a"}}\n', "x.ndjson");
    expect(rows[0]?.errors?.[0]?.message).toContain("must be text, a number, true/false or null");
  });
});

describe("format and hash", () => {
  it.each([
    ["a.csv", "{", "csv"],
    ["a.ndjson", "x", "ndjson"],
    ["a.JSONL", "x", "ndjson"],
    [undefined, '\uFEFF  {"a":1}', "ndjson"],
    [undefined, "user-id,name", "csv"],
  ] as const)("%s %j -> %s", (name, text, want) => {
    expect(detectBulkFormat(text, name)).toBe(want);
  });

  it("the hash ignores key order and changes with any value", () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.string(), (a, b, c) => {
        expect(rowHash({ userId: a, name: b })).toBe(rowHash({ name: b, userId: a }));
        if (b !== c) expect(rowHash({ userId: a, name: b })).not.toBe(rowHash({ userId: a, name: c }));
      }),
    );
    expect(rowHash({ customAttributes: { x: 1, y: 2 } })).toBe(rowHash({ customAttributes: { y: 2, x: 1 } }));
    expect(rowHash({ customAttributes: { x: 1 } })).not.toBe(rowHash({ customAttributes: { x: "1" } }));
  });

  it("the same row in CSV with CRLF or LF hashes the same", () => {
    const a = rowsOf("user-id,name\r\n1,Ada\r\n")[0]?.hash;
    const b = rowsOf('"user-id","name"\n"1","Ada"\n')[0]?.hash;
    expect(a).toBe(b);
    expect(a).toMatch(/^[0-9a-f]{16}$/);
  });
});

describe("CSV round trip (property)", () => {
  const quote = (s: string) => (/[",\r\n]/.test(s) || s !== s.trim() ? `"${s.replace(/"/g, '""')}"` : s);
  it("any names and phones, quoted as a spreadsheet would, read back exactly (blank = unset)", () => {
    const cell = fc.string({ unit: fc.constantFrom("a", "Z", " ", ",", '"', "\n", "\r", "é", "=", ";", "x") });
    fc.assert(
      fc.property(
        fc.array(fc.tuple(cell, cell), { minLength: 1, maxLength: 8 }),
        fc.boolean(),
        fc.boolean(),
        (rows, crlf, bom) => {
          const nl = crlf ? "\r\n" : "\n";
          const body = rows.map(([name, phone], i) => `${i + 1},${quote(name)},${quote(phone)}`).join(nl);
          const text = `${bom ? "\uFEFF" : ""}user-id,name,phone${nl}${body}${nl}`;
          const parsed = parseBulkInput(text, { format: "csv" });
          expect(parsed.ok).toBe(true);
          if (!parsed.ok) return;
          expect(parsed.rows).toHaveLength(rows.length);
          let line = 2;
          parsed.rows.forEach((r, i) => {
            const [name, phone] = rows[i] as [string, string];
            expect(r.row).toBe(i + 1);
            expect(r.line).toBe(line);
            line += 1 + `${name}${phone}`.split("\n").length - 1;
            expect(r.input.userId).toBe(String(i + 1));
            expect(r.input.name).toBe(name.trim() === "" ? undefined : name);
            expect(r.input.phone).toBe(phone.trim() === "" ? undefined : phone);
          });
        },
      ),
    );
  });
});
