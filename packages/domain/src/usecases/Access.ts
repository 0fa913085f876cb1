import { Effect } from "effect"
import * as Policy from "../Policy.js"
import type { Principal } from "../Principal.js"

/** Succeeds when allowed; fails with `NotFound` (out of scope or missing) or `Forbidden`. */
export const require = (
  principal: Principal,
  action: Policy.Action,
  target: Policy.Target,
  resource: string
): Effect.Effect<void, Policy.NotFound | Policy.Forbidden> => {
  switch (Policy.authorize(principal, action, target)) {
    case "Allow":
      return Effect.void
    case "Forbidden":
      return Effect.fail(new Policy.Forbidden({ action }))
    case "NotFound":
      return Effect.fail(new Policy.NotFound({ resource }))
  }
}
