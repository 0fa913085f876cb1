import type { InvitationRepo, MemberActivity, Outbox } from "@aidial/domain"
import { Layer } from "effect"
import * as MemoryInvitationRepo from "./MemoryInvitationRepo.js"
import * as MemoryMemberActivity from "./MemoryMemberActivity.js"
import * as MemoryOutbox from "./MemoryOutbox.js"

/** The partner-team ports (invitations, outbox, member activity), in memory. */
export const layerMemory: Layer.Layer<
  InvitationRepo.InvitationRepo | Outbox.Outbox | MemberActivity.MemberActivity
> = Layer.mergeAll(MemoryInvitationRepo.layerMemory, MemoryOutbox.layerMemory, MemoryMemberActivity.layerMemory)
