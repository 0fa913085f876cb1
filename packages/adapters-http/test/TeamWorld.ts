/**
 * The partner-team HTTP world on memory adapters: a platform admin, people with no membership yet
 * (verified or not) to invite, and another active organisation with a client, an admin and a
 * partner_user. API keys are a stub that knows one `manage` key of the other organisation's client.
 */
import { Admission, Authentication, Problem } from "@aidial/adapters-http"
import { ActivityBuffer, NodeSecrets } from "@aidial/adapters-node"
import {
  ClientRepo,
  Clock,
  Ids,
  MembershipRepo,
  PartnerOrgRepo,
  Principal,
  Role,
  Team,
  Tenancy,
  User,
  UserRepo
} from "@aidial/domain"
import { MemoryApiKeyRepo, MemoryApiKeyUsage, MemoryStack, SequentialIds } from "@aidial/testkit"
import { Effect, Layer, Redacted } from "effect"

export const start = new Date("2026-01-01T00:00:00.000Z")
export const secret = new TextEncoder().encode("team-secret-team-secret-team-secret-0123")
export const issuer = "https://id.test.aidial"
export const audience = "aidial-api"

/** The instant every clock in the world reads; tests move it. */
export const time = { ms: start.getTime() }

const clock = Layer.succeed(Clock.Clock, Clock.Clock.of({ now: Effect.sync(() => new Date(time.ms)) }))

export const ids = {
  otherOrg: Ids.PartnerOrgId.make("org_other"),
  otherClient: Ids.ClientId.make("cli_other")
} as const

/** Seeded people: token subject, email, whether the email is verified, and a membership if any. */
export const people = {
  platform: { email: "pat@aidial.example", verified: true },
  ada: { email: "ada@partner.example", verified: true },
  bo: { email: "bo@partner.example", verified: true },
  cy: { email: "cy@partner.example", verified: false },
  dee: { email: "dee@partner.example", verified: true },
  eve: { email: "eve@partner.example", verified: true },
  fay: { email: "fay@partner.example", verified: true },
  olly: { email: "olly@other.example", verified: true },
  oscar: { email: "oscar@other.example", verified: true }
} as const

export type Who = keyof typeof people

/** The user id of a seeded person. */
export const userId = (who: Who): Ids.UserId => Ids.UserId.make(`usr_${who}`)

/** The token subject of a seeded person. */
export const subject = (who: Who): string => `sub-${who}`

/** The one API key the stub authenticator knows: `manage` on the other organisation's client. */
export const manageKey = "adk_live_team_test_manage_key"

const keyPrincipal = Principal.ApiKey({
  keyId: Ids.ApiKeyId.make("key_other_manage"),
  clientId: ids.otherClient,
  environment: "live",
  scope: "manage"
})

const apiKeys = Layer.succeed(
  Authentication.ApiKeyAuthenticator,
  Authentication.ApiKeyAuthenticator.of({
    authenticate: (plaintext) =>
      Redacted.value(plaintext) === manageKey
        ? Effect.succeed(keyPrincipal)
        : Effect.fail(new Problem.Unauthenticated({ detail: "The API key is not valid." }))
  })
)

const admitAll = Layer.succeed(Admission.Admission, Admission.Admission.of({ admit: () => Effect.void }))

const membership = (who: Who): Role.Membership | null => {
  switch (who) {
    case "platform":
      return new Role.PlatformMembership({ userId: userId(who), role: "aidial_admin" })
    case "olly":
      return new Role.PartnerMembership({ userId: userId(who), partnerOrgId: ids.otherOrg, role: "partner_admin" })
    case "oscar":
      return new Role.PartnerMembership({ userId: userId(who), partnerOrgId: ids.otherOrg, role: "partner_user" })
    default:
      return null
  }
}

const seed = Effect.gen(function*() {
  yield* (yield* PartnerOrgRepo.PartnerOrgRepo).insert(
    new Tenancy.PartnerOrg({ id: ids.otherOrg, name: "Other Partners", description: "", status: "active", createdAt: start })
  )
  yield* (yield* ClientRepo.ClientRepo).insert(
    new Tenancy.Client({ id: ids.otherClient, partnerOrgId: ids.otherOrg, name: "Other Client", status: "active", createdAt: start })
  )
  const users = yield* UserRepo.UserRepo
  const memberships = yield* MembershipRepo.MembershipRepo
  for (const who of Object.keys(people).filter((k): k is Who => k in people)) {
    yield* users.insert(
      new User.User({
        id: userId(who),
        subject: subject(who),
        email: User.Email.make(people[who].email),
        emailVerified: people[who].verified,
        displayName: who,
        createdAt: start
      })
    )
    const m = membership(who)
    if (m !== null) yield* memberships.put(m)
  }
})

const storage = Layer.mergeAll(
  MemoryStack.layerMemory,
  Layer.succeed(Team.InvitationSettings, MemoryStack.invitationSettings),
  MemoryApiKeyUsage.layerMemory,
  NodeSecrets.layer({ pepper: Redacted.make("team-test-pepper") }),
  SequentialIds.layer,
  clock
)

/**
 * Everything `Http.layer` needs, seeded; the activity buffer flushes only when told (or every
 * minute), so tests can see that requests alone never write last-active times.
 */
export const layer = Layer.mergeAll(
  Authentication.layerJose({ issuer, audience, algorithms: ["HS256"], keys: { _tag: "Local", key: secret } }),
  ActivityBuffer.layer({ flushEveryMs: 60_000 }),
  MemoryApiKeyRepo.layerMemory,
  apiKeys,
  admitAll,
  Layer.effectDiscard(seed)
).pipe(Layer.provideMerge(storage))
