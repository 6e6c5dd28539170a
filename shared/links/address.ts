/**
 * THE email-address check. Data typing (fields of type `email`), preflight, the message writer
 * (shared/compose/email/mime.ts), `presswork compose email`, job expansion and delivery all call this one
 * function, so an address that passes one of them passes all of them.
 *
 * The rule is the WHATWG "valid e-mail address" production (what browsers accept in <input type=email>):
 * `local@domain`, the local part made of letters, digits and `.!#$%&'*+/=?^_\`{|}~-`, the domain dotted
 * labels of letters, digits and hyphens (at least one dot), no `..`, at most 254 characters. No spaces,
 * quotes, angle brackets, commas, control characters or line breaks — so an accepted address can never
 * inject a header. Internationalised addresses are not accepted: write the domain in its `xn--` form.
 */
const EMAIL_RE =
  /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;

export const isEmailAddress = (s: string): boolean => s.length <= 254 && EMAIL_RE.test(s) && !s.includes('..');

/** What to tell a user about an address that fails isEmailAddress. */
export const EMAIL_ADDRESS_HINT = 'check for typos, spaces or a missing domain (name@example.com)';
