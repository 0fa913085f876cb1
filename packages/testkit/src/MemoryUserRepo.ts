import { UserRepo, type User } from "@aidial/domain"
import { Effect, Layer, Option } from "effect"
import * as Journal from "./internal/Journal.js"

/** Users in a `Map`, for tests and prototypes. */
export const layerMemory: Layer.Layer<UserRepo.UserRepo> = Layer.sync(UserRepo.UserRepo, () => {
  const users = new Map<string, User.User>()
  const find = (p: (u: User.User) => boolean) => Effect.sync(() => Option.fromNullable([...users.values()].find(p)))
  return UserRepo.UserRepo.of({
    get: (id) => Effect.sync(() => Option.fromNullable(users.get(id))),
    findBySubject: (subject) => find((u) => u.subject === subject),
    findByEmail: (email) => find((u) => u.email === email),
    insert: (user) => Journal.set(users, user.id, user)
  })
})
