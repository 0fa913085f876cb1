import { ClientRepo, Ids, Principal, Project, ProjectRepo, Tenancy } from "@aidial/domain"
import { Effect } from "effect"

const at = new Date("2025-06-01T00:00:00.000Z")

let projects = 0
/** A partner org's client with one live project, and its partner_admin, stored through the ports. */
export const projectWithAdmin = Effect.gen(function*() {
  const n = ++projects
  const partnerOrgId = Ids.PartnerOrgId.make(`org_p${n}`)
  const client = new Tenancy.Client({
    id: Ids.ClientId.make(`cli_p${n}`),
    partnerOrgId,
    name: `Client ${n}`,
    status: "active",
    createdAt: at
  })
  yield* (yield* ClientRepo.ClientRepo).insert(client)
  const project = new Project.Project({
    id: Ids.ProjectId.make(`prj_p${n}`),
    clientId: client.id,
    environment: "live",
    displayName: `Project ${n}`,
    timezone: Project.Project.fields.timezone.make("Australia/Sydney"),
    isActive: true,
    createdAt: at
  })
  yield* (yield* ProjectRepo.ProjectRepo).insert(project)
  const admin = Principal.PartnerUser({
    userId: Ids.UserId.make(`usr_p${n}`),
    role: "partner_admin",
    partnerOrgId,
    partnerOrgStatus: "active",
    assignedClientIds: new Set()
  })
  return { client, project, admin }
})
