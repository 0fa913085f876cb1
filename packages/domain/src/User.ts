import { Schema } from "effect"
import { UserId } from "./Ids.js"
import * as Text from "./Text.js"

/** An email address, trimmed and lower-cased so that comparisons are case-insensitive. */
export const Email = Text.TrimmedLine.pipe(
  Schema.lowercased({ message: () => "must be lower-case" }),
  Schema.maxLength(254),
  Schema.pattern(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, { message: () => "must be an email address" }),
  Schema.brand("Email")
)
export type Email = typeof Email.Type

/** Normalises user input (any case, surrounding blanks) into an `Email`. */
export const EmailFromInput = Schema.compose(Schema.Lowercase, Email)

/** A person known to the identity provider; `subject` is the token's `sub`. */
export class User extends Schema.Class<User>("User")({
  id: UserId,
  subject: Schema.NonEmptyString,
  email: Email,
  emailVerified: Schema.Boolean,
  displayName: Schema.String,
  createdAt: Schema.DateFromSelf
}) {}
