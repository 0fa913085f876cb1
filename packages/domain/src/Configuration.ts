/**
 * A project's configuration: one document made of runtime domains (SPEC section 7), each an effect
 * Schema. The same schemas give the types, the decoding, the OpenAPI schema and the arbitraries; every
 * constraint carries a stable `code` that validation reports with the JSON pointer of the field.
 */
import { Array as Arr, Either, ParseResult, Schema, type SchemaAST } from "effect"
import * as Ids from "./Ids.js"
import * as Json from "./Json.js"
import * as Text from "./Text.js"

/** The annotation carrying a constraint's stable code. */
export const CodeId: unique symbol = Symbol.for("@aidial/domain/Configuration/code")

const code = (value: string) => ({ [CodeId]: value })

/** Stable codes a validation error may carry. */
export const codes = {
  required: "required",
  unknownField: "unknown_field",
  invalidType: "invalid_type",
  tooShort: "too_short",
  tooLong: "too_long",
  tooMany: "too_many",
  outOfRange: "out_of_range",
  notInteger: "not_integer",
  notAllowed: "not_allowed",
  e164: "invalid_e164",
  bcp47: "invalid_language_tag",
  time: "invalid_time",
  date: "invalid_date",
  id: "invalid_id",
  emptyRange: "empty_range",
  overlap: "overlapping_hours",
  duplicate: "duplicate",
  domainNotEnabled: "domain_not_enabled",
  forbiddenCharacter: "forbidden_character"
} as const

const messages: Record<string, string> = {
  required: "is required",
  unknown_field: "is not a field of this document",
  invalid_type: "has the wrong type",
  too_short: "is too short",
  too_long: "is too long",
  too_many: "has too many items",
  out_of_range: "is out of range",
  not_integer: "must be a whole number",
  not_allowed: "is not one of the allowed values",
  invalid_e164: "must be an E.164 phone number such as +61212345678",
  invalid_language_tag: "must be a BCP 47 language tag such as en-AU",
  invalid_time: "must be a time HH:MM (24:00 allowed as a closing time)",
  invalid_date: "must be a calendar date YYYY-MM-DD",
  invalid_id: "must be an id of letters, digits, _ and -, at most 64",
  empty_range: "must close after it opens",
  overlapping_hours: "overlaps another range of the same day",
  duplicate: "repeats an earlier item",
  domain_not_enabled: "is a runtime domain not enabled for this client",
  forbidden_character: "must not contain control characters or bidirectional overrides (line feeds and tabs only where text may span lines)",
  invalid: "is invalid"
}

/** Text held to the API's text rules (`Text.isClean`); `multiline` allows line feeds and tabs. */
const text = (max: number, min: number, multiline: boolean) =>
  Schema.String.pipe(
    Schema.minLength(min, code(codes.tooShort)),
    Schema.maxLength(max, code(codes.tooLong)),
    Schema.filter((value) => Text.isClean(value, multiline), code(codes.forbiddenCharacter))
  )

const int = (min: number, max: number) =>
  Schema.Number.pipe(
    Schema.int(code(codes.notInteger)),
    Schema.between(min, max, code(codes.outOfRange))
  )

const list = <A, I>(item: Schema.Schema<A, I>, max: number) =>
  Schema.Array(item).pipe(Schema.maxItems(max, code(codes.tooMany)))

const uniqueBy = <A>(key: (a: A) => string) => (items: ReadonlyArray<A>) =>
  items.flatMap((item, i) =>
    items.slice(0, i).some((earlier) => key(earlier) === key(item)) ? [{ path: [i], message: "duplicate" }] : []
  )

/** An id of another AiDial resource (knowledge base, phone number). */
export const ResourceId = Schema.String.pipe(Schema.pattern(Ids.pattern, code(codes.id)))

/** A phone number in E.164 form: `+`, a country code and at most 15 digits in all. */
export const E164 = Schema.String.pipe(Schema.pattern(/^\+[1-9][0-9]{6,14}$/, code(codes.e164)))
  .annotations({ identifier: "E164", description: "An E.164 phone number such as +61212345678." })

const bcp47Pattern = /^[a-zA-Z]{2,3}(-[a-zA-Z]{4})?(-([a-zA-Z]{2}|[0-9]{3}))?(-([a-zA-Z0-9]{5,8}|[0-9][a-zA-Z0-9]{3}))*$/

const isLanguageTag = (tag: string): boolean => {
  if (!bcp47Pattern.test(tag)) return false
  try {
    return Intl.getCanonicalLocales(tag).length === 1
  } catch {
    return false
  }
}

/** A BCP 47 language tag (language, optional script, region and variants), such as `en-AU` or `zh-Hant-TW`. */
export const LanguageTag = Schema.String.pipe(
  Schema.filter(isLanguageTag, { ...code(codes.bcp47), message: () => messages["invalid_language_tag"] ?? "" })
).annotations({
  identifier: "LanguageTag",
  description: "A BCP 47 language tag such as en-AU.",
  arbitrary: () => (fc) => fc.constantFrom("en", "en-AU", "en-US", "en-GB", "fr-FR", "de-DE", "es-419", "zh-Hant-TW", "ja")
})

/** A time of day `HH:MM`; `24:00` closes at midnight. */
export const TimeOfDay = Schema.String.pipe(Schema.pattern(/^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$/, code(codes.time)))

const minutes = (time: string): number => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5))

const clock = (m: number) => `${String(Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`

const isCalendarDate = (s: string): boolean => {
  const date = new Date(`${s}T00:00:00Z`)
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === s
}

/** A calendar date `YYYY-MM-DD`. */
export const CalendarDate = Schema.String.pipe(
  Schema.pattern(/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/, code(codes.date)),
  Schema.filter(isCalendarDate, code(codes.date))
).annotations({
  arbitrary: () => (fc) =>
    fc.integer({ min: 0, max: 3650 }).map((d) => new Date(Date.UTC(2026, 0, 1 + d)).toISOString().slice(0, 10))
})

export const Weekday = Schema.Literal("mon", "tue", "wed", "thu", "fri", "sat", "sun").annotations(code(codes.notAllowed))
export type Weekday = typeof Weekday.Type

/** One open range of a weekday, in the project's timezone. */
export const OpenRange = Schema.Struct({ day: Weekday, open: TimeOfDay, close: TimeOfDay }).pipe(
  Schema.filter((r) => minutes(r.open) < minutes(r.close) || { path: ["close"], message: "empty range" }, code(codes.emptyRange))
)
export type OpenRange = typeof OpenRange.Type

const overlaps = (ranges: ReadonlyArray<OpenRange>) =>
  ranges.flatMap((r, i) =>
    ranges.slice(0, i).some((o) =>
        o.day === r.day && minutes(o.open) < minutes(r.close) && minutes(r.open) < minutes(o.close)
      )
      ? [{ path: [i], message: "overlap" }]
      : []
  )

const weekdays: ReadonlyArray<Weekday> = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]

export const Agent = Schema.Struct({
  instructions: text(20_000, 0, true),
  first_message: text(2_000, 0, true),
  language: LanguageTag,
  voice: text(64, 1, false),
  model: text(64, 1, false)
}).annotations({ identifier: "AgentDomain", description: "How the voice agent speaks and what it is told." })

export const Knowledge = Schema.Struct({
  knowledge_base_ids: list(ResourceId, 50).pipe(Schema.filter(uniqueBy((id: string) => id), code(codes.duplicate)))
}).annotations({ identifier: "KnowledgeDomain", description: "The knowledge bases the agent may search." })

export const Telephony = Schema.Struct({
  phone_number_ids: list(ResourceId, 20).pipe(Schema.filter(uniqueBy((id: string) => id), code(codes.duplicate))),
  caller_id: Schema.NullOr(E164)
}).annotations({ identifier: "TelephonyDomain", description: "The project's phone numbers and the caller id it shows." })

export const BusinessHours = Schema.Struct({
  weekly: list(OpenRange, 70).pipe(Schema.filter(overlaps, code(codes.overlap))).annotations({
    arbitrary: () => (fc) =>
      fc.array(
        fc.tuple(
          fc.constantFrom(...weekdays),
          fc.uniqueArray(fc.integer({ min: 0, max: 1440 }), { minLength: 2, maxLength: 4 })
        ),
        { maxLength: 7 }
      ).map((days) => {
        const seen = new Set<Weekday>()
        return days.flatMap(([day, marks]) => {
          if (seen.has(day)) return []
          seen.add(day)
          const sorted = [...marks].sort((a, b) => a - b)
          const ranges: Array<OpenRange> = []
          for (let i = 0; i + 1 < sorted.length; i += 2) {
            ranges.push({ day, open: clock(sorted[i] ?? 0), close: clock(sorted[i + 1] ?? 0) })
          }
          return ranges.filter((r) => r.open !== "24:00")
        })
      })
  }),
  closed_dates: list(CalendarDate, 366).pipe(Schema.filter(uniqueBy((d: string) => d), code(codes.duplicate)))
}).annotations({
  identifier: "BusinessHoursDomain",
  description: "Weekly open hours in the project's timezone and the dates it is closed."
})

export const CallLimits = Schema.Struct({
  max_concurrent_calls: int(1, 1_000),
  max_call_minutes: int(1, 240),
  daily_call_cap: int(1, 1_000_000)
}).annotations({ identifier: "CallLimitsDomain", description: "Positive limits on calls." })

export const Notice = Schema.Struct({ language: LanguageTag, text: text(2_000, 1, true) })
export type Notice = typeof Notice.Type

export const ConsentNotice = Schema.Struct({
  notices: list(Notice, 20).pipe(Schema.filter(uniqueBy((n: Notice) => n.language), code(codes.duplicate))).annotations({
    arbitrary: () => (fc) =>
      fc.uniqueArray(
        fc.record({
          language: fc.constantFrom("en", "en-AU", "en-US", "fr-FR", "de-DE", "ja"),
          text: fc.string({ minLength: 1, maxLength: 200 })
        }),
        { selector: (n) => n.language, maxLength: 4 }
      )
  })
}).annotations({ identifier: "ConsentNoticeDomain", description: "The consent and recording notice read to callers, per language." })

export const TransferTarget = Schema.Struct({ label: text(100, 1, false), number: E164 })
export type TransferTarget = typeof TransferTarget.Type

export const Transfer = Schema.Struct({
  targets: list(TransferTarget, 10).pipe(Schema.filter(uniqueBy((t: TransferTarget) => t.label), code(codes.duplicate))),
  fallback: Schema.Literal("voicemail", "hang_up", "return_to_agent").annotations(code(codes.notAllowed))
}).annotations({ identifier: "TransferDomain", description: "Where calls may be transferred, and what happens when no one answers." })

/** The configuration document: `agent` always, the other runtime domains when set. */
export const Document = Schema.Struct({
  agent: Agent,
  knowledge: Schema.optionalWith(Knowledge, { exact: true }),
  telephony: Schema.optionalWith(Telephony, { exact: true }),
  business_hours: Schema.optionalWith(BusinessHours, { exact: true }),
  call_limits: Schema.optionalWith(CallLimits, { exact: true }),
  consent_notice: Schema.optionalWith(ConsentNotice, { exact: true }),
  transfer: Schema.optionalWith(Transfer, { exact: true })
}).annotations({ identifier: "ConfigurationDocument" })
export type Document = typeof Document.Type

/** The runtime domains, in document order. */
export const RuntimeDomain = Schema.Literal(
  "agent",
  "knowledge",
  "telephony",
  "business_hours",
  "call_limits",
  "consent_notice",
  "transfer"
)
export type RuntimeDomain = typeof RuntimeDomain.Type
export const domains: ReadonlyArray<RuntimeDomain> = RuntimeDomain.literals

/** Portal-managed domains (seed 003): only a bearer token may write them. */
export const bearerOnly: ReadonlySet<RuntimeDomain> = new Set<RuntimeDomain>([
  "business_hours",
  "call_limits",
  "consent_notice",
  "transfer"
])

/** Whether a key of a document is a runtime domain. */
export const isDomain = (key: string): key is RuntimeDomain => (domains as ReadonlyArray<string>).includes(key)

/** The draft of a new project: an agent with nothing to say yet. */
export const empty: Document = {
  agent: { instructions: "", first_message: "", language: "en-US", voice: "default", model: "default" }
}

/** The largest document, in bytes of canonical UTF-8 JSON. */
export const maxBytes = 64 * 1024

/** The size of a document in bytes of canonical UTF-8 JSON. */
export const sizeOf = (document: Json.Json): number => Json.utf8(Json.canonical(document)).length

/** One reason a document is invalid: where (JSON pointer), a stable code, and words for people. */
export const ValidationError = Schema.Struct({
  pointer: Schema.String,
  code: Schema.String,
  message: Schema.String
}).annotations({ identifier: "ValidationError" })
export type ValidationError = typeof ValidationError.Type

const codeOf = (ast: SchemaAST.AST): string | undefined => {
  const value = ast.annotations[CodeId]
  return typeof value === "string" ? value : undefined
}

const error = (path: ReadonlyArray<PropertyKey>, code: string): ValidationError => ({
  pointer: Json.pointer(path.map((p) => typeof p === "number" ? p : String(p))),
  code,
  message: `${path.length === 0 ? "the document" : Json.pointer(path.map(String))} ${messages[code] ?? "is invalid"}`
})

/** Every leaf of a parse issue as a validation error, with the path it sits at. */
const collect = (issue: ParseResult.ParseIssue, path: ReadonlyArray<PropertyKey>): ReadonlyArray<ValidationError> => {
  switch (issue._tag) {
    case "Pointer":
      return collect(issue.issue, [...path, ...(Array.isArray(issue.path) ? issue.path : [issue.path])])
    case "Composite": {
      const own = codeOf(issue.ast)
      if (own !== undefined) return [error(path, own)]
      return Arr.ensure(issue.issues).flatMap((i) => collect(i, path))
    }
    case "Refinement": {
      if (issue.kind === "From") return collect(issue.issue, path)
      const extra = issue.issue._tag === "Pointer"
        ? (Array.isArray(issue.issue.path) ? issue.issue.path : [issue.issue.path])
        : []
      return [error([...path, ...extra], codeOf(issue.ast) ?? "invalid")]
    }
    case "Transformation":
      return collect(issue.issue, path)
    case "Type":
      return [error(path, codeOf(issue.ast) ?? codes.invalidType)]
    case "Missing":
      return [error(path, codes.required)]
    case "Unexpected":
      return [error(path, codes.unknownField)]
    case "Forbidden":
      return [error(path, "invalid")]
  }
}

const disabledDomains = (keys: ReadonlyArray<string>, enabled: ReadonlySet<RuntimeDomain>): ReadonlyArray<ValidationError> =>
  keys.filter((k) => isDomain(k) && k !== "agent" && !enabled.has(k)).map((k) => error([k], codes.domainNotEnabled))

/**
 * The errors of a document that is already a `Document` (decoded from storage) for a client with
 * `enabled` domains: each domain it sets that is not enabled, at its pointer.
 */
export const checkEnabled = (document: Document, enabled: ReadonlySet<RuntimeDomain>): ReadonlyArray<ValidationError> =>
  disabledDomains(Object.keys(toJson(document)), enabled)

/** The runtime domains a document sets, in document order. */
export const domainsOf = (document: Document): ReadonlyArray<RuntimeDomain> => Object.keys(toJson(document)).filter(isDomain)

/** `checkEnabled` for a document known only by the domains it sets (`domainsOf`): the same errors. */
export const checkEnabledDomains = (
  domains: ReadonlyArray<RuntimeDomain>,
  enabled: ReadonlySet<RuntimeDomain>
): ReadonlyArray<ValidationError> => disabledDomains(domains, enabled)

const decode = Schema.decodeUnknownEither(Document, { errors: "all", onExcessProperty: "error" })

/**
 * Validates a whole document for a client with `enabled` domains: every error at once, each with its
 * JSON pointer and stable code, in document order. A domain that is set but not enabled is an error
 * at its pointer.
 */
export const validate = (
  document: unknown,
  enabled: ReadonlySet<RuntimeDomain>
): Either.Either<Document, ReadonlyArray<ValidationError>> => {
  const disabled = typeof document === "object" && document !== null && !Array.isArray(document)
    ? disabledDomains(Object.keys(document), enabled)
    : []
  const decoded = decode(document)
  if (Either.isLeft(decoded)) {
    const errors = [...disabled, ...collect(decoded.left.issue, [])]
    const seen = new Set<string>()
    return Either.left(errors.filter((e) => {
      const key = `${e.pointer} ${e.code}`
      if (seen.has(key)) return false
      seen.add(key)
      return true
    }))
  }
  return disabled.length > 0 ? Either.left(disabled) : Either.right(decoded.right)
}

/** The document as a JSON value. */
export const toJson = (document: Document): Json.JsonObject => {
  const json: Record<string, Json.Json> = {}
  for (const [key, value] of Object.entries(document)) if (value !== undefined) json[key] = value
  return json
}
