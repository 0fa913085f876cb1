import { ApiKey, Audit, type Ids, type Tenancy } from "@aidial/domain"
import * as fc from "fast-check"

const base62 = (length: number) =>
  fc.string({ unit: fc.constantFrom(...ApiKey.alphabet), minLength: length, maxLength: length })

/** An environment. */
export const environment: fc.Arbitrary<Tenancy.DataEnvironment> = fc.constantFrom("live", "test")

/** A scope. */
export const scope: fc.Arbitrary<ApiKey.Scope> = fc.constantFrom("read", "manage")

/** A well-formed plaintext with a correct checksum (not stored anywhere). */
export const plaintext: fc.Arbitrary<string> = fc
  .tuple(environment, base62(ApiKey.keyIdLength), base62(ApiKey.secretLength))
  .map(([env, keyId, secret]) => ApiKey.format(env, keyId, secret))

/** A key id as it appears in a plaintext. */
export const keyId: fc.Arbitrary<string> = base62(ApiKey.keyIdLength)

/** An expiry request. */
export const expiry: fc.Arbitrary<ApiKey.Expiry> = fc.oneof(
  fc.constant<ApiKey.Expiry>({ _tag: "Never" }),
  fc.constantFrom<ApiKey.Expiry>({ _tag: "InDays", days: 30 }, { _tag: "InDays", days: 90 }, {
    _tag: "InDays",
    days: 180
  })
)

/** A key name. */
export const name: fc.Arbitrary<string> = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9 ._-]{0,30}[A-Za-z0-9]$/)

/** Stored metadata for `clientId` with a fresh random key id, active unless overridden. */
export const makeKey = (
  clientId: Ids.ClientId,
  id: Ids.ApiKeyId,
  overrides: Partial<ConstructorParameters<typeof ApiKey.ApiKey>[0]> = {}
): ApiKey.ApiKey =>
  new ApiKey.ApiKey({
    id,
    clientId,
    name: "Production app",
    description: "",
    scope: "read",
    environment: "live",
    prefix: `adk_live_${id.slice(4)}`,
    status: "active",
    createdAt: new Date("2026-01-01T00:00:00.000Z"),
    createdBy: Audit.Actor.make({ kind: "user", id: "usr_1" }),
    expiresAt: null,
    rotatedFrom: null,
    rotatedTo: null,
    disabledAt: null,
    revokeReason: null,
    ...overrides
  })
