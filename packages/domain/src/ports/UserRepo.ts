import { Context, type Effect, type Option } from "effect"
import type { UserId } from "../Ids.js"
import type { StorageError } from "../StorageError.js"
import type { Email, User } from "../User.js"

/** People known to the identity provider. */
export class UserRepo extends Context.Tag("@aidial/domain/UserRepo")<UserRepo, {
  /** The user with this id, if any. */
  readonly get: (id: UserId) => Effect.Effect<Option.Option<User>, StorageError>
  /** The user whose identity-provider subject (`sub`) this is, if any. */
  readonly findBySubject: (subject: string) => Effect.Effect<Option.Option<User>, StorageError>
  /** The user with this (normalised) email, if any. */
  readonly findByEmail: (email: Email) => Effect.Effect<Option.Option<User>, StorageError>
  /** Stores a new user. */
  readonly insert: (user: User) => Effect.Effect<void, StorageError>
}>() {}
