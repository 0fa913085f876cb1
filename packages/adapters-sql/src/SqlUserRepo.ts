import { UserRepo } from "@aidial/domain"
import { Effect, Layer } from "effect"
import type { Selectable } from "kysely"
import type { UsersTable } from "./Database.js"
import * as Limit from "./internal/Limit.js"
import * as Rows from "./internal/Rows.js"
import * as TenancyRows from "./internal/TenancyRows.js"
import * as Prepared from "./internal/Prepared.js"
import { KyselyClient } from "./KyselyClient.js"
import * as SqlTransactor from "./SqlTransactor.js"

const firstOf = Rows.first(TenancyRows.user)

/** Users in the `users` table (subject unique, email indexed). */
export const layer: Layer.Layer<UserRepo.UserRepo, never, KyselyClient> = Layer.effect(
  UserRepo.UserRepo,
  Effect.map(KyselyClient, (client) => {
    const run = SqlTransactor.runner(client)
    const select = Prepared.selector<Selectable<UsersTable>>(client)
    // Every request with a bearer token reads its user by subject: a hot read, compiled once per column.
    const findBy = (column: "id" | "subject" | "email", value: string) =>
      select(
        "cannot read user",
        (db, v) => db.selectFrom("users").selectAll().where(column, "=", v.value).orderBy("id").limit(Limit.of(1)),
        { key: `by:${column}`, values: { value } },
        firstOf
      )
    return UserRepo.UserRepo.of({
      get: (id) => findBy("id", id),
      findBySubject: (subject) => findBy("subject", subject),
      findByEmail: (email) => findBy("email", email),
      insert: (u) =>
        run("cannot insert user", (db) =>
          db.insertInto("users").values({
            id: u.id,
            subject: u.subject,
            email: u.email,
            email_verified: Rows.flag(u.emailVerified),
            display_name: u.displayName,
            created_at: u.createdAt.getTime()
          }).execute()).pipe(Effect.asVoid)
    })
  })
)
