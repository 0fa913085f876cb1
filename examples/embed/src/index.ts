export * as Direct from "./Direct.js"
export * as Rules from "./Rules.js"
export * as Service from "./Service.js"
