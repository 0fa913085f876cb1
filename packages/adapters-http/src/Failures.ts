/**
 * The problems one endpoint declares, derived from the use cases its handler calls: each domain error they can
 * fail with becomes the problem of its row of `Problem.table`, and each kind of problem lists exactly the codes
 * of those rows. The compiler holds the tags an endpoint names to its use cases' failures (none missing, none
 * extra), and `HttpApiBuilder` holds the handler to the kinds declared, so the document and the server agree.
 *
 * In the document a declared problem is its kind's component narrowed to its codes:
 * `{ type: "object", allOf: [{ $ref: "#/components/schemas/Conflict" }], properties: { code: { enum: [...] } } }`.
 */
import { HttpApiSchema } from "@effect/platform"
import { type Effect, Schema } from "effect"
import * as Problem from "./Problem.js"

/** The `_tag`s of the errors an Effect-returning function (or each of a union of them) fails with. */
export type TagsOf<F> = F extends (...args: never) => Effect.Effect<unknown, infer E, unknown>
  ? E extends { readonly _tag: infer T extends Problem.DomainErrorTag } ? T : never
  : never

/** What the compiler asks of a list of tags: every tag of `All`, or the ones missing. */
type Exhaustive<All, Named> = [Exclude<All, Named>] extends [never] ? unknown : { readonly missing: Exclude<All, Named> }

/** The schema of the problems of kinds `K`. */
export type SchemaOf<K extends Problem.Kind> = Schema.Schema<Problem.ProblemByKind[K], Schema.Schema.Encoded<(typeof Problem.schemas)[K]>>

/** The kind of problem a domain error of tag `T` becomes. */
export type KindOf<T extends Problem.DomainErrorTag> = (typeof Problem.table)[T]["problem"]

/** The JSON schema of a problem of kind `kind` whose `code` is one of `codes`. */
export const narrowedJson = (kind: Problem.Kind, codes: ReadonlyArray<string>) => ({
  type: "object",
  allOf: [{ $ref: `#/components/schemas/${kind}` }],
  properties: { code: { enum: [...codes] } }
})

const isRecord = (u: unknown): u is Record<string, unknown> => typeof u === "object" && u !== null && !Array.isArray(u)

/** The codes a problem response of the document lists (each branch's, for an `anyOf`). */
export const codesOf = (response: unknown): ReadonlyArray<string> => {
  const content = isRecord(response) ? response["content"] : undefined
  return Object.values(isRecord(content) ? content : {}).flatMap((media) => codesIn(isRecord(media) ? media["schema"] : undefined))
}

const codesIn = (schema: unknown): ReadonlyArray<string> => {
  if (!isRecord(schema)) return []
  if (Array.isArray(schema["anyOf"])) return schema["anyOf"].flatMap(codesIn)
  const properties = schema["properties"]
  const code = isRecord(properties) ? properties["code"] : undefined
  const codes = isRecord(code) ? code["enum"] : undefined
  return Array.isArray(codes) ? codes.map(String) : []
}

const members = new Map<string, Schema.Schema.AnyNoContext>()

/**
 * Kind `kind` answering only `codes`: its class (so it decodes as the class does) under a filter that lets
 * everything through, so the document shows the narrowed schema rather than the class's identifier, which names
 * the kind's full component. One schema a kind and list of codes, so equal declarations of a status merge.
 */
const member = (kind: Problem.Kind, codes: ReadonlyArray<string>): Schema.Schema.AnyNoContext => {
  const key = `${kind} ${codes.join(" ")}`
  const known = members.get(key)
  if (known !== undefined) return known
  const { description, status } = Problem.kinds[kind]
  const problem: Schema.Schema.AnyNoContext = Problem.schemas[kind]
  const made = problem.pipe(Schema.filter(() => true, {
    description,
    [HttpApiSchema.AnnotationStatus]: status,
    [HttpApiSchema.AnnotationEncoding]: { kind: "Json", contentType: Problem.ContentType },
    jsonSchema: narrowedJson(kind, codes)
  }))
  members.set(key, made)
  return made
}

/** Problems of the kinds `codes` maps, each answering only its codes. */
const declare = <K extends Problem.Kind>(codes: ReadonlyMap<K, ReadonlyArray<string>>): SchemaOf<K> =>
  // The members decode and encode exactly as the classes of kinds `K` do, so the union's types are theirs; the
  // compiler cannot follow a union built from a list, hence the types stated here.
  Schema.make<Problem.ProblemByKind[K], Schema.Schema.Encoded<(typeof Problem.schemas)[K]>, never>(
    Schema.Union(...Array.from(codes, ([kind, list]) => member(kind, list))).ast
  )

/** Problems of the kinds `kinds` with their generic codes only (what the request envelope and authentication answer). */
export const generic = <K extends Problem.Kind>(...kinds: ReadonlyArray<K>): SchemaOf<K> =>
  declare(new Map(kinds.map((kind) => [kind, [Problem.kinds[kind].code]])))

/** The problems of the domain errors tagged `tags`: each row's kind, listing the codes of its rows. */
const problems = <T extends Problem.DomainErrorTag>(tags: ReadonlyArray<T>): SchemaOf<KindOf<T>> => {
  const codes = new Map<KindOf<T>, Array<string>>()
  for (const tag of tags) {
    const kind: KindOf<T> = Problem.table[tag].problem
    const known = codes.get(kind) ?? []
    const code = Problem.codeOf(tag)
    if (!known.includes(code)) codes.set(kind, [...known, code])
  }
  return declare(codes)
}

/**
 * The problems of the use case (or union of use cases) `F`, for `addError`: `of<typeof Teams.changeRole>()(...)`
 * names every tag of its failures, and no other.
 */
export const of = <F>() =>
<const Tags extends ReadonlyArray<TagsOf<F>>>(
  ...tags: Tags & Exhaustive<TagsOf<F>, Tags[number]>
): SchemaOf<KindOf<Tags[number]>> => problems(tags)
