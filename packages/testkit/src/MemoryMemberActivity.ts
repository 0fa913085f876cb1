import { type Ids, MemberActivity } from "@aidial/domain"
import { Effect, Layer } from "effect"
import * as Journal from "./internal/Journal.js"

/** Last-active times in a `Map`; a user's time only moves forward. */
export const layerMemory: Layer.Layer<MemberActivity.MemberActivity> = Layer.sync(MemberActivity.MemberActivity, () => {
  const lastActive = new Map<Ids.UserId, Date>()
  return MemberActivity.MemberActivity.of({
    touchLastActive: (batch) =>
      Effect.forEach(batch, ({ at, userId }) =>
        Effect.suspend(() => {
          const stored = lastActive.get(userId)
          return stored !== undefined && stored.getTime() >= at.getTime()
            ? Effect.void
            : Journal.set(lastActive, userId, new Date(at.getTime()))
        }), { discard: true }),
    lastActive: (userIds) =>
      Effect.sync(() => {
        const found = new Map<Ids.UserId, Date>()
        for (const id of userIds) {
          const at = lastActive.get(id)
          if (at !== undefined) found.set(id, at)
        }
        return found
      })
  })
})
