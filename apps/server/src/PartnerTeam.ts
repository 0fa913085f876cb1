/**
 * What the partner-team routes need beyond storage: where invitation links point, the last-active
 * buffer (written every few seconds and on shutdown) and the outbox printer.
 */
import { ActivityBuffer } from "@aidial/adapters-node"
import { type ActivityRecorder, type Clock, type MemberActivity, type Outbox, Team } from "@aidial/domain"
import { Duration, Layer } from "effect"
import * as OutboxPrinter from "./OutboxPrinter.js"

/** The default acceptance page when `AIDIAL_INVITE_ACCEPT_URL` is unset. */
export const defaultAcceptUrl = (port: number): string => `http://127.0.0.1:${port}/accept`

/** Invitation settings (links to `acceptUrl`, valid 7 days), the activity buffer and the outbox printer. */
export const layer = (options: { readonly acceptUrl: string }): Layer.Layer<
  ActivityRecorder.ActivityRecorder | Team.InvitationSettings,
  never,
  Outbox.Outbox | MemberActivity.MemberActivity | Clock.Clock
> =>
  Layer.mergeAll(
    Layer.succeed(Team.InvitationSettings, { acceptUrl: options.acceptUrl, ttl: Duration.days(7) }),
    ActivityBuffer.layer({ flushEveryMs: 5000 }),
    OutboxPrinter.layer()
  )
