import { Transactor } from "@aidial/domain"
import { Effect, Exit, FiberRef, Layer } from "effect"
import * as Journal from "./internal/Journal.js"

/**
 * Transactions over the memory repositories: one at a time (a semaphore), and on failure every
 * write made inside is undone in reverse order. A nested call joins the outer transaction.
 */
export const layerMemory: Layer.Layer<Transactor.Transactor> = Layer.effect(
  Transactor.Transactor,
  Effect.map(Effect.makeSemaphore(1), (lock) =>
    Transactor.Transactor.of({
      withTransaction: (effect) =>
        Effect.flatMap(FiberRef.get(Journal.current), (open) => {
          if (open !== null) return effect
          const journal: Array<() => void> = []
          return lock.withPermits(1)(
            Effect.locally(effect, Journal.current, journal).pipe(
              Effect.onExit((exit) =>
                Exit.isSuccess(exit)
                  ? Effect.void
                  : Effect.sync(() => {
                    for (const undo of journal.reverse()) undo()
                  })
              )
            )
          )
        })
    }))
)
