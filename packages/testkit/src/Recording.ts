/**
 * A recording layer over the ports: each port's service is wrapped so that every method call appends
 * `<port key>.<method>` to a shared log before it runs. Tests compare the logs of two requests to prove
 * they take the same storage path (missing and out of scope alike).
 */
import { Context } from "effect"

/** The calls recorded so far, in order. */
export interface CallLog {
  readonly calls: Array<string>
}

/** An empty log. */
export const makeLog = (): CallLog => ({ calls: [] })

/** `service` with every method call recorded into `log` under `name`. */
export const proxy = <S extends object>(name: string, service: S, log: CallLog): S =>
  new Proxy(service, {
    get: (target, property, receiver) => {
      const value: unknown = Reflect.get(target, property, receiver)
      if (typeof value !== "function") return value
      return (...args: ReadonlyArray<unknown>) => {
        log.calls.push(`${name}.${String(property)}`)
        return Reflect.apply(value, target, args)
      }
    }
  })

/** Replaces `tag`'s service in a context by its recorded proxy (the name is the tag's key). */
export const record = <I, S extends object>(tag: Context.Tag<I, S>, log: CallLog) =>
<R>(context: Context.Context<R>): Context.Context<R | I> =>
  Context.add(context, tag, proxy(tag.key.replace(/^@aidial\/domain\//, ""), Context.unsafeGet(context, tag), log))
