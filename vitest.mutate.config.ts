import { defineConfig } from "vitest/config"

const conditions = ["@aidial/source", "module", "node", "development|production"]

/** `pnpm mutate`: only the tests of the mutated rule modules, with fewer generated worlds per property. */
export default defineConfig({
  ssr: { resolve: { conditions } },
  resolve: { conditions },
  test: {
    include: [
      "packages/domain/test/ApiKey.test.ts",
      "packages/domain/test/Team.test.ts",
      "packages/domain/test/Policy.test.ts",
      "packages/domain/test/Schemas.test.ts",
      "packages/domain/test/VerificationFailures.test.ts",
      "packages/testkit/test/PolicyMatrix.test.ts",
      "packages/testkit/test/PolicyProperties.test.ts",
      "packages/testkit/test/ApiKeys.test.ts",
      "packages/testkit/test/Team.test.ts",
      "packages/testkit/test/TeamProperties.test.ts",
      "packages/testkit/test/InvitationModel.test.ts"
    ],
    env: { AIDIAL_PROPERTY_RUNS: "25" },
    testTimeout: 60_000,
    hookTimeout: 60_000
  }
})
