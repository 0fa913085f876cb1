export * as NodeIdGenerator from "./NodeIdGenerator.js"
