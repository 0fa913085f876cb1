/**
 * Use-case spans as the embedder's choice. `Effect.fn(name)` opens a span and captures a stack trace on
 * every call, about 14 µs even with tracing off (`pnpm bench` measures it); use cases are written instead as
 * `Effect.fnUntraced(body, Traced.span(name))`, which opens the span only when the fiber's tracer is enabled
 * (Effect's default, so an embedder that provides a tracer gets one span per use-case call) and otherwise
 * costs one fiber-flag read. Servers that export no traces turn the tracer off with
 * `Layer.setTracerEnabled(false)`.
 */
import { Effect, FiberRef } from "effect"

/** Runs `self` in a span named `name` when the fiber's tracer is enabled; as it is otherwise. */
export const span = (name: string) => <A, E, R>(self: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
  Effect.withFiberRuntime((fiber) => fiber.getFiberRef(FiberRef.currentTracerEnabled) ? Effect.withSpan(self, name) : self)
