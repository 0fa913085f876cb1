import { InvitationRepo, StorageError, type Team } from "@aidial/domain"
import { Effect, Layer, Option } from "effect"
import * as Journal from "./internal/Journal.js"
import { pageOf } from "./internal/pageOf.js"

/** Invitations in a `Map`, for tests and prototypes; writes take part in memory transactions. */
export const layerMemory: Layer.Layer<InvitationRepo.InvitationRepo> = Layer.sync(InvitationRepo.InvitationRepo, () => {
  const invitations = new Map<string, Team.Invitation>()
  return InvitationRepo.InvitationRepo.of({
    get: (id) => Effect.sync(() => Option.fromNullable(invitations.get(id))),
    findPending: (partnerOrgId, email) =>
      Effect.sync(() =>
        Option.fromNullable(
          [...invitations.values()].find((i) =>
            i.partnerOrgId === partnerOrgId && i.email === email && i.status === "pending"
          )
        )
      ),
    insert: (invitation) =>
      invitation.status === "pending" && [...invitations.values()].some((i) =>
          i.status === "pending" && i.partnerOrgId === invitation.partnerOrgId && i.email === invitation.email
        )
        ? Effect.fail(new StorageError.StorageError({ message: "a pending invitation for this email exists" }))
        : Journal.set(invitations, invitation.id, invitation),
    updatePending: (invitation) =>
      Effect.suspend(() =>
        invitations.get(invitation.id)?.status === "pending"
          ? Effect.as(Journal.set(invitations, invitation.id, invitation), true)
          : Effect.succeed(false)
      ),
    list: (partnerOrgId, filter, page) =>
      Effect.sync(() =>
        pageOf(
          invitations.values(),
          (i) => i.partnerOrgId === partnerOrgId && (filter.status === undefined || i.status === filter.status),
          page
        )
      )
  })
})
