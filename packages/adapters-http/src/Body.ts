/**
 * Request bodies that refuse fields they do not declare: a body carrying `role`, `partner_org_id`,
 * `user_id`, `status` or anything else not part of the endpoint's payload is a 400, never acted on.
 */
import { Schema } from "effect"

/** A struct payload with `onExcessProperty: "error"`: an undeclared field fails decoding (400). */
export const strict = <Fields extends Schema.Struct.Fields>(fields: Fields): Schema.Struct<Fields> =>
  Schema.Struct(fields).annotations({ parseOptions: { onExcessProperty: "error" } })
