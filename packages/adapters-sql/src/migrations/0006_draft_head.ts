import type { Kysely } from "kysely"

// Frozen: once released, this file never changes; later changes are new migrations.

/**
 * What publishing a draft needs without reading its document: the content hash of the document and the
 * runtime domains it sets (comma-separated), written with every draft save. Rows saved before this
 * migration hold `NULL` in both, and their readers compute them from the document.
 */
export const up = async (db: Kysely<any>): Promise<void> => {
  await db.schema.alterTable("project_drafts").addColumn("content_hash", "text").execute()
  await db.schema.alterTable("project_drafts").addColumn("domains", "text").execute()
}
