export * as NodeIdGenerator from "./NodeIdGenerator.js"
export * as NodeSecrets from "./NodeSecrets.js"
