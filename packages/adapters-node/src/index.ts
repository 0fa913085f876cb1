export * as InProcessRateLimiter from "./InProcessRateLimiter.js"
export * as NodeIdGenerator from "./NodeIdGenerator.js"
export * as NodeSecrets from "./NodeSecrets.js"
export * as UsageBuffer from "./UsageBuffer.js"
