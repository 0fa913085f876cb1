import { Context, type Effect } from "effect"
import type { ClientId, UserId } from "../Ids.js"
import type { StorageError } from "../StorageError.js"
import type { Assignment } from "../Tenancy.js"

/** Which partner users see which clients. */
export class AssignmentRepo extends Context.Tag("@aidial/domain/AssignmentRepo")<AssignmentRepo, {
  /** Records the assignment; assigning twice keeps one. */
  readonly assign: (assignment: Assignment) => Effect.Effect<void, StorageError>
  /** Removes the assignment if present. */
  readonly unassign: (userId: UserId, clientId: ClientId) => Effect.Effect<void, StorageError>
  /** Removes every assignment of the user. */
  readonly removeAllForUser: (userId: UserId) => Effect.Effect<void, StorageError>
  /** The clients assigned to the user, in client id order. */
  readonly clientsOf: (userId: UserId) => Effect.Effect<ReadonlyArray<ClientId>, StorageError>
  /** The users assigned to the client, in user id order. */
  readonly usersOf: (clientId: ClientId) => Effect.Effect<ReadonlyArray<UserId>, StorageError>
}>() {}
