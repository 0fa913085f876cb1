/**
 * The rules every piece of text the API accepts follows, in one place; every schema of a name, a
 * description, a message, an email or a date builds on these.
 *
 * - No NUL, no C0 control (U+0000 to U+001F) and DEL, no C1 control (U+0080 to U+009F), no
 *   bidirectional embedding, override or isolate (U+202A to U+202E, U+2066 to U+2069), and no lone
 *   surrogate (text that UTF-8 cannot encode). A `Paragraph` (descriptions, messages, notes) may
 *   hold line feeds and tabs; a `Line` (names, emails, reasons, ids) may not.
 * - Dates are ISO 8601 date-times with a zone, read strictly: the calendar date must exist (no
 *   `2030-02-30` rolling over into March), hours 00 to 23, minutes and seconds 00 to 59
 *   (`isIsoDateTime`; the HTTP adapter's date-time schema applies it).
 */
import { Schema } from "effect"

/** The characters no text may hold, beside line feed and tab (which a `Line` refuses too). */
const forbidden = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/u

/** Whether `text` holds none of the forbidden characters; `multiline` allows line feeds and tabs. */
export const isClean = (text: string, multiline: boolean): boolean =>
  !forbidden.test(text) && (multiline || !/[\t\n]/.test(text))

const message = (multiline: boolean) => () =>
  `must not contain control characters (NUL, ${multiline ? "C0 other than line feed and tab" : "C0"}, C1) or bidirectional overrides`

/** One line of text: names, emails, reasons. */
export const Line = Schema.String.pipe(
  Schema.filter((text) => isClean(text, false), { message: message(false), identifier: "Line" })
)

/** Text that may span lines (line feeds and tabs allowed): descriptions, messages, notes. */
export const Paragraph = Schema.String.pipe(
  Schema.filter((text) => isClean(text, true), { message: message(true), identifier: "Paragraph" })
)

/** A `Line` with surrounding whitespace removed. */
export const TrimmedLine = Schema.compose(Line, Schema.Trim)

const isoDateTime = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|([+-])(\d{2}):(\d{2}))$/

const daysIn = (year: number, month: number): number =>
  month === 2 ? (year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31

/** Whether `text` is an ISO 8601 date-time with a zone whose every field is in range (no rollover). */
export const isIsoDateTime = (text: string): boolean => {
  const m = isoDateTime.exec(text)
  if (m === null) return false
  const [year, month, day, hour, minute] = [m[1], m[2], m[3], m[4], m[5]].map(Number)
  const second = m[6] === undefined ? 0 : Number(m[6])
  const offsetHours = m[8] === undefined ? 0 : Number(m[8])
  const offsetMinutes = m[9] === undefined ? 0 : Number(m[9])
  if (year === undefined || month === undefined || day === undefined || hour === undefined || minute === undefined) return false
  return month >= 1 && month <= 12 && day >= 1 && day <= daysIn(year, month) && hour <= 23 && minute <= 59 &&
    second <= 59 && offsetHours <= 23 && offsetMinutes <= 59
}
