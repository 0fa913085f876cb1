import { AssignmentRepo, type Ids } from "@aidial/domain"
import { Effect, Layer } from "effect"
import * as Journal from "./internal/Journal.js"

const key = (userId: string, clientId: string) => `${userId}\u0000${clientId}`
const sorted = <A extends string>(values: Iterable<A>): ReadonlyArray<A> => [...values].sort()

/** Assignments in a `Map`, for tests and prototypes. */
export const layerMemory: Layer.Layer<AssignmentRepo.AssignmentRepo> = Layer.sync(AssignmentRepo.AssignmentRepo, () => {
  const rows = new Map<string, { readonly userId: Ids.UserId; readonly clientId: Ids.ClientId }>()
  return AssignmentRepo.AssignmentRepo.of({
    assign: (a) => Journal.set(rows, key(a.userId, a.clientId), { userId: a.userId, clientId: a.clientId }),
    unassign: (userId, clientId) => Journal.remove(rows, key(userId, clientId)),
    removeAllForUser: (userId) =>
      Effect.forEach([...rows].filter(([, row]) => row.userId === userId), ([k]) => Journal.remove(rows, k), {
        discard: true
      }),
    clientsOf: (userId) =>
      Effect.sync(() => sorted([...rows.values()].filter((r) => r.userId === userId).map((r) => r.clientId))),
    usersOf: (clientId) =>
      Effect.sync(() => sorted([...rows.values()].filter((r) => r.clientId === clientId).map((r) => r.userId)))
  })
})
