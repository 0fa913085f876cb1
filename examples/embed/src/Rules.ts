/** The service's own rule on top of the core's: only AiDial staff archive clients here. */
import { Policy, type Principal } from "@aidial/domain"

/** `Policy.authorize`, except that a partner may not archive a client it can see (`Forbidden`). */
export const authorize = (principal: Principal.Principal, action: Policy.Action, target: Policy.Target): Policy.Decision => {
  const decision = Policy.authorize(principal, action, target)
  return decision === "Allow" && action === "client.archive" && principal._tag !== "PlatformUser" ? "Forbidden" : decision
}
