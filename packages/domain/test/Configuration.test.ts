import { Arbitrary, Either, FastCheck as fc } from "effect"
import { createHash } from "node:crypto"
import { describe, expect, it } from "vitest"
import * as Configuration from "../src/Configuration.js"
import * as ContentHash from "../src/ContentHash.js"
import * as Json from "../src/Json.js"
import * as JsonPatch from "../src/JsonPatch.js"
import * as MergePatch from "../src/MergePatch.js"

const all = new Set(Configuration.domains)
const documents = Arbitrary.make(Configuration.Document).map(Configuration.toJson)

/** Any JSON value, small. */
const json: fc.Arbitrary<Json.Json> = fc.letrec<{ value: Json.Json }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small" },
    fc.constant(null),
    fc.boolean(),
    fc.integer(),
    fc.string({ maxLength: 6 }),
    fc.array(tie("value"), { maxLength: 3 }),
    fc.dictionary(fc.constantFrom("a", "b", "c", "d/e", "f~g"), tie("value"), { maxKeys: 4 })
  )
})).value

describe("a configuration document", () => {
  it("validates every document the schema's arbitrary generates", () => {
    fc.assert(fc.property(documents, (doc) => {
      expect(Configuration.validate(doc, all)).toEqual(Either.right(doc))
    }), { numRuns: 200 })
  })

  it("names the pointer and code of a mutated field, whatever else the document holds", () => {
    const mutations: ReadonlyArray<readonly [string, (d: Record<string, Json.Json>) => void, string]> = [
      ["/agent/language", (d) => (d["agent"] = { ...Configuration.empty.agent, language: "not a tag!" }), "invalid_language_tag"],
      ["/agent/voice", (d) => (d["agent"] = { ...Configuration.empty.agent, voice: "" }), "too_short"],
      ["/agent/model", (d) => (d["agent"] = { ...Configuration.empty.agent, model: 7 }), "invalid_type"],
      ["/telephony/caller_id", (d) => (d["telephony"] = { phone_number_ids: [], caller_id: "0212345678" }), "invalid_e164"],
      ["/call_limits/max_concurrent_calls", (d) => (d["call_limits"] = { max_concurrent_calls: 0, max_call_minutes: 5, daily_call_cap: 9 }), "out_of_range"],
      ["/call_limits/daily_call_cap", (d) => (d["call_limits"] = { max_concurrent_calls: 1, max_call_minutes: 5, daily_call_cap: 1.5 }), "not_integer"],
      ["/business_hours/weekly/1", (d) => (d["business_hours"] = {
        weekly: [{ day: "mon", open: "09:00", close: "12:00" }, { day: "mon", open: "11:00", close: "13:00" }],
        closed_dates: []
      }), "overlapping_hours"],
      ["/business_hours/weekly/0/close", (d) => (d["business_hours"] = {
        weekly: [{ day: "tue", open: "12:00", close: "09:00" }],
        closed_dates: []
      }), "empty_range"],
      ["/business_hours/closed_dates/0", (d) => (d["business_hours"] = { weekly: [], closed_dates: ["2026-02-30"] }), "invalid_date"],
      ["/transfer/targets/0/number", (d) => (d["transfer"] = { targets: [{ label: "desk", number: "12" }], fallback: "voicemail" }), "invalid_e164"],
      ["/transfer/fallback", (d) => (d["transfer"] = { targets: [], fallback: "sing" }), "not_allowed"],
      ["/consent_notice/notices/1", (d) => (d["consent_notice"] = {
        notices: [{ language: "en", text: "a" }, { language: "en", text: "b" }]
      }), "duplicate"],
      ["/knowledge/extra", (d) => (d["knowledge"] = { knowledge_base_ids: [], extra: 1 }), "unknown_field"],
      ["/telephony/caller_id", (d) => (d["telephony"] = { phone_number_ids: [] }), "required"],
      ["/nonsense", (d) => (d["nonsense"] = {}), "unknown_field"],
      ["/agent/instructions", (d) => (d["agent"] = { ...Configuration.empty.agent, instructions: "greet \u202Egnirts" }), "forbidden_character"],
      ["/agent/first_message", (d) => (d["agent"] = { ...Configuration.empty.agent, first_message: "hi\u0000" }), "forbidden_character"],
      ["/agent/voice", (d) => (d["agent"] = { ...Configuration.empty.agent, voice: "alto\nbass" }), "forbidden_character"],
      ["/consent_notice/notices/0/text", (d) => (d["consent_notice"] = {
        notices: [{ language: "en", text: "recorded\u0085" }]
      }), "forbidden_character"],
      ["/transfer/targets/0/label", (d) => (d["transfer"] = { targets: [{ label: "desk\tone", number: "+61212345678" }], fallback: "voicemail" }), "forbidden_character"]
    ]
    fc.assert(fc.property(documents, fc.constantFrom(...mutations), (doc, [pointer, mutate, code]) => {
      const broken: Record<string, Json.Json> = { ...doc }
      mutate(broken)
      const result = Configuration.validate(broken, all)
      expect(Either.isLeft(result)).toBe(true)
      if (Either.isLeft(result)) expect(result.left).toContainEqual(expect.objectContaining({ pointer, code }))
    }), { numRuns: 200 })
  })

  it("keeps line feeds and tabs where text may span lines", () => {
    const doc = { agent: { ...Configuration.empty.agent, instructions: "Greet the caller.\n\tThen ask how to help." } }
    expect(Configuration.validate(doc, all)).toEqual(Either.right(doc))
  })

  it("reports every error at once", () => {
    const result = Configuration.validate({
      agent: { instructions: "", first_message: "", language: "??", voice: "", model: "m" },
      call_limits: { max_concurrent_calls: -1, max_call_minutes: 0, daily_call_cap: 1 }
    }, all)
    expect(Either.isLeft(result) ? result.left.map((e) => `${e.pointer} ${e.code}`) : []).toEqual([
      "/agent/language invalid_language_tag",
      "/agent/voice too_short",
      "/call_limits/max_concurrent_calls out_of_range",
      "/call_limits/max_call_minutes out_of_range"
    ])
  })

  it("refuses a domain that is not enabled at its pointer", () => {
    const doc = { ...Configuration.empty, call_limits: { max_concurrent_calls: 1, max_call_minutes: 1, daily_call_cap: 1 } }
    const result = Configuration.validate(doc, new Set(["agent"]))
    expect(result).toEqual(Either.left([expect.objectContaining({ pointer: "/call_limits", code: "domain_not_enabled" })]))
  })

  it("never echoes a rejected value (a phone number stays out of errors)", () => {
    const result = Configuration.validate({ ...Configuration.empty, telephony: { phone_number_ids: [], caller_id: "+1234" } }, all)
    expect(JSON.stringify(result)).not.toContain("+1234")
  })
})

describe("merge patch and diff", () => {
  it("applies RFC 7396's own examples", () => {
    expect(MergePatch.apply({ a: "b" }, { a: "c" })).toEqual({ a: "c" })
    expect(MergePatch.apply({ a: "b" }, { b: "c" })).toEqual({ a: "b", b: "c" })
    expect(MergePatch.apply({ a: "b" }, { a: null })).toEqual({})
    expect(MergePatch.apply({ a: "b", b: "c" }, { a: null })).toEqual({ b: "c" })
    expect(MergePatch.apply({ a: ["b"] }, { a: "c" })).toEqual({ a: "c" })
    expect(MergePatch.apply({ a: { b: "c" } }, { a: { b: "d", c: null } })).toEqual({ a: { b: "d" } })
    expect(MergePatch.apply({ a: [{ b: "c" }] }, { a: [1] })).toEqual({ a: [1] })
    expect(MergePatch.apply({}, { a: { bb: { ccc: null } } })).toEqual({ a: { bb: {} } })
    expect(MergePatch.apply({ a: "foo" }, "bar")).toEqual("bar")
  })

  it("round-trips: applying the diff of a to b to a gives b", () => {
    fc.assert(fc.property(json, json, (a, b) => {
      expect(JsonPatch.apply(a, JsonPatch.diff(a, b))).toEqual(Either.right(b))
    }), { numRuns: 500 })
  })

  it("round-trips a merge patch of generated documents through their diff", () => {
    fc.assert(fc.property(documents, documents, (a, b) => {
      const patched = MergePatch.apply(a, b)
      expect(JsonPatch.apply(a, JsonPatch.diff(a, patched))).toEqual(Either.right(patched))
      expect(JsonPatch.diff(patched, patched)).toEqual([])
    }), { numRuns: 100 })
  })

  it("escapes pointer tokens (RFC 6901)", () => {
    expect(JsonPatch.diff({ "a/b": 1, "c~d": 1 }, { "a/b": 2 })).toEqual([
      { op: "replace", path: "/a~1b", value: 2 },
      { op: "remove", path: "/c~0d" }
    ])
  })

  it("refuses an operation whose path does not exist", () => {
    expect(Either.isLeft(JsonPatch.apply({}, [{ op: "replace", path: "/a/b", value: 1 }]))).toBe(true)
  })
})

describe("the content hash", () => {
  it("is SHA-256 of the canonical JSON, as node:crypto computes it", () => {
    fc.assert(fc.property(json, fc.string({ unit: "grapheme" }), (value, s) => {
      const text = Json.canonical(value) + s
      expect(ContentHash.sha256Hex(Json.utf8(text))).toBe(createHash("sha256").update(text, "utf8").digest("hex"))
    }), { numRuns: 300 })
  })

  it("does not depend on key order", () => {
    expect(ContentHash.of({ a: 1, b: { c: [1, 2], d: null } })).toBe(ContentHash.of({ b: { d: null, c: [1, 2] }, a: 1 }))
    expect(ContentHash.of({ a: 1 })).not.toBe(ContentHash.of({ a: 2 }))
  })
})
