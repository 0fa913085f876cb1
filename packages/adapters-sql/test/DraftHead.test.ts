import { KyselyClient } from "@aidial/adapters-sql"
import { Configuration, ContentHash, DraftRepo, EntitlementRepo, Entitlements, Projects, VersionRepo } from "@aidial/domain"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Option } from "effect"
import { sql } from "kysely"
import { projectWithAdmin } from "./ProjectStack.js"
import { backends, stack } from "./TeamStack.js"

describe.each(backends)("%s: a draft saved before its head was stored", (_name, client) => {
  it.effect("gets its head from its document, and publishes as version 1 hashing to its content", () =>
    Effect.gen(function*() {
      const { admin, client: owner, project } = yield* projectWithAdmin
      yield* (yield* EntitlementRepo.EntitlementRepo).put(
        new Entitlements.Entitlements({ clientId: owner.id, enabled: ["agent", "call_limits"], updatedAt: null })
      )
      const draft = yield* Projects.patchDraft(admin, project.id, 0, {
        agent: { instructions: "from before" },
        call_limits: { max_concurrent_calls: 2, max_call_minutes: 10, daily_call_cap: 50 }
      })
      const { db } = yield* KyselyClient.KyselyClient
      // What a row saved before the head columns existed looks like.
      yield* Effect.promise(() =>
        sql`update project_drafts set content_hash = null, domains = null where project_id = ${project.id}`.execute(db)
      )
      const hash = ContentHash.of(Configuration.toJson(draft.document))
      const head = Option.getOrThrow(yield* (yield* DraftRepo.DraftRepo).head(project.id))
      expect(head.revision).toBe(1)
      expect(head.contentHash).toBe(hash)
      expect(head.domains).toEqual(["agent", "call_limits"])

      const published = yield* Projects.publish(admin, project.id, 1, null)
      expect(published.contentHash).toBe(hash)
      const stored = Option.getOrThrow(yield* (yield* VersionRepo.VersionRepo).get(project.id, 1))
      expect(stored.document).toEqual(draft.document)
      expect(stored.contentHash).toBe(ContentHash.of(Configuration.toJson(stored.document)))
    }).pipe(Effect.provide(stack(client()))))
})
