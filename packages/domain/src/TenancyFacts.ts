/**
 * A tenancy as plain values, and writing it through the tenancy ports: how the reference server's demo
 * world, the testkit's fixtures and generated worlds, and any bulk import are stored, on any storage.
 */
import { Effect } from "effect"
import { AssignmentRepo } from "./ports/AssignmentRepo.js"
import { ClientRepo } from "./ports/ClientRepo.js"
import { MembershipRepo } from "./ports/MembershipRepo.js"
import { PartnerOrgRepo } from "./ports/PartnerOrgRepo.js"
import { ProjectRepo } from "./ports/ProjectRepo.js"
import type { TenancyRepos } from "./ports/TenancyRepos.js"
import { UserRepo } from "./ports/UserRepo.js"
import type * as Project from "./Project.js"
import type * as Role from "./Role.js"
import type { StorageError } from "./StorageError.js"
import type * as Tenancy from "./Tenancy.js"
import type * as User from "./User.js"

/** A tenancy as plain values, every part optional. */
export interface Facts {
  readonly orgs?: ReadonlyArray<Tenancy.PartnerOrg>
  readonly clients?: ReadonlyArray<Tenancy.Client>
  readonly projects?: ReadonlyArray<Project.Project>
  readonly users?: ReadonlyArray<User.User>
  readonly memberships?: ReadonlyArray<Role.Membership>
  readonly assignments?: ReadonlyArray<Tenancy.Assignment>
}

/** Stores the facts through the tenancy ports, each kind after those it refers to (in the caller's transaction, if any). */
export const store = (facts: Facts): Effect.Effect<void, StorageError, TenancyRepos> =>
  Effect.gen(function*() {
    const orgs = yield* PartnerOrgRepo
    const clients = yield* ClientRepo
    const projects = yield* ProjectRepo
    const users = yield* UserRepo
    const memberships = yield* MembershipRepo
    const assignments = yield* AssignmentRepo
    yield* Effect.forEach(facts.orgs ?? [], orgs.insert, { discard: true })
    yield* Effect.forEach(facts.clients ?? [], clients.insert, { discard: true })
    yield* Effect.forEach(facts.projects ?? [], projects.insert, { discard: true })
    yield* Effect.forEach(facts.users ?? [], users.insert, { discard: true })
    yield* Effect.forEach(facts.memberships ?? [], memberships.put, { discard: true })
    yield* Effect.forEach(facts.assignments ?? [], assignments.assign, { discard: true })
  })
