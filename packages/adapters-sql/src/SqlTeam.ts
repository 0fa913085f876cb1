import type { InvitationRepo, MemberActivity, Outbox } from "@aidial/domain"
import { Layer } from "effect"
import type * as KyselyClient from "./KyselyClient.js"
import * as SqlInvitationRepo from "./SqlInvitationRepo.js"
import * as SqlMemberActivity from "./SqlMemberActivity.js"
import * as SqlOutbox from "./SqlOutbox.js"

/** The partner-team ports (invitations, outbox, member activity) on one `KyselyClient`. */
export const layer: Layer.Layer<
  InvitationRepo.InvitationRepo | Outbox.Outbox | MemberActivity.MemberActivity,
  never,
  KyselyClient.KyselyClient
> = Layer.mergeAll(SqlInvitationRepo.layer, SqlOutbox.layer, SqlMemberActivity.layer)
